import { GAME_NAMES, GAMES, type GameId } from '../../../../shared/api/games';
import { AppError } from '../../../../shared/contract/result';
import type {
  Account,
  ImportRowError,
  InventoryRow,
  PlanItem,
} from '../../../../shared/contract/views';
import { safeFileName, toCsv } from '../../../../shared/csv';
import { parseItemList, type ParsedItemRow } from '../../../../shared/import';
import { applyMarketShareRule, formatShare, marketShareBp } from '../../../../shared/market-share';
import { formatCentsPlain } from '../../../../shared/money';
import type { Handlers } from '../../../../shared/contract/contract';
import type { PlanItemInput, ResolveError } from '../../services/store';
import { requirePlanHere, type AppContext } from '../context';

/*
 * Plan files: import a trader's list (CSV/JSON of itemId,price[,amount]) and
 * export a plan. A file the app wrote comes back whole: each row sells from the
 * account and game it names (accountId, else the account's name; game), and
 * the importer's pickers are only the default for rows that name neither.
 *
 * Every row is imported or comes back as a row error with its row number and
 * reason. The file's price is the price the trader plans to sell at: when it
 * equals the cached offer (to the cent) the cached dollar number is kept
 * exactly, otherwise the file's price is kept — the report says so at once,
 * with the offer — and the pre-flight shows the difference to the current
 * offer, which must then be accepted before anything is sold. A row without an amount sells every unit left (1 for CS2).
 * Imported rows are merged into the plan: an item already in it takes the
 * imported price and amount, and is counted as updated, not added. Rows below
 * the plan's "X % of market" rule are left out, each with its reason.
 */

const MAX_PLAN_ITEMS = 100_000;

type PlanFileHandlers = Pick<Handlers, 'importPlanItems' | 'exportPlan'>;

const keyOf = (item: { accountId: string; game: string; itemId: string }): string =>
  `${item.accountId}\u0000${item.game}\u0000${item.itemId}`;

export function planFileHandlers(ctx: AppContext): PlanFileHandlers {
  return {
    importPlanItems: ({ planId, accountId, game, format, text }) => {
      const plan = ctx.store.plans.require(planId);
      requirePlanHere(ctx, planId, 'import into');
      ctx.store.inventory.assertAccount(accountId);
      const parsed = parseItemList(text, format);
      const errors: ImportRowError[] = [...parsed.errors];

      // Each row's own account and game, else the pickers'.
      const origin = originResolver(ctx.store.accounts.list(), { accountId, game });
      const placed: { row: ParsedItemRow; accountId: string; game: GameId }[] = [];
      for (const row of parsed.rows) {
        const where = origin(row);
        if ('reason' in where) errors.push({ row: row.row, reason: where.reason });
        else placed.push({ row, ...where });
      }

      const cached = cachedRows(ctx, placed);
      const inputs: PlanItemInput[] = placed.map(({ row, accountId: a, game: g }) => ({
        accountId: a,
        game: g,
        itemId: row.itemId,
        amount:
          row.amount ??
          defaultAmount(cached.get(keyOf({ accountId: a, game: g, itemId: row.itemId })), g),
      }));
      const resolved = ctx.store.inventory.resolvePlanItems(inputs);
      for (const error of resolved.errors) {
        const input = inputs[error.index]!;
        errors.push({
          row: placed[error.index]!.row.row,
          reason: rowReason(
            error,
            input.game,
            cached.get(keyOf(input)),
            ctx.store.accounts.get(input.accountId),
          ),
        });
      }

      // resolvePlanItems keeps the input order, so the good rows line up with the placed rows minus the errors.
      const failed = new Set(resolved.errors.map((e) => e.index));
      const goodRows = placed.filter((_, index) => !failed.has(index));
      const priced = resolved.items.map((item, i) => {
        const { row } = goodRows[i]!;
        return {
          row: row.row,
          offerCents: item.priceCents,
          item:
            row.priceCents === item.priceCents
              ? item
              : { ...item, priceUsd: row.priceUsd, priceCents: row.priceCents },
        };
      });
      const rule = plan.options.minMarketShareBp;
      const { kept, leftOut } = applyMarketShareRule(
        priced.map((p) => ({
          ...p,
          priceCents: p.item.priceCents,
          marketPriceCents: p.item.marketPriceCents,
        })),
        rule,
      );
      for (const { row, item } of leftOut) {
        errors.push({
          row,
          reason: `${item.name}: the offer is ${formatShare(marketShareBp(item.priceCents, item.marketPriceCents ?? null))} of the market price, below this plan's ${formatShare(rule ?? 0)}.`,
        });
      }
      const imported: PlanItem[] = kept.map((k) => k.item);
      // Said at once: the plan's total counts the file's prices until the pre-flight asks.
      const priceDiffers = kept
        .filter((k) => k.item.priceCents !== k.offerCents)
        .map((k) => ({
          row: k.row,
          itemId: k.item.itemId,
          name: k.item.name,
          fileCents: k.item.priceCents,
          offerCents: k.offerCents,
        }));

      errors.sort((a, b) => a.row - b.row);
      if (imported.length === 0)
        return { plan, imported: 0, added: 0, updated: 0, errors, priceDiffers };

      const merged = new Map(plan.items.map((item) => [keyOf(item), item]));
      let updated = 0;
      for (const item of imported) {
        if (merged.has(keyOf(item))) updated++;
        merged.set(keyOf(item), item);
      }
      if (merged.size > MAX_PLAN_ITEMS) {
        throw new AppError(
          'invalid-request',
          `A plan holds at most ${MAX_PLAN_ITEMS.toLocaleString('en-US')} items; this import would make it ${merged.size.toLocaleString('en-US')}.`,
          { reason: 'plan-too-large' },
        );
      }
      const next = ctx.store.plans.replaceItems(planId, [...merged.values()]);
      const added = imported.length - updated;
      ctx.store.events.append({
        kind: 'plan-imported',
        planId,
        payload: { format, added, updated, rowErrors: errors.length },
      });
      return { plan: next, imported: imported.length, added, updated, errors, priceDiffers };
    },

    exportPlan: ({ planId, format }) => {
      const plan = ctx.store.plans.require(planId);
      const labels = new Map(ctx.store.accounts.list().map((a) => [a.id, a.label]));
      const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      const fileName = safeFileName(`plan-${plan.name}-${stamp}`, format);
      if (format === 'csv') {
        const text = toCsv(
          [
            'itemId',
            'name',
            'exterior',
            'float',
            'price',
            'amount',
            'game',
            'accountId',
            'account',
          ],
          plan.items.map((item) => [
            item.itemId,
            item.name,
            item.exterior ?? '',
            item.wear ?? '',
            formatCentsPlain(item.priceCents),
            item.amount,
            item.game,
            item.accountId,
            labels.get(item.accountId) ?? '',
          ]),
        );
        return { fileName, text };
      }
      const text = JSON.stringify(
        {
          plan: {
            id: plan.id,
            name: plan.name,
            environment: plan.environment,
            options: plan.options,
            itemCount: plan.itemCount,
            totalCents: plan.totalCents,
          },
          items: plan.items.map((item) => ({
            itemId: item.itemId,
            name: item.name,
            exterior: item.exterior ?? null,
            float: item.wear ?? null,
            price: item.priceUsd,
            amount: item.amount,
            game: item.game,
            accountId: item.accountId,
            account: labels.get(item.accountId) ?? '',
          })),
        },
        null,
        2,
      );
      return { fileName, text };
    },
  };
}

