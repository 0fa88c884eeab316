import { asGame } from './enums';
import type { GameId } from '../../../../shared/api/games';
import { gameIdSchema } from '../../../../shared/api/games';
import type { InventoryItem } from '../../../../shared/api/schemas';
import type { Environment } from '../../../../shared/domain';
import type { InventoryRow, InventorySnapshot, PlanItem } from '../../../../shared/model';
import {
  InventoryColumnsBuilder,
  type InventoryColumns,
  type InventoryTuple,
} from '../../../../shared/inventory-columns';
import { usdToCents } from '../../../../shared/money';
import { chunks, invalid, notFound, type StoreContext } from './context';
import { placeholders } from './sql';
import { readTaken, rowKey, type TakenUnits } from './taken-items';

export interface InventoryFilter {
  accountId?: string;
  game?: GameId;
  search?: string;
  type?: string;
  exterior?: string;
  minCents?: number;
  maxCents?: number;
  /** tradable and offer.accepted (only those can be sold, design §1 flow 2). */
  sellableOnly?: boolean;
  sort?: 'name' | 'priceAsc' | 'priceDesc' | 'type';
  offset?: number;
  limit?: number;
}

export interface PlanItemInput {
  accountId: string;
  game: GameId;
  itemId: string;
  amount?: number;
}

export interface ResolveError {
  index: number;
  itemId: string;
  reason:
    | 'unknown-account'
    | 'unknown-item'
    | 'not-tradable'
    | 'not-accepted'
    | 'no-price'
    | 'amount-too-large'
    | 'duplicate-item'
    /** Every unit was sold (or is being sold) since the cached copy was fetched. */
    | 'taken';
  message: string;
}

interface ItemRow {
  account_id: string;
  game: string;
  item_id: string;
  name: string;
  market_hash_name: string;
  type: string;
  exterior: string | null;
  wear: string | null;
  rarity: string | null;
  color: string | null;
  icon_url: string;
  tradable: number;
  accepted: number;
  price_usd: number | null;
  price_cents: number | null;
  market_price_cents: number | null;
  amount: number;
  max_amount: number | null;
}

const ROW_COLUMNS =
  'account_id, game, item_id, name, market_hash_name, type, exterior, wear, rarity, color, icon_url, tradable, accepted, price_usd, price_cents, market_price_cents, amount, max_amount';
const ROW_COLUMNS_OF_I = ROW_COLUMNS.split(', ')
  .map((c) => `i.${c}`)
  .join(', ');

/** Units left of a cached stack once what was sold or is being sold since the fetch is off. */
const unitsLeft = (t: TakenUnits): number => Math.max(0, t.cachedAmount - t.sold - t.selling);

/** The cached row with its units reduced by what was sold or is being sold since the fetch. */
function withTaken(row: InventoryRow, taken: TakenUnits | undefined): InventoryRow {
  if (!taken) return row;
  return {
    ...row,
    amount: unitsLeft(taken),
    taken: { soldUnits: taken.sold, sellingUnits: taken.selling, planName: taken.planName },
  };
}

function toRow(row: ItemRow): InventoryRow {
  return {
    accountId: row.account_id,
    game: asGame(row.game),
    itemId: row.item_id,
    name: row.name,
    marketHashName: row.market_hash_name,
    type: row.type,
    exterior: row.exterior,
    wear: row.wear,
    rarity: row.rarity,
    color: row.color,
    iconUrl: row.icon_url,
    tradable: row.tradable === 1,
    accepted: row.accepted === 1,
    priceUsd: row.price_usd ?? 0,
    priceCents: row.price_cents ?? 0,
    marketPriceCents: row.market_price_cents,
    amount: row.amount,
    maxAmount: row.max_amount,
    taken: null,
  };
}

function safeCents(usd: number | undefined): number | null {
  if (usd === undefined || !Number.isFinite(usd)) return null;
  try {
    return usdToCents(usd);
  } catch {
    return null;
  }
}

/**
 * Cached inventories: one snapshot per (account, environment, game), replaced whole on every
 * fetch. Every method works on the selected environment; the others' copies are kept for when
 * the trader switches back.
 */
