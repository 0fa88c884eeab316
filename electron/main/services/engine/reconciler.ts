import type { Trade } from '../../../../shared/api/schemas';
import { isActiveRun, isUnsold } from '../../../../shared/domain';
import { describeOutcome } from '../assetpay/outcome';
import type { BatchRecord } from '../store';
import { backoff, type EngineContext } from './context';
import { buildSellRequest, externalIdFor } from '../../../../shared/planner';
import type { RelatedTrades } from './related-trades';
import { finishIfRunCanceled } from './run-state';
import { sendOnce, type Claim } from './send-worker';
import type { Tracker } from './tracker';

/*
 * Reconciliation (api §8 "did my sell go through?"). A batch in `unknown`
 * may have created a trade. Its request is resent once with the same
 * externalId (only while its run sells: a resend could create the sale a
 * paused or canceled run stopped); after that it is looked up until it is
 * proven either way. One proof — `proveDead` — decides every path that
 * would go on without the attempt: the lookup, the split basket's other
 * trades, and no request of the attempt still in flight.
 */

export type Proof =
  /** A trade of the attempt lives (or completed): adopt them, primary first. */
  | { kind: 'alive'; trades: Trade[] }
  /** Nothing of the attempt lives: its trades (if any) all ended unsold. */
  | { kind: 'dead'; trades: Trade[] }
  /** Not known yet (lookup failed, a request may still land, related trades not found yet). */
  | { kind: 'not-yet'; until: number; why: string }
  /** AssetPay says the externalId exists, yet many lookups never found it: the trader must look. */
  | { kind: 'unfindable' };

/** Lookups of an externalId AssetPay says exists before the trader is asked to look. */
const UNFINDABLE_AFTER = 8;
/** The app's own key (not AssetPay's) for "AssetPay says it exists, but no lookup finds it". */
export const EXTERNAL_ID_UNFINDABLE = 'EXTERNAL_ID_UNFINDABLE';

type SendRecord = { sentAt: string; outcomeKind: string | null };

/** A send that may still be processed by AssetPay: no answer (or a crash), or an ambiguous one. */
const mayHaveLanded = (s: SendRecord) => s.outcomeKind === null || s.outcomeKind === 'ambiguous';

/** Until when a request of these sends may still create a trade (0: none can). Pure. */
export function inFlightUntil(sends: readonly SendRecord[], windowMs: number): number {
  let until = 0;
  for (const s of sends)
    if (mayHaveLanded(s)) until = Math.max(until, Date.parse(s.sentAt) + windowMs);
  return until;
}

/**
 * api §8 step 2: resend once — when AssetPay has not answered any send of
 * this externalId and exactly one of them may have reached it. Pure.
 */
export function resendDue(sends: readonly SendRecord[]): boolean {
  const answered = sends.some((s) => !mayHaveLanded(s) && s.outcomeKind !== 'not-sent');
  return !answered && sends.filter(mayHaveLanded).length === 1;
}

export class Reconciler {
  constructor(
    private readonly ctx: EngineContext,
    private readonly tracker: Tracker,
    private readonly related: RelatedTrades,
  ) {}

  /** One step for a batch in `unknown`: the resend, or a lookup. */
  async step(batchId: string, claim: Claim): Promise<void> {
    const { store } = this.ctx;
    const b = store.batches.get(batchId);
    if (!b || b.state !== 'unknown') return;
    const run = store.runs.get(b.runId);
    if (run && isActiveRun(run.state) && resendDue(store.batches.sendsOf(b.externalId))) {
      if (await sendOnce(this.ctx, b, claim, true, this.tracker)) return;
      // It could not leave now (connections failing, the trader's stop): try again shortly.
      if (this.ctx.stopped()) return;
      this.ctx.transition(b.id, {
        to: 'unknown',
        from: ['unknown'],
        reason: 'the resend could not leave yet',
        patch: { nextAttemptAt: this.ctx.clock.now() + this.ctx.timing.resendDelayMs },
      });
      return;
    }
    const proof = await this.proveDead(b);
    if (this.ctx.stopped()) return;
    if (proof.kind === 'alive') {
      this.tracker.adopt(b.id, ['unknown'], proof.trades, 'adopted by lookup');
    } else if (proof.kind === 'not-yet') {
      this.ctx.transition(b.id, {
        to: 'unknown',
        from: ['unknown'],
        reason: proof.why,
        patch: { retryStreak: b.retryStreak + 1, nextAttemptAt: proof.until },
      });
    } else if (proof.kind === 'unfindable') {
      this.askTheTrader(b, ['unknown']);
    } else {
      // Nothing of the attempt lives and no request of it can still land. Never created: the
      // same externalId may go again (it is unique). Created and ended: the next attempt, whose
      // send proves it again just before it leaves.
      const created = proof.trades.length > 0;
      store.transaction(() => {
        this.ctx.transition(b.id, {
          to: 'queued',
          from: ['unknown'],
          reason: created
            ? deadReason(b, proof.trades)
            : 'proven not created; same externalId again',
          also: (before) => this.keepHistory(before, proof.trades),
          patch: { rotatePending: created, retryStreak: 0, nextAttemptAt: this.ctx.clock.now() },
        });
        finishIfRunCanceled(this.ctx, b.id, { proven: true });
      });
    }
    this.ctx.refreshRun(b.runId);
  }

