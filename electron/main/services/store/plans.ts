import { asGame } from './enums';
import { OPEN_RUN_STATES, type Environment } from '../../../../shared/domain';
import { sqlList } from './sql';
import { z } from 'zod';
import {
  PLAN_STATUSES,
  planItemSchema,
  planOptionsSchema,
  type Plan,
  type PlanItem,
  type PlanOptions,
  type PlanSummary,
} from '../../../../shared/model';
import { conflict, invalid, notFound, type StoreContext } from './context';
import { parseJsonColumn, toJson } from './json';
import type { PlanHealthRepo } from './plan-health';

export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  batchSize: 250,
  isInstant: true,
  priceToleranceBp: 0,
};

interface PlanRow {
  id: string;
  name: string;
  status: PlanStatus;
  environment: Environment;
  options: string;
  revision: number;
  created_at: string;
  updated_at: string;
}

interface PlanItemRow {
  account_id: string;
  game: string;
  item_id: string;
  name: string;
  price_usd: number;
  price_cents: number;
  amount: number;
  exterior: string | null;
  wear: string | null;
  /** Only when read with the cached inventory's market price (items()). */
  market_price_cents?: number | null;
}

const SELECT_PLAN_ITEMS =
  'SELECT account_id, game, item_id, name, price_usd, price_cents, amount, exterior, wear FROM plan_items WHERE plan_id = ?';

/** With the market price from the cached inventory: what the plan editor shows "% of market" from. */
const SELECT_PLAN_ITEMS_WITH_MARKET = `SELECT p.account_id, p.game, p.item_id, p.name, p.price_usd, p.price_cents, p.amount,
    p.exterior, p.wear, i.market_price_cents
  FROM plan_items p JOIN plans pl ON pl.id = p.plan_id
  LEFT JOIN inventory_items i ON i.account_id = p.account_id AND i.environment = pl.environment
    AND i.game = p.game AND i.item_id = p.item_id
  WHERE p.plan_id = ? ORDER BY p.seq`;

function toPlanItem(r: PlanItemRow): PlanItem {
  const item: PlanItem = {
    accountId: r.account_id,
    game: asGame(r.game),
    itemId: r.item_id,
    name: r.name,
    priceUsd: r.price_usd,
    priceCents: r.price_cents,
    amount: r.amount,
    exterior: r.exterior,
    wear: r.wear,
  };
  if (r.market_price_cents !== undefined) item.marketPriceCents = r.market_price_cents;
  return item;
}

/** Plans whose items are checked for problems in listings (the others are sold or put away). */
const CHECKED_STATUSES: readonly PlanStatus[] = ['draft', 'armed'];

/** States of a run that still owns its plan (the plan's items can not be edited under it). */
const OPEN_RUN_STATES_SQL = sqlList(OPEN_RUN_STATES);

export function batchCountFor(groupSizes: Iterable<number>, batchSize: number): number {
  let n = 0;
  for (const size of groupSizes) n += Math.ceil(size / batchSize);
  return n;
}

/** Item validation shared by create and replaceItems: schema, one game id, no duplicates. */
const GAME_IDS = new Set(['730', '252490']);

const optionalText = (value: unknown, max: number): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.length <= max);

/** The common case without zod (100,000 items): same rules as planItemSchema. */
function fastValid(item: PlanItem): boolean {
  const keys = Object.keys(item).length;
  const extras =
    (item.exterior !== undefined ? 1 : 0) +
    (item.wear !== undefined ? 1 : 0) +
    (item.marketPriceCents !== undefined ? 1 : 0);
  return (
    keys === 7 + extras &&
    optionalText(item.exterior, 100) &&
    optionalText(item.wear, 40) &&
    typeof item.accountId === 'string' &&
    item.accountId.length >= 1 &&
    item.accountId.length <= 128 &&
    GAME_IDS.has(item.game) &&
    typeof item.itemId === 'string' &&
    item.itemId.length >= 5 &&
    item.itemId.length <= 256 &&
    typeof item.name === 'string' &&
    typeof item.priceUsd === 'number' &&
    Number.isFinite(item.priceUsd) &&
    item.priceUsd > 0 &&
    Number.isSafeInteger(item.priceCents) &&
    item.priceCents >= 0 &&
    Number.isInteger(item.amount) &&
    item.amount >= 1 &&
    item.amount <= 10_000 &&
    (item.marketPriceCents === undefined ||
      item.marketPriceCents === null ||
      Number.isSafeInteger(item.marketPriceCents))
  );
}