export class InventoryRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly environment: () => Environment,
  ) {}

  /**
   * Replaces the cached inventory of one account and game in one transaction
   * with prepared statements (100,000 items take well under a second).
   */
  replaceSnapshot(
    accountId: string,
    game: GameId,
    items: readonly InventoryItem[],
    fetchedAt: string,
    meta: { count?: number; apiUpdatedAt?: string | null } = {},
  ): InventorySnapshot {
    const db = this.ctx.db;
    const environment = this.environment();
    const account = this.ctx
      .stmt('SELECT 1 FROM accounts WHERE id = ? AND removed_at IS NULL')
      .get(accountId);
    if (!account) throw notFound('Account', accountId);
    const insert = this.ctx.stmt(
      `INSERT OR REPLACE INTO inventory_items (environment, ${ROW_COLUMNS}, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let stored = 0;
    db.transaction(() => {
      this.ctx
        .stmt('DELETE FROM inventory_items WHERE account_id = ? AND environment = ? AND game = ?')
        .run(accountId, environment, game);
      this.ctx
        .stmt(
          `INSERT INTO inventory_snapshots (account_id, environment, game, fetched_at, count, api_updated_at, item_count) VALUES (?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT(account_id, environment, game) DO UPDATE SET fetched_at = excluded.fetched_at, count = excluded.count, api_updated_at = excluded.api_updated_at, item_count = 0`,
        )
        .run(
          accountId,
          environment,
          game,
          fetchedAt,
          meta.count ?? items.length,
          meta.apiUpdatedAt ?? null,
        );
      for (const item of items) {
        const price = item.offer?.price;
        const priceCents = safeCents(price);
        insert.run(
          environment,
          accountId,
          game,
          item.id,
          item.name ?? item.marketHashName ?? item.id,
          item.marketHashName ?? item.name ?? '',
          item.type ?? '',
          item.exterior ?? null,
          item.wear ?? null,
          item.rarity ?? null,
          item.color ?? null,
          item.iconUrl ?? '',
          item.tradable ? 1 : 0,
          item.offer?.accepted === true ? 1 : 0,
          priceCents === null ? null : price!,
          priceCents,
          safeCents(item.marketPrice),
          Number.isInteger(item.amount) && item.amount! > 0 ? item.amount! : 1,
          Number.isInteger(item.offer?.maxAmount) ? item.offer!.maxAmount! : null,
          JSON.stringify(item),
        );
      }
      stored = (
        this.ctx
          .stmt(
            'SELECT COUNT(*) AS n FROM inventory_items WHERE account_id = ? AND environment = ? AND game = ?',
          )
          .get(accountId, environment, game) as { n: number }
      ).n;
      this.ctx
        .stmt(
          'UPDATE inventory_snapshots SET item_count = ? WHERE account_id = ? AND environment = ? AND game = ?',
        )
        .run(stored, accountId, environment, game);
    })();
    return { accountId, environment, game, itemCount: stored, fetchedAt };
  }

  listSnapshots(): InventorySnapshot[] {
    const environment = this.environment();
    const rows = this.ctx
      .stmt(
        `SELECT s.account_id, s.game, s.item_count, s.fetched_at FROM inventory_snapshots s
         JOIN accounts a ON a.id = s.account_id AND a.removed_at IS NULL
         WHERE s.environment = ? ORDER BY a.created_at, s.game`,
      )
      .all(environment) as {
      account_id: string;
      game: string;
      item_count: number;
      fetched_at: string;
    }[];
    return rows.map((r) => ({
      accountId: r.account_id,
      environment,
      game: gameIdSchema.parse(r.game),
      itemCount: r.item_count,
      fetchedAt: r.fetched_at,
    }));
  }

  getSnapshot(
    accountId: string,
    game: GameId,
  ): (InventorySnapshot & { apiUpdatedAt: string | null }) | null {
    const environment = this.environment();
    const r = this.ctx
      .stmt(
        'SELECT item_count, fetched_at, api_updated_at FROM inventory_snapshots WHERE account_id = ? AND environment = ? AND game = ?',
      )
      .get(accountId, environment, game) as
      { item_count: number; fetched_at: string; api_updated_at: string | null } | undefined;
    return r
      ? {
          accountId,
          environment,
          game,
          itemCount: r.item_count,
          fetchedAt: r.fetched_at,
          apiUpdatedAt: r.api_updated_at,
        }
      : null;
  }

  /**
   * Filtered, sorted page of the cached inventory and the total matching count. Each row's
   * units are what is left after what the app sold or is selling since the fetch.
   */
  query(filter: InventoryFilter = {}): { total: number; rows: InventoryRow[] } {
    const environment = this.environment();
    const taken = readTaken(this.ctx, environment, filter);
    const where: string[] = ['a.removed_at IS NULL', 'i.environment = @environment'];
    const args: Record<string, unknown> = { environment };
    if (filter.accountId) {
      where.push('i.account_id = @account');
      args.account = filter.accountId;
    }
    if (filter.game) {
      where.push('i.game = @game');
      args.game = filter.game;
    }
    if (filter.search) {
      where.push("(i.name LIKE @like ESCAPE '\\' OR i.market_hash_name LIKE @like ESCAPE '\\')");
      args.like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (filter.type) {
      where.push('i.type = @type');
      args.type = filter.type;
    }
    if (filter.exterior) {
      where.push('i.exterior = @exterior');
      args.exterior = filter.exterior;
    }
    if (filter.minCents !== undefined) {
      where.push('i.price_cents >= @minCents');
      args.minCents = filter.minCents;
    }
    if (filter.maxCents !== undefined) {
      where.push('i.price_cents <= @maxCents');
      args.maxCents = filter.maxCents;
    }
    if (filter.sellableOnly) {
      where.push('i.tradable = 1 AND i.accepted = 1 AND i.price_cents IS NOT NULL');
      const gone = [...taken].filter(([, t]) => unitsLeft(t) === 0).map(([key]) => key);
      if (gone.length > 0) {
        where.push(
          '(i.account_id || char(0) || i.game || char(0) || i.item_id) NOT IN (SELECT value FROM json_each(@gone))',
        );
        args.gone = JSON.stringify(gone);
      }
    }
    const order = {
      name: 'i.name, i.item_id',
      priceAsc: 'i.price_cents, i.name, i.item_id',
      priceDesc: 'i.price_cents DESC, i.name, i.item_id',
      type: 'i.type, i.name, i.item_id',
    }[filter.sort ?? 'name'];
    const from = `FROM inventory_items i JOIN accounts a ON a.id = i.account_id WHERE ${where.join(' AND ')}`;
    const total = (this.ctx.stmt(`SELECT COUNT(*) AS n ${from}`).get(args) as { n: number }).n;
    args.limit = Math.max(1, Math.min(filter.limit ?? 500, 100_000));
    args.offset = Math.max(0, filter.offset ?? 0);
    const rows = this.ctx
      .stmt(`SELECT ${ROW_COLUMNS_OF_I} ${from} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
      .all(args) as ItemRow[];
    if (taken.size === 0) return { total, rows: rows.map(toRow) };
    return {
      total,
      rows: rows.map((r) =>
        withTaken(toRow(r), taken.get(rowKey(r.account_id, r.game, r.item_id))),
      ),
    };
  }

  /**
   * The whole cached inventory of one account and game as columns, in name
   * order (what the inventory screen holds in memory): raw SQL rows straight
   * into the columns, no object per item. Units sold or being sold since the
   * fetch are off each stack, as in `query`.
   */
  columns(accountId: string, game: GameId): InventoryColumns {
    const environment = this.environment();
    const taken = readTaken(this.ctx, environment, { accountId, game });
    const builder = new InventoryColumnsBuilder(accountId, game);
    const rows = this.ctx
      .stmt(
        `SELECT i.item_id, i.name, i.market_hash_name, i.type, i.exterior, i.wear, i.rarity, i.color, i.icon_url,
                i.tradable, i.accepted, COALESCE(i.price_usd, 0), COALESCE(i.price_cents, 0), i.market_price_cents, i.amount, i.max_amount
         FROM inventory_items i JOIN accounts a ON a.id = i.account_id AND a.removed_at IS NULL
         WHERE i.account_id = ? AND i.environment = ? AND i.game = ? ORDER BY i.name, i.item_id`,
      )
      .raw()
      .all(accountId, environment, game) as InventoryTuple[];
    for (const row of rows) {
      // SQLite has no booleans: the two flags come back as 0/1.
      row[9] = (row[9] as unknown) === 1;
      row[10] = (row[10] as unknown) === 1;
      const mark = taken.size === 0 ? undefined : taken.get(rowKey(accountId, game, row[0]));
      if (mark) {
        row[14] = unitsLeft(mark);
        builder.add(row, {
          soldUnits: mark.sold,
          sellingUnits: mark.selling,
          planName: mark.planName,
        });
      } else builder.add(row);
    }
    return builder.build();
  }

  /**
   * The cached rows of these items of one account and game, by item id, as AssetPay gave them.
   * `marked`: with their units reduced by what the app sold or is selling since (for planning).
   */
  getItems(
    accountId: string,
    game: GameId,
    itemIds: readonly string[],
    options: { marked?: boolean } = {},
  ): Map<string, InventoryRow> {
    const out = new Map<string, InventoryRow>();
    const environment = this.environment();
    const taken = options.marked ? readTaken(this.ctx, environment, { accountId, game }) : null;
    const stmtFor = (n: number) =>
      this.ctx.stmt(
        `SELECT ${ROW_COLUMNS} FROM inventory_items
         WHERE account_id = ? AND environment = ? AND game = ? AND item_id IN (${placeholders(n)})`,
      );
    for (const part of chunks([...new Set(itemIds)])) {
      const rows = stmtFor(part.length).all(accountId, environment, game, ...part) as ItemRow[];
      for (const row of rows) {
        const plain = toRow(row);
        const mark = taken?.get(rowKey(accountId, game, row.item_id));
        out.set(row.item_id, withTaken(plain, mark));
      }
    }
    return out;
  }

  /** Every cached row of one account and game. */
  allItems(accountId: string, game: GameId): InventoryRow[] {
    return (
      this.ctx
        .stmt(
          `SELECT ${ROW_COLUMNS} FROM inventory_items WHERE account_id = ? AND environment = ? AND game = ?`,
        )
        .all(accountId, this.environment(), game) as ItemRow[]
    ).map(toRow);
  }

  /**
   * Turns what the renderer proposes ({accountId, game, itemId, amount?}) into
   * plan items with name, price, exterior and float from the cached inventory.
   * Items that are not in the cache, not sellable, sold since the fetch or over
   * the units left are reported, not guessed.
   */
  resolvePlanItems(inputs: readonly PlanItemInput[]): {
    items: PlanItem[];
    errors: ResolveError[];
  } {
    const items: PlanItem[] = [];
    const errors: ResolveError[] = [];
    const groups = new Map<string, { accountId: string; game: GameId; ids: string[] }>();
    for (const input of inputs) {
      const key = `${input.accountId}\u0000${input.game}`;
      const g = groups.get(key) ?? { accountId: input.accountId, game: input.game, ids: [] };
      g.ids.push(input.itemId);
      groups.set(key, g);
    }
    const rows = new Map<string, Map<string, InventoryRow>>();
    const activeAccounts = new Set<string>();
    for (const g of groups.values()) {
      if (
        this.ctx.stmt('SELECT 1 FROM accounts WHERE id = ? AND removed_at IS NULL').get(g.accountId)
      )
        activeAccounts.add(g.accountId);
      rows.set(
        `${g.accountId}\u0000${g.game}`,
        this.getItems(g.accountId, g.game, g.ids, { marked: true }),
      );
    }
    const seen = new Set<string>();
    inputs.forEach((input, index) => {
      const fail = (reason: ResolveError['reason'], message: string) =>
        errors.push({ index, itemId: input.itemId, reason, message });
      const dupKey = `${input.accountId}\u0000${input.game}\u0000${input.itemId}`;
      if (seen.has(dupKey)) return fail('duplicate-item', `Item ${input.itemId} is listed twice.`);
      seen.add(dupKey);
      if (!activeAccounts.has(input.accountId))
        return fail('unknown-account', `Account ${input.accountId} does not exist.`);
      const row = rows.get(`${input.accountId}\u0000${input.game}`)?.get(input.itemId);
      if (!row)
        return fail(
          'unknown-item',
          `Item ${input.itemId} is not in the cached inventory of this account and game.`,
        );
      if (!row.tradable) return fail('not-tradable', `${row.name} is not tradable.`);
      if (!row.accepted) return fail('not-accepted', `${row.name} is not accepted by AssetPay.`);
      if (row.priceUsd <= 0) return fail('no-price', `${row.name} has no AssetPay offer price.`);
      if (row.amount === 0 && row.taken)
        return fail('taken', `${row.name} ${takenWords(row.taken)}.`);
      const amount = input.amount ?? 1;
      const cap = Math.min(row.amount, row.maxAmount ?? Number.MAX_SAFE_INTEGER);
      if (!Number.isInteger(amount) || amount < 1 || amount > cap) {
        return fail(
          'amount-too-large',
          `${row.name}: amount ${amount} is more than the ${cap} available.`,
        );
      }
      items.push({
        accountId: input.accountId,
        game: input.game,
        itemId: input.itemId,
        name: row.name,
        priceUsd: row.priceUsd,
        priceCents: row.priceCents,
        amount,
        exterior: row.exterior,
        wear: row.wear,
        marketPriceCents: row.marketPriceCents,
      });
    });
    return { items, errors };
  }

  /** Refuses an unknown account early (used by importers). */
  assertAccount(accountId: string): void {
    if (
      !this.ctx.stmt('SELECT 1 FROM accounts WHERE id = ? AND removed_at IS NULL').get(accountId)
    ) {
      throw invalid('unknown-account', `Account ${accountId} does not exist.`);
    }
  }
}

/** "was sold in “Plan A”" / "is being sold in “Plan A”". */
function takenWords(taken: NonNullable<InventoryRow['taken']>): string {
  const where = taken.planName ? ` in “${taken.planName}”` : '';
  return taken.sellingUnits > 0 ? `is being sold${where}` : `was sold${where}`;
}