  /**
   * Before attempt n + 1 (the batch is queued with rotatePending): prove
   * attempt n dead, then rotate. Returns the batch ready to send, or null
   * when it went elsewhere (adopted, rescheduled, skipped).
   */
  async startNextAttempt(b: BatchRecord): Promise<BatchRecord | null> {
    // Retried by the trader after "AssetPay says it exists but cannot find it": they checked.
    const proof = await this.proveDead(b, {
      traderChecked: b.lastErrorKey === EXTERNAL_ID_UNFINDABLE,
    });
    if (this.ctx.stopped()) return null;
    if (proof.kind === 'alive') {
      this.tracker.adopt(b.id, ['queued'], proof.trades, 'the previous attempt turned out live');
      return null;
    }
    if (proof.kind === 'unfindable') {
      this.askTheTrader(b, ['queued']);
      return null;
    }
    if (proof.kind === 'not-yet') {
      this.ctx.transition(b.id, {
        to: 'queued',
        from: ['queued'],
        reason: `before attempt ${b.attempt + 1}: ${proof.why}`,
        patch: { retryStreak: b.retryStreak + 1, nextAttemptAt: proof.until },
      });
      return null;
    }
    return this.rotate(b, deadReason(b, proof.trades), proof.trades);
  }

  /** The one proof that an attempt created nothing live (api §8 steps 3–4, externalId policy). */
  async proveDead(b: BatchRecord, options: { traderChecked?: boolean } = {}): Promise<Proof> {
    const { store, clock, timing } = this.ctx;
    const sends = store.batches.sendsOf(b.externalId);
    const landsUntil = inFlightUntil(sends, timing.inFlightWindowMs);
    const r = await this.ctx.client.getTrades([b.externalId], { signal: this.ctx.signal });
    this.ctx.noteReachability(r);
    const now = clock.now();
    const later = now + backoff(this.ctx, b.retryStreak, timing.lookupBaseMs, timing.lookupCapMs);
    if (r.kind !== 'ok') {
      if (r.kind === 'auth')
        this.ctx.refuseKey(r.key, `AssetPay refused the API key (${r.key}).`, b.runId);
      return { kind: 'not-yet', until: later, why: `lookup failed: ${describeOutcome(r)}` };
    }
    const primary = r.data.trades.find(
      (t) => t.externalId === b.externalId || t.id === b.externalId,
    );
    if (!primary) {
      if (landsUntil > now)
        return {
          kind: 'not-yet',
          until: Math.min(landsUntil, later),
          why: 'not found yet, the request may still be in flight',
        };
      // AssetPay said this externalId exists: a lookup that finds nothing proves nothing.
      if (!options.traderChecked && sends.some((s) => s.outcomeKey === 'EXTERNAL_ID_EXISTS'))
        return b.retryStreak >= UNFINDABLE_AFTER
          ? { kind: 'unfindable' }
          : {
              kind: 'not-yet',
              until: later,
              why: 'AssetPay says this externalId exists, but the lookup does not find it yet',
            };
      return { kind: 'dead', trades: [] };
    }
    if (!isUnsold(primary.status)) return { kind: 'alive', trades: [primary] };
    // The primary ended; a split basket's other trades may still live (api §8 step 4).
    const wanted = new Set(bodyItemIds(b));
    for (const i of primary.items) wanted.delete(i.id);
    const related = await this.related.find(b, primary, wanted, new Set([primary.id]));
    if (related.kind === 'incomplete')
      return {
        kind: 'not-yet',
        until: Math.max(later, now + timing.missingPollMs),
        why: related.why,
      };
    const trades = [primary, ...related.trades];
    return trades.some((t) => !isUnsold(t.status))
      ? { kind: 'alive', trades }
      : { kind: 'dead', trades };
  }