export function validatePlanItems(items: readonly PlanItem[]): PlanItem[] {
  const seen = new Set<string>();
  const out: PlanItem[] = [];
  items.forEach((item, index) => {
    if (fastValid(item)) {
      const key = `${item.accountId}\u0000${item.game}\u0000${item.itemId}`;
      if (seen.has(key))
        throw invalid('duplicate-item', `Item ${item.itemId} is in the plan twice.`, {
          itemIds: [item.itemId],
        });
      seen.add(key);
      out.push({
        accountId: item.accountId,
        game: item.game,
        itemId: item.itemId,
        name: item.name,
        priceUsd: item.priceUsd,
        priceCents: item.priceCents,
        amount: item.amount,
        exterior: item.exterior ?? null,
        wear: item.wear ?? null,
      });
      return;
    }
    const parsed = planItemSchema.safeParse({ ...item, amount: item.amount ?? 1 });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      const reason =
        field === 'priceUsd'
          ? 'invalid-price'
          : field === 'itemId'
            ? 'invalid-item-id'
            : field === 'amount'
              ? 'invalid-amount'
              : 'invalid-item';
      throw invalid(
        reason,
        `Item ${index + 1} (${String(item.itemId)}): ${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}`,
        {
          itemId: item.itemId,
          index,
        },
      );
    }
    if (
      !Number.isFinite(parsed.data.priceUsd) ||
      parsed.data.priceUsd <= 0 ||
      parsed.data.priceCents < 0
    ) {
      throw invalid('invalid-price', `Item ${parsed.data.itemId}: the price must be more than 0.`, {
        itemId: parsed.data.itemId,
      });
    }
    const key = `${parsed.data.accountId}\u0000${parsed.data.game}\u0000${parsed.data.itemId}`;
    if (seen.has(key)) {
      throw invalid('duplicate-item', `Item ${parsed.data.itemId} is in the plan twice.`, {
        itemIds: [parsed.data.itemId],
      });
    }
    seen.add(key);
    out.push(parsed.data);
  });
  return out;
}

/**
 * Sell plans: drafts that survive restarts (design §1 flow 3). A plan belongs to the
 * environment selected when it was created: its items come from that environment's
 * inventory, and it is only ever submitted there.
 */
