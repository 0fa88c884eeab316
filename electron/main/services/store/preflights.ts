import { belowMarketShare } from '../../../../shared/market-share';
import {
  planOptionsSchema,
  preflightDiffSchema,
  preflightRowSchema,
  sellConfirmationSchema,
  type PreflightDiff,
  type PreflightRow,
  type SellConfirmation,
} from '../../../../shared/model';
import { notFound, type StoreContext } from './context';
import { asGame } from './enums';
import { parseJsonColumn, toJson } from './json';

export interface PreflightRecord {
  id: string;
  planId: string;
  checkedAt: string;
  /** Null while the check is still running (or if it failed half-way and was not cleaned up). */
  summary: PreflightSummary | null;
  planRevision: number;
  acceptedAt: string | null;
  confirmation: SellConfirmation | null;
}

export type PreflightSummary = Pick<PreflightDiff, 'counts' | 'needsConfirmation'>;

/** A diff row plus the exact price to send if the item is kept. */
export type StoredPreflightRow = PreflightRow & { priceUsd: number | null };

interface Row {
  id: string;
  plan_id: string;
  checked_at: string;
  summary: string | null;
  plan_revision: number;
  accepted_at: string | null;
  confirmation: string | null;
}

interface ItemRow {
  account_id: string;
  game: string;
  item_id: string;
  name: string;
  change: PreflightRow['change'];
  planned_cents: number;
  current_cents: number | null;
  change_cents: number | null;
  change_bp: number | null;
  auto_accepted: number;
  exterior: string | null;
  wear: string | null;
}

const CHANGES = new Set<string>(preflightRowSchema.shape.change.options);
/** Rows the plan's market-share rule looks at: items that would otherwise be sold. */
const SELLABLE_CHANGES = {
  unchanged: 'unchanged',
  'price-up': 'priceUp',
  'price-down': 'priceDown',
} as const;
const confirmationColumn = sellConfirmationSchema.nullable();
const summarySchema = preflightDiffSchema
  .pick({ counts: true, needsConfirmation: true })
  .nullable();

function toRecord(r: Row): PreflightRecord {
  return {
    id: r.id,
    planId: r.plan_id,
    checkedAt: r.checked_at,
    summary: parseJsonColumn(summarySchema, r.summary, 'preflights.summary'),
    planRevision: r.plan_revision,
    acceptedAt: r.accepted_at,
    confirmation: parseJsonColumn(confirmationColumn, r.confirmation, 'preflights.confirmation'),
  };
}

/**
 * Pre-flight price checks of a plan (one row per planned item) and what the
 * trader accepted. Written in steps (begin → addRows per account/game →
 * complete) so a 100,000-item check never sits in memory as one blob.
 */
export class PreflightsRepo {
  constructor(private readonly ctx: StoreContext) {}

  begin(input: { id: string; planId: string; checkedAt: string; planRevision: number }): void {
    this.ctx
      .stmt(
        'INSERT INTO preflights (id, plan_id, checked_at, summary, plan_revision) VALUES (?, ?, ?, NULL, ?)',
      )
      .run(input.id, input.planId, input.checkedAt, input.planRevision);
  }

