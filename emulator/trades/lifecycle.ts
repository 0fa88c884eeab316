import type { TradeStatus } from '../api/trade-statuses';
import { hash32, unitFrom } from '../random';
import { MinHeap } from './min-heap';
import { canMove } from './statuses';
import { iso, type Outcome, type TradeBook, type TradeRecord } from './trade-book';

/*
 * Moves sell trades along api §5 over (emulated) time:
 *   CS2:  initiated → active → hold → completed (→ reverted)
 *   Rust: initiated → active → completed (→ reverted)
 * with seeded shares ending declined / failed / canceled from `active`.
 * Steps are scheduled at creation in a heap and applied lazily when the
 * emulator looks at its state, each at its own due time, so the result does
 * not depend on how often clients poll.
 */

export interface LifecycleConfig {
  seed: number;
  /** Instance salt for offer ids (the clock at start), so restarts do not repeat them. */
  salt?: number;
  /** ≤ 0: no time-based advance (tests step by hand). */
  stepMs: number;
  holdMs: number;
  declineShare: number;
  failShare: number;
  cancelShare: number;
  revertShare: number;
}

interface ScheduledStep {
  at: number;
  seq: number;
  version: number;
  record: TradeRecord;
}

export function planOutcome(
  config: LifecycleConfig,
  seq: number,
): { outcome: Outcome; reverts: boolean } {
  const roll = unitFrom(config.seed, 'outcome', seq);
  let outcome: Outcome = 'completed';
  if (roll < config.declineShare) outcome = 'declined';
  else if (roll < config.declineShare + config.failShare) outcome = 'failed';
  else if (roll < config.declineShare + config.failShare + config.cancelShare) outcome = 'canceled';
  const reverts =
    outcome === 'completed' && unitFrom(config.seed, 'revert', seq) < config.revertShare;
  return { outcome, reverts };
}

export class Lifecycle {
  private readonly due = new MinHeap<ScheduledStep>(
    (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq),
  );

  constructor(
    private readonly book: TradeBook,
    private readonly config: LifecycleConfig,
  ) {}

  /** Registers a newly created trade. */
  start(record: TradeRecord): void {
    this.schedule(record);
  }

  /** Applies every step due at or before `now`. */
  tick(now: number): void {
    for (let step = this.due.peek(); step && step.at <= now; step = this.due.peek()) {
      this.due.pop();
      if (step.version !== step.record.version) continue;
      const next = this.nextStatus(step.record);
      if (next) this.move(step.record, next, step.at);
    }
  }

  /** Moves every trade that still has a step one step forward, now (tests). */
  forceStep(now: number): void {
    for (const record of this.book.all) {
      const next = this.nextStatus(record);
      if (next) this.move(record, next, now);
    }
  }

  /** Test hook: puts a trade in any status reachable forward from its current one. */
  set(record: TradeRecord, status: TradeStatus, now: number): void {
    if (record.wire.status === status) return;
    if (!canMove(record.wire.status, status)) {
      throw new Error(
        `Trade ${record.wire.id}: statuses only move forward (${record.wire.status} → ${status} refused)`,
      );
    }
    this.move(record, status, now);
  }

  nextStatus(record: TradeRecord): TradeStatus | null {
    switch (record.wire.status) {
      case 'initiated':
      case 'pending':
        return 'active';
      case 'active':
        if (record.outcome !== 'completed') return record.outcome;
        return record.wire.game === '730' ? 'hold' : 'completed';
      case 'hold':
        return 'completed';
      case 'completed':
        return record.reverts ? 'reverted' : null;
      default:
        return null;
    }
  }

  private move(record: TradeRecord, status: TradeStatus, at: number): void {
    this.book.setStatus(record, status, at);
    const wire = record.wire;
    const now = record.updatedMs;
    if (
      (status === 'active' || status === 'hold' || status === 'completed') &&
      wire.offerID === undefined
    ) {
      const h = hash32(this.config.seed, 'offer', this.config.salt ?? 0, record.seq);
      wire.offerID = String(6_000_000_000 + (h % 3_000_000_000));
      wire.activeAt = iso(now);
      wire.botInfo = {
        name: `AssetPay Bot #${(h % 48) + 1}`,
        steamId: `76561199${String(h % 1_000_000_000).padStart(9, '0')}`,
      };
    }
    if (status === 'hold') wire.holdEndDate = iso(now + this.config.holdMs);
    if (status === 'failed' && wire.error === undefined) wire.error = 'OFFER_NOT_ACCEPTED';
    if (status === 'reverted') {
      wire.revertedBy =
        unitFrom(this.config.seed, 'reverted-by', record.seq) < 0.5 ? 'supplier' : 'user';
    }
    this.schedule(record);
  }

  private schedule(record: TradeRecord): void {
    if (this.config.stepMs <= 0) return;
    const next = this.nextStatus(record);
    if (!next) return;
    const delay = record.wire.status === 'hold' ? this.config.holdMs : this.config.stepMs;
    this.due.push({
      at: record.updatedMs + delay,
      seq: record.seq,
      version: record.version,
      record,
    });
  }
}
