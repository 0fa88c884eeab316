/*
 * Exponential backoff with jitter for a 429 without Retry-After and for the
 * retryable refusals (FLEET_DEGRADED, DEPOSIT_IN_PROGRESS). api §3 advises
 * "start at ~5–10 s with jitter, capped at 60 s".
 *
 * Attempt n (0-based) waits a uniformly random time in [C/2, C] where
 * C = min(capMs, baseMs · 2^(n+1)): with the defaults 5–10 s, 10–20 s,
 * 20–40 s, then 30–60 s for ever. Half the window stays random even at the cap
 * so several waiting callers do not come back in lock-step.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** A number in [0, 1); Math.random by default, injectable for tests. */
  random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 5_000;
export const DEFAULT_BACKOFF_CAP_MS = 60_000;

export function backoffMs(attempt: number, options: BackoffOptions = {}): number {
  const baseMs = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const capMs = options.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const random = options.random ?? Math.random;
  const n = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  const ceiling = Math.min(capMs, baseMs * 2 ** (n + 1));
  const floor = ceiling / 2;
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(floor + r * (ceiling - floor));
}