export class PlansRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly environment: () => Environment,
    private readonly health: PlanHealthRepo,
  ) {}

  create(input: {
    name: string;
    options?: Partial<PlanOptions>;
    items?: readonly PlanItem[];
    /** Default: the selected environment. */
    environment?: Environment;
  }): Plan {
    const name = this.checkName(input.name);
    const options = this.checkOptions({ ...DEFAULT_PLAN_OPTIONS, ...(input.options ?? {}) });
    const items = validatePlanItems(input.items ?? []);
    const id = this.ctx.newId();
    const at = this.ctx.iso();
    this.ctx.db.transaction(() => {
      this.ctx
        .stmt(
          'INSERT INTO plans (id, name, status, environment, options, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)',
        )
        .run(id, name, 'draft', input.environment ?? this.environment(), toJson(options), at, at);
      this.insertItems(id, items);
    })();
    return this.require(id);
  }

  /** A new draft with the plan's options and items (as planned), in the plan's environment. */
  duplicate(id: string, name: string): Plan {
    const source = this.require(id);
    return this.create({
      name,
      options: source.options,
      items: source.items,
      environment: source.environment,
    });
  }

  /** Puts a plan away (it keeps its runs and history); refused while it is armed or being sold. */
  archive(id: string): PlanSummary {
    this.ctx.db.transaction(() => {
      const row = this.editableRow(id);
      if (row.status === 'armed')
        throw conflict('plan-is-armed', 'This plan is armed; disarm it before archiving it.');
      this.setStatus(id, 'archived');
    })();
    return this.summary(id);
  }

  /** Brings an archived plan back: submitted when it has runs, else a draft. */
  unarchive(id: string): PlanSummary {
    this.ctx.db.transaction(() => {
      const row = this.row(id);
      if (!row) throw notFound('Plan', id);
      if (row.status !== 'archived') return;
      const runs = this.ctx.stmt('SELECT COUNT(*) AS n FROM runs WHERE plan_id = ?').get(id) as {
        n: number;
      };
      this.setStatus(id, runs.n > 0 ? 'submitted' : 'draft');
    })();
    return this.summary(id);
  }

  /** Removes these items from a plan that can be edited (the trader's "remove these"). */
  removeItems(
    id: string,
    keys: readonly { accountId: string; game: string; itemId: string }[],
  ): Plan {
    this.ctx.db.transaction(() => {
      this.editableRow(id);
      const remove = this.ctx.stmt(
        'DELETE FROM plan_items WHERE plan_id = ? AND account_id = ? AND game = ? AND item_id = ?',
      );
      let removed = 0;
      for (const k of keys) removed += remove.run(id, k.accountId, k.game, k.itemId).changes;
      if (removed > 0)
        this.ctx
          .stmt('UPDATE plans SET revision = revision + 1, updated_at = ? WHERE id = ?')
          .run(this.ctx.iso(), id);
    })();
    return this.require(id);
  }

  environmentOf(id: string): Environment {
    const row = this.row(id);
    if (!row) throw notFound('Plan', id);
    return row.environment;
  }

  get(id: string): Plan | null {
    const row = this.row(id);
    if (!row) return null;
    return { ...this.summarize(row), items: this.items(id) };
  }

  require(id: string): Plan {
    const plan = this.get(id);
    if (!plan) throw notFound('Plan', id);
    return plan;
  }

  summary(id: string): PlanSummary {
    const row = this.row(id);
    if (!row) throw notFound('Plan', id);
    return this.summarize(row);
  }

  /** Every plan but archived ones first… newest first. */
  list(options: { includeArchived?: boolean } = {}): PlanSummary[] {
    const rows = this.ctx
      .stmt(
        `SELECT * FROM plans ${options.includeArchived === false ? "WHERE status != 'archived'" : ''} ORDER BY updated_at DESC, id`,
      )
      .all() as PlanRow[];
    return rows.map((r) => this.summarize(r));
  }

  /** The plan's items in order, each with its market price from the cached inventory (null when none). */
  items(planId: string): PlanItem[] {
    const rows = this.ctx.stmt(SELECT_PLAN_ITEMS_WITH_MARKET).all(planId) as PlanItemRow[];
    return rows.map(toPlanItem);
  }

  revision(planId: string): number {
    const row = this.row(planId);
    if (!row) throw notFound('Plan', planId);
    return row.revision;
  }

  update(id: string, patch: { name?: string; options?: Partial<PlanOptions> }): Plan {
    this.ctx.db.transaction(() => {
      const row = this.editableRow(id);
      const name = patch.name === undefined ? row.name : this.checkName(patch.name);
      const options = patch.options
        ? this.checkOptions({ ...this.options(row), ...patch.options })
        : this.options(row);
      const changed = patch.options !== undefined;
      this.ctx
        .stmt(
          'UPDATE plans SET name = ?, options = ?, revision = revision + ?, updated_at = ? WHERE id = ?',
        )
        .run(name, toJson(options), changed ? 1 : 0, this.ctx.iso(), id);
    })();
    return this.require(id);
  }

  /** Replaces the plan's items (autosave sends the whole draft); all or nothing. */
  replaceItems(id: string, items: readonly PlanItem[]): Plan {
    const valid = validatePlanItems(items);
    this.ctx.db.transaction(() => {
      this.editableRow(id);
      this.ctx.stmt('DELETE FROM plan_items WHERE plan_id = ?').run(id);
      this.insertItems(id, valid);
      this.ctx
        .stmt('UPDATE plans SET revision = revision + 1, updated_at = ? WHERE id = ?')
        .run(this.ctx.iso(), id);
    })();
    return this.require(id);
  }

  /** Appends items to a draft (large imports, account by account); all or nothing. Returns the summary. */
  appendItems(id: string, items: readonly PlanItem[]): PlanSummary {
    const valid = validatePlanItems(items);
    this.ctx.db.transaction(() => {
      this.editableRow(id);
      const existing = this.ctx.stmt(
        'SELECT 1 FROM plan_items WHERE plan_id = ? AND account_id = ? AND game = ? AND item_id = ?',
      );
      const dup = valid
        .filter((i) => existing.get(id, i.accountId, i.game, i.itemId) !== undefined)
        .map((i) => i.itemId);
      if (dup.length)
        throw invalid(
          'duplicate-item',
          `These items are already in the plan: ${dup.slice(0, 10).join(', ')}.`,
          { itemIds: dup },
        );
      const next = (
        this.ctx
          .stmt('SELECT COALESCE(MAX(seq) + 1, 0) AS n FROM plan_items WHERE plan_id = ?')
          .get(id) as { n: number }
      ).n;
      this.insertItems(id, valid, next);
      this.ctx
        .stmt('UPDATE plans SET revision = revision + 1, updated_at = ? WHERE id = ?')
        .run(this.ctx.iso(), id);
    })();
    return this.summary(id);
  }

  /**
   * A plan that sent anything is history: archive it instead. Runs that never wrote a batch
   * (an armed plan that was disarmed) go with it; an armed plan is disarmed first.
   */
  delete(id: string): void {
    this.ctx.db.transaction(() => {
      const row = this.row(id);
      if (!row) throw notFound('Plan', id);
      if (row.status === 'armed')
        throw conflict('plan-is-armed', 'This plan is armed; disarm it before deleting it.');
      const sent = this.ctx.stmt('SELECT COUNT(*) AS n FROM batches WHERE plan_id = ?').get(id) as {
        n: number;
      };
      const writing = this.ctx
        .stmt('SELECT COUNT(*) AS n FROM runs WHERE plan_id = ? AND batches_pending = 1')
        .get(id) as { n: number };
      if (sent.n > 0 || writing.n > 0)
        throw conflict(
          'plan-has-runs',
          'This plan has been submitted; archive it instead of deleting it.',
        );
      this.ctx.stmt('DELETE FROM runs WHERE plan_id = ?').run(id);
      this.ctx.stmt('DELETE FROM plans WHERE id = ?').run(id);
    })();
  }

  /** (No summary back: that is an aggregate over every item of the plan.) */
  setStatus(id: string, status: PlanStatus): void {
    if (!PLAN_STATUSES.includes(status))
      throw invalid('invalid-status', `Unknown plan status ${String(status)}.`);
    const res = this.ctx
      .stmt('UPDATE plans SET status = ?, updated_at = ? WHERE id = ?')
      .run(status, this.ctx.iso(), id);
    if (res.changes === 0) throw notFound('Plan', id);
  }

  /**
   * Pre-flight acceptance, in SQL (inside the caller's transaction): kept items
   * (auto-accepted, or listed in `acceptedItemIds`) take the re-fetched price
   * exactly; unavailable, not accepted, below the plan's market share and
   * unconfirmed items leave the plan.
   * Bumps the revision and returns it.
   */
  applyPreflight(id: string, preflightId: string, acceptedItemIds: readonly string[]): number {
    const db = this.ctx.db;
    db.exec('CREATE TEMP TABLE IF NOT EXISTS accepted_items (item_id TEXT PRIMARY KEY)');
    db.exec('DELETE FROM temp.accepted_items');
    const add = this.ctx.stmt('INSERT OR IGNORE INTO temp.accepted_items (item_id) VALUES (?)');
    for (const itemId of acceptedItemIds) add.run(itemId);
    this.ctx
      .stmt(
        `DELETE FROM plan_items WHERE plan_id = @plan AND NOT EXISTS (
           SELECT 1 FROM preflight_rows r WHERE r.preflight_id = @pf AND r.account_id = plan_items.account_id AND r.game = plan_items.game
             AND r.item_id = plan_items.item_id AND r.change NOT IN ('unavailable','not-accepted','below-market-share') AND r.price_usd IS NOT NULL
             AND r.current_cents IS NOT NULL AND (r.auto_accepted = 1 OR r.item_id IN (SELECT item_id FROM temp.accepted_items)))`,
      )
      .run({ plan: id, pf: preflightId });
    this.ctx
      .stmt(
        `UPDATE plan_items SET price_usd = r.price_usd, price_cents = r.current_cents FROM preflight_rows r
         WHERE plan_items.plan_id = @plan AND r.preflight_id = @pf AND r.account_id = plan_items.account_id AND r.game = plan_items.game AND r.item_id = plan_items.item_id`,
      )
      .run({ plan: id, pf: preflightId });
    db.exec('DELETE FROM temp.accepted_items');
    this.ctx
      .stmt('UPDATE plans SET revision = revision + 1, updated_at = ? WHERE id = ?')
      .run(this.ctx.iso(), id);
    return this.revision(id);
  }

  /** Per (account, game): item count and total, in plan order (for confirmations and batching). */
  groups(id: string): { accountId: string; game: string; count: number; totalCents: number }[] {
    return (
      this.ctx
        .stmt(
          'SELECT account_id, game, COUNT(*) AS n, SUM(price_cents * amount) AS total, MIN(seq) AS first FROM plan_items WHERE plan_id = ? GROUP BY account_id, game ORDER BY first',
        )
        .all(id) as { account_id: string; game: string; n: number; total: number }[]
    ).map((g) => ({ accountId: g.account_id, game: g.game, count: g.n, totalCents: g.total }));
  }

  itemIds(id: string): string[] {
    return this.ctx
      .stmt('SELECT item_id FROM plan_items WHERE plan_id = ?')
      .pluck()
      .all(id) as string[];
  }

  /** The items of one (account, game) group, in plan order. */
  groupItems(id: string, accountId: string, game: string): PlanItem[] {
    const rows = this.ctx
      .stmt(`${SELECT_PLAN_ITEMS} AND account_id = ? AND game = ? ORDER BY seq`)
      .all(id, accountId, game) as PlanItemRow[];
    return rows.map(toPlanItem);
  }

  /**
   * A run of one group's items (`count` from `offset`, plan order) as parallel
   * arrays: run creation reads a chunk at a time, with no object per item.
   */
  groupColumns(
    id: string,
    accountId: string,
    game: string,
    range: { offset: number; count: number },
  ): { itemIds: string[]; prices: number[]; cents: number[]; amounts: number[] } {
    const rows = this.ctx
      .stmt(
        'SELECT item_id, price_usd, price_cents, amount FROM plan_items WHERE plan_id = ? AND account_id = ? AND game = ? ORDER BY seq, rowid LIMIT ? OFFSET ?',
      )
      .raw(true)
      .all(id, accountId, game, range.count, range.offset) as [string, number, number, number][];
    const out = {
      itemIds: new Array<string>(rows.length),
      prices: new Array<number>(rows.length),
      cents: new Array<number>(rows.length),
      amounts: new Array<number>(rows.length),
    };
    rows.forEach((r, k) => {
      out.itemIds[k] = r[0];
      out.prices[k] = r[1];
      out.cents[k] = r[2];
      out.amounts[k] = r[3];
    });
    return out;
  }

  /** Item ids planned more than once (under two accounts or games). */
  duplicateItemIds(id: string): string[] {
    return (
      this.ctx
        .stmt(
          'SELECT item_id FROM plan_items WHERE plan_id = ? GROUP BY item_id HAVING COUNT(*) > 1',
        )
        .all(id) as { item_id: string }[]
    ).map((r) => r.item_id);
  }

  options(row: { options: string }): PlanOptions {
    return parseJsonColumn(planOptionsSchema, row.options, 'plans.options');
  }

  status(id: string): PlanStatus {
    const row = this.ctx.stmt('SELECT status FROM plans WHERE id = ?').get(id) as
      { status: PlanStatus } | undefined;
    if (!row) throw notFound('Plan', id);
    return row.status;
  }

  optionsOf(id: string): PlanOptions {
    const row = this.row(id);
    if (!row) throw notFound('Plan', id);
    return this.options(row);
  }

  private row(id: string): PlanRow | undefined {
    return this.ctx.stmt('SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
  }

  private editableRow(id: string): PlanRow {
    const row = this.row(id);
    if (!row) throw notFound('Plan', id);
    const active = this.ctx
      .stmt(`SELECT COUNT(*) AS n FROM runs WHERE plan_id = ? AND state IN ${OPEN_RUN_STATES_SQL}`)
      .get(id) as { n: number };
    if (active.n > 0)
      throw conflict(
        'plan-is-running',
        'This plan is being sold; it can not be changed until its run ends.',
      );
    return row;
  }

  private summarize(row: PlanRow): PlanSummary {
    const options = this.options(row);
    const unavailableCount = CHECKED_STATUSES.includes(row.status)
      ? this.health.problems(row.id, row.environment).length
      : null;
    const groups = this.ctx
      .stmt(
        'SELECT COUNT(*) AS n, SUM(price_cents * amount) AS total FROM plan_items WHERE plan_id = ? GROUP BY account_id, game',
      )
      .all(row.id) as { n: number; total: number }[];
    let itemCount = 0;
    let totalCents = 0;
    for (const g of groups) {
      itemCount += g.n;
      totalCents += g.total;
    }
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      environment: row.environment,
      unavailableCount,
      itemCount,
      batchCount: batchCountFor(
        groups.map((g) => g.n),
        options.batchSize,
      ),
      totalCents,
      updatedAt: row.updated_at,
      options,
    };
  }

  private insertItems(planId: string, items: readonly PlanItem[], firstSeq = 0): void {
    if (items.length === 0) return;
    const accounts = new Set(items.map((i) => i.accountId));
    for (const accountId of accounts) {
      if (
        !this.ctx.stmt('SELECT 1 FROM accounts WHERE id = ? AND removed_at IS NULL').get(accountId)
      ) {
        throw invalid('unknown-account', `Account ${accountId} does not exist.`, { accountId });
      }
    }
    const stmt = this.ctx.stmt(
      'INSERT INTO plan_items (plan_id, seq, account_id, game, item_id, name, price_usd, price_cents, amount, exterior, wear) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    items.forEach((item, i) =>
      stmt.run(
        planId,
        firstSeq + i,
        item.accountId,
        item.game,
        item.itemId,
        item.name,
        item.priceUsd,
        item.priceCents,
        item.amount,
        item.exterior ?? null,
        item.wear ?? null,
      ),
    );
  }

  private checkName(name: string): string {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 100)
      throw invalid('invalid-name', 'Plan name must be 1–100 characters.');
    return trimmed;
  }

  private checkOptions(options: PlanOptions): PlanOptions {
    const parsed = planOptionsSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      if (field === 'batchSize') {
        throw invalid(
          'batch-size-too-large',
          `Batch size must be between 1 and 250 items (AssetPay accepts at most 250 per sell); got ${String(options.batchSize)}.`,
        );
      }
      throw invalid(
        'invalid-options',
        `Invalid plan options: ${field}: ${issue?.message ?? 'invalid'}`,
      );
    }
    return parsed.data;
  }
}

export const planStatusSchema = z.enum(PLAN_STATUSES);