type Origin = { accountId: string; game: GameId } | { reason: string };

/**
 * Where a row sells from: its accountId when it is one of the trader's accounts, else the
 * account's name (an export from another computer has other ids but the same names), else
 * the default; its game, else the default.
 */
function originResolver(
  accounts: readonly Account[],
  defaults: { accountId: string; game: GameId },
): (row: ParsedItemRow) => Origin {
  const byId = new Set(accounts.map((a) => a.id));
  const byName = new Map<string, string[]>();
  for (const a of accounts) byName.set(a.label, [...(byName.get(a.label) ?? []), a.id]);
  return (row) => {
    const game = row.game ?? defaults.game;
    if (row.accountId !== null && byId.has(row.accountId))
      return { accountId: row.accountId, game };
    if (row.accountName !== null) {
      const ids = byName.get(row.accountName) ?? [];
      if (ids.length === 1) return { accountId: ids[0]!, game };
      if (ids.length > 1)
        return {
          reason: `Two or more accounts are named “${row.accountName}”; give the row an accountId.`,
        };
      return { reason: `No account is named “${row.accountName}” (add it in Accounts first).` };
    }
    if (row.accountId !== null)
      return { reason: `Unknown account ${row.accountId}: it is not one of your accounts.` };
    return { accountId: defaults.accountId, game };
  };
}

/** The cached rows (with what is left of each) of the placed rows, by plan key. */
function cachedRows(
  ctx: AppContext,
  placed: readonly { row: ParsedItemRow; accountId: string; game: GameId }[],
): Map<string, InventoryRow> {
  const groups = new Map<string, { accountId: string; game: GameId; ids: string[] }>();
  for (const p of placed) {
    const key = `${p.accountId}\u0000${p.game}`;
    const group = groups.get(key) ?? { accountId: p.accountId, game: p.game, ids: [] };
    group.ids.push(p.row.itemId);
    groups.set(key, group);
  }
  const out = new Map<string, InventoryRow>();
  for (const g of groups.values()) {
    const rows = ctx.store.inventory.getItems(g.accountId, g.game, g.ids, { marked: true });
    for (const row of rows.values()) out.set(keyOf(row), row);
  }
  return out;
}

/** A Rust row without an amount sells every unit left; CS2 items are single. */
function defaultAmount(row: InventoryRow | undefined, game: GameId): number | undefined {
  if (!row || game !== GAMES.rust) return undefined;
  const cap = Math.min(row.amount, row.maxAmount ?? row.amount);
  return cap >= 1 ? Math.min(cap, 10_000) : undefined;
}

function rowReason(
  error: ResolveError,
  game: GameId,
  row: InventoryRow | undefined,
  account: Account | null,
): string {
  switch (error.reason) {
    case 'unknown-item': {
      const where = account ? ` of “${account.label}”` : '';
      return `Unknown item id: it is not in the cached ${GAME_NAMES[game]} inventory${where} (fetch that inventory, then import again).`;
    }
    case 'unknown-account':
      return 'Unknown account.';
    case 'not-tradable':
      return `${row?.name ?? 'This item'} is not tradable on Steam right now.`;
    case 'not-accepted':
      return `AssetPay does not accept ${row?.name ?? 'this item'} at the moment.`;
    case 'no-price':
      return `${row?.name ?? 'This item'} has no AssetPay offer price.`;
    case 'amount-too-large':
    case 'taken':
      return error.message;
    case 'duplicate-item':
      return 'Duplicate item id.';
  }
}
