import { useNotices } from '../api/notices-store';

/*
 * Desktop notifications from the renderer: the Notification web API when the
 * host grants it (main also notifies on its own, so this stays minimal), and
 * always an in-app toast so nothing depends on a permission.
 */

let asked = false;

export function notify(title: string, body: string): void {
  useNotices.getState().push('info', `${title} — ${body}`);
  const N = (globalThis as { Notification?: typeof Notification }).Notification;
  if (!N) return;
  try {
    if (N.permission === 'granted') {
      new N(title, { body, silent: false });
    } else if (N.permission === 'default' && !asked) {
      asked = true;
      void N.requestPermission().then((p) => {
        if (p === 'granted') new N(title, { body });
      });
    }
  } catch {
    // Some hosts expose the constructor but forbid it; the toast is enough.
  }
}
