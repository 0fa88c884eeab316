import { create } from 'zustand';

export type NoticeKind = 'error' | 'info' | 'success';
export type Notice = { id: number; kind: NoticeKind; message: string };

type NoticesState = {
  notices: Notice[];
  push: (kind: NoticeKind, message: string) => number;
  dismiss: (id: number) => void;
  /** The screen changed: what was said about the last one is not carried over. */
  clear: () => void;
};

let nextId = 1;
const MAX_VISIBLE = 4;
/** Errors stay until read a little longer than good news. */
const LIFETIME_MS: Record<NoticeKind, number> = { error: 12_000, info: 6_000, success: 4_000 };

/**
 * Toasts: what the API wrapper and the stores say to the trader. They live in
 * a region of their own (the sidebar, app/toasts.tsx) so they never cover a
 * control, dismiss themselves, and are cleared when the screen changes.
 */
export const useNotices = create<NoticesState>()((set, get) => ({
  notices: [],
  push: (kind, message) => {
    const id = nextId++;
    // The same error twice in a row (a retry loop) shows once.
    const last = get().notices.at(-1);
    if (last && last.message === message && last.kind === kind) return last.id;
    set((s) => ({ notices: [...s.notices, { id, kind, message }].slice(-MAX_VISIBLE) }));
    if (typeof setTimeout === 'function') {
      setTimeout(() => get().dismiss(id), LIFETIME_MS[kind]);
    }
    return id;
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  clear: () => {
    if (get().notices.length > 0) set({ notices: [] });
  },
}));