  /**
   * Neither proven live nor dead, and lookups will not tell: the trader checks
   * the externalId in the AssetPay dashboard, then skips or retries (a new attempt).
   */
  private askTheTrader(b: BatchRecord, from: readonly ('unknown' | 'queued')[]): void {
    this.ctx.transition(b.id, {
      to: 'needs-review',
      from,
      reason: 'AssetPay says the externalId exists, but no lookup finds it',
      patch: {
        lastErrorKey: EXTERNAL_ID_UNFINDABLE,
        lastErrorDetails: { externalId: b.externalId },
        rotatePending: true,
        retryStreak: 0,
        nextAttemptAt: null,
        nextActions: ['retry', 'skip'],
      },
    });
    this.ctx.emit({
      type: 'attention',
      runId: b.runId,
      title: `Batch ${b.seq} needs you`,
      body: `AssetPay says ${b.externalId} exists but cannot find it. Check it in the AssetPay dashboard.`,
    });
    this.ctx.refreshRun(b.runId);
  }

  /** The ended trades of an attempt stay on record as its history. */
  private keepHistory(b: BatchRecord, trades: readonly Trade[]): void {
    for (const [k, t] of trades.entries())
      this.tracker.record(t, b, k === 0 ? null : trades[0]!.id);
  }

  /** attempt + 1: a new externalId and a body rebuilt from the batch's items and the account's trade URL. */
  private rotate(b: BatchRecord, reason: string, deadTrades: readonly Trade[]): BatchRecord | null {
    const from = ['queued'] as const;
    const { store } = this.ctx;
    const items = store.batches.items(b.id);
    const keepHistory = (before: BatchRecord) => this.keepHistory(before, deadTrades);
    if (items.length === 0) {
      this.ctx.transition(b.id, {
        to: 'queued',
        from,
        reason,
        also: keepHistory,
        patch: { rotatePending: false },
      });
      this.ctx.transition(b.id, {
        to: 'skipped',
        from: ['queued'],
        reason: 'no item left',
        patch: { nextActions: [] },
      });
      return null;
    }
    const attempt = b.attempt + 1;
    const externalId = externalIdFor(b.id, attempt);
    const account = store.accounts.get(b.accountId);
    const body = buildSellRequest({
      tradeUrl: account?.tradeUrl ?? '',
      game: b.game,
      externalId,
      isInstant: b.isInstant,
      items: items.map((i) => ({ itemId: i.itemId, priceUsd: i.priceUsd, amount: i.amount })),
    });
    if (!body.ok) {
      this.ctx.transition(b.id, {
        to: 'blocked',
        from,
        reason: `cannot build attempt ${attempt}: ${body.reason}`,
        also: keepHistory,
        patch: {
          rotatePending: true,
          lastErrorKey: 'INVALID_TRADEURL',
          lastErrorMessage: body.message,
          nextActions: ['fix-account', 'retry', 'skip'],
        },
      });
      this.ctx.refreshRun(b.runId);
      return null;
    }
    return this.ctx.transition(b.id, {
      to: 'queued',
      from,
      reason: `${reason}; attempt ${attempt}`,
      also: keepHistory,
      payload: { previousExternalId: b.externalId },
      patch: {
        attempt,
        externalId,
        requestBody: body.text,
        itemCount: items.length,
        totalCents: items.reduce((s, i) => s + i.priceCents * i.amount, 0),
        rotatePending: false,
        nextAttemptAt: Math.max(this.ctx.clock.now(), b.nextAttemptAt ?? 0),
      },
    });
  }
}

function bodyItemIds(b: BatchRecord): string[] {
  return (JSON.parse(b.requestBody) as { items: { itemId: string }[] }).items.map((i) => i.itemId);
}

function deadReason(b: BatchRecord, trades: readonly Trade[]): string {
  return trades.length === 0
    ? `attempt ${b.attempt} not found`
    : `attempt ${b.attempt} ended ${[...new Set(trades.map((t) => t.status))].join('/')}`;
}