  /** Appends rows (one transaction per call). */
  addRows(preflightId: string, firstSeq: number, rows: readonly StoredPreflightRow[]): void {
    const insert = this.ctx.stmt(
      `INSERT INTO preflight_rows (preflight_id, seq, account_id, game, item_id, name, change, planned_cents, current_cents, change_cents, change_bp, auto_accepted, price_usd)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.ctx.db.transaction(() => {
      rows.forEach((r, i) =>
        insert.run(
          preflightId,
          firstSeq + i,
          r.accountId,
          r.game,
          r.itemId,
          r.name,
          r.change,
          r.plannedCents,
          r.currentCents,
          r.changeCents,
          r.changeBp,
          r.autoAccepted ? 1 : 0,
          r.priceUsd,
        ),
      );
    })();
  }

  /**
   * Marks the check complete (inside the caller's transaction). Completing
   * applies the plan's "leave out items below X % of market" rule once more,
   * with the fresh prices the check just stored in the cached inventory
   * (issue 11): such items become their own category, `below-market-share`,
   * and leave the plan when the check is accepted — also for an armed plan
   * that starts by itself.
   */
  complete(preflightId: string, summary: PreflightSummary): void {
    this.ctx
      .stmt('UPDATE preflights SET summary = ? WHERE id = ?')
      .run(
        toJson(summarySchema.parse(this.leaveOutBelowMarketShare(preflightId, summary))),
        preflightId,
      );
  }

  private leaveOutBelowMarketShare(
    preflightId: string,
    summary: PreflightSummary,
  ): PreflightSummary {
    const plan = this.ctx
      .stmt('SELECT p.options FROM preflights f JOIN plans p ON p.id = f.plan_id WHERE f.id = ?')
      .get(preflightId) as { options: string } | undefined;
    if (!plan) return summary;
    const minBp = parseJsonColumn(
      planOptionsSchema,
      plan.options,
      'plans.options',
    ).minMarketShareBp;
    if (minBp === null || minBp === undefined) return summary;
    const rows = this.ctx
      .stmt(
        `SELECT r.seq, r.change, r.current_cents, i.market_price_cents FROM preflight_rows r
         LEFT JOIN inventory_items i ON i.account_id = r.account_id AND i.game = r.game AND i.item_id = r.item_id
         WHERE r.preflight_id = ? AND r.change IN ('unchanged', 'price-up', 'price-down')`,
      )
      .all(preflightId) as {
      seq: number;
      change: keyof typeof SELLABLE_CHANGES;
      current_cents: number | null;
      market_price_cents: number | null;
    }[];
    const counts = { ...summary.counts, belowMarketShare: 0 };
    const mark = this.ctx.stmt(
      "UPDATE preflight_rows SET change = 'below-market-share', auto_accepted = 0 WHERE preflight_id = ? AND seq = ?",
    );
    for (const row of rows) {
      if (row.current_cents === null) continue;
      if (!belowMarketShare(row.current_cents, row.market_price_cents, minBp)) continue;
      mark.run(preflightId, row.seq);
      counts[SELLABLE_CHANGES[row.change]]--;
      counts.belowMarketShare++;
    }
    // A price change left out by the rule needs no decision any more.
    const undecided = this.ctx
      .stmt(
        "SELECT 1 FROM preflight_rows WHERE preflight_id = ? AND change IN ('price-up', 'price-down') AND auto_accepted = 0 LIMIT 1",
      )
      .get(preflightId);
    return { counts, needsConfirmation: undecided !== undefined };
  }

  /** Removes a check that failed half-way. */
  discard(preflightId: string): void {
    this.ctx.stmt('DELETE FROM preflights WHERE id = ?').run(preflightId);
  }

  get(id: string): PreflightRecord | null {
    const r = this.ctx.stmt('SELECT * FROM preflights WHERE id = ?').get(id) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  require(id: string): PreflightRecord {
    const r = this.get(id);
    if (!r) throw notFound('Pre-flight', id);
    return r;
  }

  /** The latest complete check of a plan. */
  latestId(planId: string): string | null {
    const r = this.ctx
      .stmt(
        'SELECT id FROM preflights WHERE plan_id = ? AND summary IS NOT NULL ORDER BY checked_at DESC, rowid DESC LIMIT 1',
      )
      .get(planId) as { id: string } | undefined;
    return r?.id ?? null;
  }

  latest(planId: string): PreflightRecord | null {
    const id = this.latestId(planId);
    return id ? this.get(id) : null;
  }

  /**
   * The diff as the UI receives it (preflightDiffSchema): the rows of items whose price or
   * availability changed; unchanged items are only counted (a 100,000-item plan that
   * did not move sends no rows at all).
   */
  diff(id: string): PreflightDiff {
    const rec = this.require(id);
    if (!rec.summary) throw notFound('Completed pre-flight', id);
    const rows = (
      this.ctx
        .stmt(
          `SELECT r.account_id, r.game, r.item_id, r.name, r.change, r.planned_cents, r.current_cents, r.change_cents,
                  r.change_bp, r.auto_accepted, pi.exterior, pi.wear
           FROM preflight_rows r
           LEFT JOIN plan_items pi ON pi.plan_id = ? AND pi.account_id = r.account_id AND pi.game = r.game AND pi.item_id = r.item_id
           WHERE r.preflight_id = ? AND r.change != 'unchanged' ORDER BY r.seq`,
        )
        .all(rec.planId, id) as ItemRow[]
    ).map((r): PreflightRow => {
      if (!CHANGES.has(r.change)) throw new Error(`Unknown pre-flight change ${r.change}`);
      return {
        accountId: r.account_id,
        game: asGame(r.game),
        itemId: r.item_id,
        name: r.name,
        change: r.change,
        plannedCents: r.planned_cents,
        currentCents: r.current_cents,
        changeCents: r.change_cents,
        changeBp: r.change_bp,
        autoAccepted: r.auto_accepted === 1,
        // Ten "AWP | Asiimov" rows are told apart by exterior and float (from the plan).
        exterior: r.exterior,
        wear: r.wear,
      };
    });
    return {
      preflightId: rec.id,
      planId: rec.planId,
      checkedAt: rec.checkedAt,
      rows,
      counts: rec.summary.counts,
      needsConfirmation: rec.summary.needsConfirmation,
    };
  }

  /** Records the acceptance (inside the caller's transaction) with the plan revision it produced. */
  markAccepted(id: string, confirmation: SellConfirmation, planRevision: number): void {
    const parsed = sellConfirmationSchema.parse(confirmation);
    this.ctx
      .stmt(
        'UPDATE preflights SET accepted_at = ?, confirmation = ?, plan_revision = ? WHERE id = ?',
      )
      .run(this.ctx.iso(), toJson(parsed), planRevision, id);
  }
}
