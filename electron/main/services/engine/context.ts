import type { Trade } from '../../../../shared/api/schemas';
import type { AssetPayClient } from '../assetpay/client';
import { backoffMs } from '../assetpay/backoff';
import type { Clock } from '../assetpay/clock';
import type { ApiOutcome } from '../assetpay/outcome';
import type { RateLimiter } from '../assetpay/rate-limiter';
import type { Logger } from '../log';
import type { BatchRecord, Store } from '../store';
import type { TransitionRequest } from './batch-states';
import type { EngineEvent } from './events';
import { DEFAULT_TRACKING, type TrackingTiming } from './tracking';

/*
 * What the engine's parts share: their dependencies, the timing, and the few
 * conditions only memory knows (online, the key refused, connections
 * failing). Everything that must survive a restart lives in rows instead.
 */

export type EngineClient = Pick<
  AssetPayClient,
  'sell' | 'getTrades' | 'getInventory' | 'listTrades'
>;

export interface EngineHookInfo {
  batchId: string;
  runId: string;
  seq: number;
  attempt: number;
  externalId: string;
  /** True for the once-only resend of an ambiguous outcome. */
  resend: boolean;
}

/** Test seams (the crash test kills the process inside them). */
export interface EngineHooks {
  /** The write-ahead commit is done; the request has not left yet. */
  afterWriteAhead?(info: EngineHookInfo): void | Promise<void>;
  /** The answer was read; its outcome is not committed yet. */
  afterResponse?(
    info: EngineHookInfo & { outcome: ApiOutcome<Trade>['kind'] },
  ): void | Promise<void>;
}

export interface EngineTiming extends TrackingTiming {
  /** First delay before resending a request that provably never left; doubles up to the cap. */
  notSentRetryMs: number;
  notSentRetryCapMs: number;
  /** FLEET_DEGRADED / DEPOSIT_IN_PROGRESS / TRADE_OFFER_FAILED / 429 without Retry-After (api §3: 5–10 s, cap 60 s). */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Run-level wait for NO_BOTS / maintenance / deposits paused / Steam. */
  waitBaseMs: number;
  waitCapMs: number;
  /** Short delay before the once-only resend of an ambiguous sell (api §8 step 2). */
  resendDelayMs: number;
  /** Lookups of a batch in `unknown`. */
  lookupBaseMs: number;
  lookupCapMs: number;
  /** How long a sent request may still be processed by the server (sell timeout 100 s + margin). */
  inFlightWindowMs: number;
  /** TRADE_OFFER_FAILED attempts before the batch waits for the trader. */
  maxAutoAttempts: number;
  /** Push events per key at most every… */
  coalesceMs: number;
  /** An accepted pre-flight older than this must be run again before selling. */
  preflightMaxAgeMs: number;
  /** An armed plan that could not be checked (offline) is tried again after… */
  armedRetryMs: number;
  /** Pages of GET /secure/trades scanned for related trades of a split basket (api §8 step 4). */
  relatedScanPages: number;
}

export const DEFAULT_TIMING: EngineTiming = {
  ...DEFAULT_TRACKING,
  notSentRetryMs: 1_000,
  notSentRetryCapMs: 30_000,
  backoffBaseMs: 5_000,
  backoffCapMs: 60_000,
  waitBaseMs: 15_000,
  waitCapMs: 300_000,
  resendDelayMs: 1_000,
  lookupBaseMs: 2_000,
  lookupCapMs: 60_000,
  inFlightWindowMs: 130_000,
  maxAutoAttempts: 5,
  coalesceMs: 200,
  preflightMaxAgeMs: 30 * 60_000,
  armedRetryMs: 30_000,
  relatedScanPages: 20,
};

/** What keeps the engine from sending, as far as only memory knows it. */
export interface Conditions {
  online: boolean;
  /** AssetPay refused the API key: nothing is sent until the trader acts (or the key works again). */
  keyRefused: { key: string; message: string } | null;
  /**
   * Since the key was refused, lookups and polls go only now and then, as
   * probes of the key (backing off); the first answer past the key ends this.
   */
  lookupsHeld: { streak: number; retryAt: number } | null;
  /** Connections fail (refused, DNS…): one probe at a time, not before `until`. */
  netTrouble: { streak: number; until: number } | null;
}

export interface EngineContext {
  readonly store: Store;
  readonly client: EngineClient;
  readonly limiter: RateLimiter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly hooks: EngineHooks;
  readonly timing: EngineTiming;
  readonly random: () => number;
  readonly newId: () => string;
  readonly conditions: Conditions;
  /** Aborted when the engine stops: requests in flight are abandoned (reconciled at the next start). */
  readonly signal: AbortSignal;
  stopped(): boolean;
  /** The one way a batch changes state (batch-states.ts), with its push events. */
  transition(batchId: string, req: TransitionRequest): BatchRecord;
  emit(event: EngineEvent): void;
  /** New work may be due: the scheduler takes a look soon. */
  kick(): void;
  /** Derives a run's state again from its batches and the conditions. */
  refreshRun(runId: string): void;
  /** The key was refused: stop sending until the trader acts. */
  refuseKey(key: string, message: string, runId: string): void;
  /** Every answer tells whether AssetPay can be reached and whether the key works. */
  noteReachability(outcome: ApiOutcome<unknown>): void;
  /** Sells on the wire now (their write-ahead done, their answer not in). */
  sellsInFlight(): number;
  /** A first send's answer, for the in-flight limit (in-flight-limit.ts). */
  sellAnswered(sample: {
    leftAt: number;
    inFlightAtSend: number;
    inFlightNow: number;
    outcome: ApiOutcome<Trade>;
  }): void;
}

/** Exponential back-off with jitter from the engine's random source. */
export function backoff(
  ctx: Pick<EngineContext, 'random'>,
  streak: number,
  baseMs: number,
  capMs: number,
): number {
  return backoffMs(streak, { baseMs, capMs, random: ctx.random });
}

export function nowIso(ctx: Pick<EngineContext, 'clock'>): string {
  return new Date(ctx.clock.now()).toISOString();
}
