import type { Clock } from '../assetpay/clock';

/*
 * Push-event coalescing (design §3: "at most a few per second per batch so a
 * 400-batch run cannot flood the renderer"). Per key: the first event goes out
 * at once and opens a window of `intervalMs`; events inside the window replace
 * each other and the last one goes out when the window closes (trailing edge),
 * which opens the next window. So a key never gets more than 1000/intervalMs
 * events per second, and the last state is always delivered.
 */
export class Coalescer<E> {
  private readonly windows = new Map<string, { pending: E | undefined; timer: AbortController }>();
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly deliver: (event: E) => void,
  ) {}

  push(key: string, event: E): void {
    if (this.disposed) return;
    const open = this.windows.get(key);
    if (open) {
      open.pending = event;
      return;
    }
    this.safeDeliver(event);
    this.openWindow(key);
  }

  /** Delivers every pending event now (shutdown). */
  flush(): void {
    for (const [key, w] of this.windows) {
      w.timer.abort();
      this.windows.delete(key);
      if (w.pending !== undefined) this.safeDeliver(w.pending);
    }
  }

  dispose(): void {
    this.flush();
    this.disposed = true;
  }

  get openWindows(): number {
    return this.windows.size;
  }

  private openWindow(key: string): void {
    const timer = new AbortController();
    const w = { pending: undefined as E | undefined, timer };
    this.windows.set(key, w);
    this.clock.sleep(this.intervalMs, timer.signal).then(
      () => {
        if (this.windows.get(key) !== w) return;
        this.windows.delete(key);
        if (w.pending !== undefined) {
          this.safeDeliver(w.pending);
          this.openWindow(key);
        }
      },
      () => undefined,
    );
  }

  private safeDeliver(event: E): void {
    try {
      this.deliver(event);
    } catch {
      // A failing listener must not break the engine.
    }
  }
}
