/*
 * How many sells may be in flight — found, not configured (issue 13). Each
 * sell keeps one of AssetPay's bots busy for a while (api §4.2: seconds).
 * Beyond the free bots sells queue and answer later; beyond the queue
 * AssetPay refuses (NO_BOTS_AVAILABLE, which uses up the externalId) or slows
 * down for everyone (FLEET_DEGRADED). The limit follows the knee the way TCP
 * Vegas and gradient limiters do:
 *  - the fastest recent answer is the time a sell takes with no queue (the
 *    minimum over the last 30 s, in 10 s buckets, so it can rise again when
 *    the bots get slower);
 *  - an answer within QUEUE_RATIO of it says "no queue". At the start the
 *    limit doubles each round (a round: as many answers as the limit), as
 *    long as the round used it and none of its answers was slow; later it
 *    grows by about √limit per round;
 *  - a slower answer says "queue". The first one ends the start-up at the
 *    last limit whose round came back all fast (TCP's ssthresh: capacity is
 *    between it and the doubled limit); later ones move the limit a little
 *    towards the sells being served: of those in flight when it left, about
 *    inFlight × fastest ÷ latency (Little's law);
 *  - 429 and the fleet's refusals cut at once.
 * Bounded to MIN..MAX, starting low. Pure: state in, state out.
 */

export const IN_FLIGHT_BOUNDS = { min: 1, max: 64, start: 16 } as const;

/** An answer this much slower than the fastest recent one means sells are queuing. */
const QUEUE_RATIO = 1.5;
const BUCKET_MS = 10_000;
const BUCKETS = 3;
/** How far one queue sign moves the limit towards the estimate, after the start-up. */
const DOWN_WEIGHT = 0.1;
/** How fast the usual no-queue time follows new fast answers. */
const USUAL_WEIGHT = 0.1;
/** On 429 (the rate limiter paces anyway) and on the fleet's refusals. */
const THROTTLE_CUT = 0.75;
const OVERLOAD_CUT = 0.5;

export type SellSignal =
  /** A created trade: the sell went through the fleet. */
  | 'ok'
  /** 429 RATE_LIMITED / TOO_MANY_ACTIVE_TRADES. */
  | 'throttled'
  /** NO_BOTS_AVAILABLE, FLEET_DEGRADED: the fleet is full. */
  | 'overload'
  /** Anything else (refusals of the batch, network trouble): says nothing about capacity. */
  | 'other';

/** What an answer says about the fleet's capacity. */
export function signalOf(outcome: { kind: string; key?: string }): SellSignal {
  if (outcome.kind === 'ok') return 'ok';
  if (outcome.kind === 'throttled') return 'throttled';
  if (outcome.key === 'NO_BOTS_AVAILABLE' || outcome.key === 'FLEET_DEGRADED') return 'overload';
  // A refusal of the batch is answered before any bot works on it: its time says nothing.
  return 'other';
}

export interface SellSample {
  /** When the answer came, epoch ms. */
  now: number;
  /** From the request leaving to its answer. */
  latencyMs: number;
  /** Sells in flight when this one left, itself included. */
  inFlightAtSend: number;
  /** Sells in flight as its answer came, itself included. */
  inFlightNow: number;
  signal: SellSignal;
}

export interface InFlightLimit {
  /** Fractional inside; `allowed()` floors it. */
  limit: number;
  slowStart: boolean;
  /** The start-up's current round: answers seen, and the most sells in flight meanwhile. */
  round: { answers: number; peak: number };
  /** The largest limit whose whole round came back fast (the start-up falls back on it). */
  proven: number;
  /** Fastest answer per 10 s bucket, newest last. */
  fastest: { start: number; ms: number }[];
  /** The usual time of an answer with no queue (a moving average of fast answers). */
  usualMs: number | null;
  /** When the limit was last cut: queue signs of sells sent before it are old news. */
  cutAt: number;
}

export function startLimit(): InFlightLimit {
  return {
    limit: IN_FLIGHT_BOUNDS.start,
    slowStart: true,
    round: { answers: 0, peak: 0 },
    proven: IN_FLIGHT_BOUNDS.min,
    fastest: [],
    usualMs: null,
    cutAt: 0,
  };
}

/** Sells that may be in flight now. */
export function allowed(state: InFlightLimit): number {
  return clamp(Math.floor(state.limit));
}

export function nextLimit(state: InFlightLimit, s: SellSample): InFlightLimit {
  switch (s.signal) {
    case 'throttled':
      return cut(state, state.limit * THROTTLE_CUT, s.now);
    case 'overload':
      return cut(state, state.limit * OVERLOAD_CUT, s.now);
    case 'other':
      return state;
    case 'ok':
      break;
  }
  const fastestBuckets = remember(state.fastest, s.now, s.latencyMs);
  const fastest = Math.min(...fastestBuckets.map((b) => b.ms));
  const next = { ...state, fastest: fastestBuckets };
  if (s.latencyMs > fastest * QUEUE_RATIO) {
    // A sell sent before the last cut queued because of the limit that was cut: old news.
    if (s.now - s.latencyMs < state.cutAt) return next;
    // Little's law: of the sells in flight when this one left, about this many were being served.
    const target = (s.inFlightAtSend * (state.usualMs ?? fastest)) / s.latencyMs + 1;
    if (state.slowStart) return cut(next, Math.max(state.proven, target), s.now);
    const limit =
      target < state.limit ? state.limit + (target - state.limit) * DOWN_WEIGHT : state.limit;
    return { ...next, limit: clamp(limit) };
  }
  const usualMs =
    state.usualMs === null
      ? s.latencyMs
      : state.usualMs + (s.latencyMs - state.usualMs) * USUAL_WEIGHT;
  const fast = { ...next, usualMs };
  if (state.slowStart) {
    const round = {
      answers: state.round.answers + 1,
      peak: Math.max(state.round.peak, s.inFlightNow),
    };
    if (round.answers < allowed(state)) return { ...fast, round };
    // A whole round came back fast: double, if it used the limit (a paced run learns nothing).
    if (round.peak < allowed(state) - 1) return { ...fast, round: { answers: 0, peak: 0 } };
    return {
      ...fast,
      round: { answers: 0, peak: 0 },
      proven: state.limit,
      limit: clamp(state.limit * 2),
    };
  }
  if (s.inFlightNow < allowed(state) - 1) return fast;
  return { ...fast, limit: clamp(state.limit + Math.sqrt(state.limit) / state.limit) };
}

function cut(state: InFlightLimit, limit: number, now: number): InFlightLimit {
  return { ...state, slowStart: false, limit: clamp(limit), cutAt: now };
}

/** Keeps the fastest answer of each of the last BUCKETS periods. */
function remember(
  buckets: readonly { start: number; ms: number }[],
  now: number,
  ms: number,
): { start: number; ms: number }[] {
  const start = now - (now % BUCKET_MS);
  const kept = buckets.filter((b) => b.start > start - BUCKETS * BUCKET_MS);
  const last = kept[kept.length - 1];
  if (last && last.start === start)
    return [...kept.slice(0, -1), { start, ms: Math.min(last.ms, ms) }];
  return [...kept, { start, ms }];
}

function clamp(n: number): number {
  return Math.max(IN_FLIGHT_BOUNDS.min, Math.min(IN_FLIGHT_BOUNDS.max, n));
}
