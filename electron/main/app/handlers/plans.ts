import type { GameId } from '../../../../shared/api/games';
import { AppError } from '../../../../shared/contract/result';
import type {
  ImportRowError,
  InventoryRow,
  PlanItem,
  PlanOptions,
  Settings,
} from '../../../../shared/contract/views';
import { safeFileName, toCsv } from '../../../../shared/csv';
import { parseItemList } from '../../../../shared/import';
import { applyMarketShareRule, formatShare, marketShareBp } from '../../../../shared/market-share';
import { formatCentsPlain } from '../../../../shared/money';
import type { Handlers } from '../../../../shared/contract/contract';
import type { PlanItemInput, ResolveError } from '../../services/store';
import type { AppContext } from '../context';
import { listSome } from '../errors';

/*
 * Plans work offline (design §1 flow 3): items are resolved against the
 * cached inventory — name and the exact offer price come from there — and a
 * plan never holds an item AssetPay would refuse on sight: unknown ids, items
 * that are not tradable or not accepted, Rust amounts above the stack or the
 * offer's maxAmount are refused by name.
 *
 * Import (CSV/JSON of itemId,price[,amount]): every row is imported or comes
 * back as a row error with its row number and reason. The file's price is the
 * price the trader plans to sell at: when it equals the cached offer (to the
 * cent) the cached dollar number is kept exactly, otherwise the file's price
 * is kept and the pre-flight shows the difference to the current offer,
 * which must then be accepted before anything is sold. A row without an
 * amount sells the whole sellable stack (1 for CS2). Imported rows are merged
 * into the plan (an item already in it takes the imported price and amount).
 *
 * A plan's "leave out items below X % of market" rule (issue 11) is applied
 * whenever items go in or the rule changes — by the cached market price — and
 * again at pre-flight with the fresh one (store/preflights.ts). The renderer
 * applies the same rule first and says what it left out; an import reports
 * each such row.
 */

const MAX_PLAN_ITEMS = 100_000;

type PlanHandlers = Pick<
  Handlers,
  | 'listPlans'
  | 'getPlan'
  | 'createPlan'
  | 'updatePlan'
  | 'deletePlan'
  | 'importPlanItems'
  | 'exportPlan'
>;

const keyOf = (item: { accountId: string; game: string; itemId: string }): string =>
  `${item.accountId}\u0000${item.game}\u0000${item.itemId}`;

export function planHandlers(ctx: AppContext): PlanHandlers {
  const defaultsFrom = (settings: Settings): PlanOptions => ({
    batchSize: settings.batchSize,
    isInstant: settings.isInstant,
    priceToleranceBp: settings.priceToleranceBp,
  });

  /** Resolves proposed items or refuses the whole request, naming the items and why. */
  const resolveOrRefuse = (inputs: readonly PlanItemInput[]): PlanItem[] => {
    const { items, errors } = ctx.store.inventory.resolvePlanItems(inputs);
    if (errors.length > 0) throw refusal(errors);
    return items;
  };

  return {
    listPlans: () => ctx.store.plans.list(),

    getPlan: ({ planId }) => ctx.store.plans.require(planId),

    createPlan: ({ name, options, items }) => {
      const planOptions = { ...defaultsFrom(ctx.store.settings.get()), ...(options ?? {}) };
      const resolved = applyMarketShareRule(
        resolveOrRefuse(items ?? []),
        planOptions.minMarketShareBp,
      ).kept;
      const plan = ctx.store.plans.create({ name, options: planOptions, items: resolved });
      ctx.store.events.append({
        kind: 'plan-created',
        planId: plan.id,
        payload: { items: plan.itemCount },
      });
      return plan;
    },

    updatePlan: ({ planId, name, options, items }) => {
      const current = ctx.store.plans.require(planId);
      const rule =
        options?.minMarketShareBp !== undefined
          ? options.minMarketShareBp
          : current.options.minMarketShareBp;
      const ruleChanged = (rule ?? null) !== (current.options.minMarketShareBp ?? null);
      const proposed =
        items !== undefined ? resolveOrRefuse(items) : ruleChanged ? current.items : undefined;
      const resolved = proposed && applyMarketShareRule(proposed, rule).kept;
      return ctx.store.transaction(() => {
        if (name !== undefined || options !== undefined) {
          ctx.store.plans.update(planId, {
            ...(name !== undefined ? { name } : {}),
            ...(options !== undefined ? { options } : {}),
          });
        }
        if (resolved !== undefined) ctx.store.plans.replaceItems(planId, resolved);
        return ctx.store.plans.require(planId);
      });
    },

    deletePlan: ({ planId }) => {
      ctx.store.plans.delete(planId);
      return { ok: true as const };
    },

    importPlanItems: ({ planId, accountId, game, format, text }) => {
      const plan = ctx.store.plans.require(planId);
      ctx.store.inventory.assertAccount(accountId);
      const parsed = parseItemList(text, format);
      const errors: ImportRowError[] = [...parsed.errors];

      const cached = ctx.store.inventory.getItems(
        accountId,
        game,
        parsed.rows.map((r) => r.itemId),
      );
      const inputs: PlanItemInput[] = parsed.rows.map((row) => ({
        accountId,
        game,
        itemId: row.itemId,
        amount: row.amount ?? defaultAmount(cached.get(row.itemId), game),
      }));
      const resolved = ctx.store.inventory.resolvePlanItems(inputs);
      for (const error of resolved.errors) {
        errors.push({
          row: parsed.rows[error.index]!.row,
          reason: rowReason(error, cached.get(error.itemId)),
        });
      }

      // resolvePlanItems keeps the input order, so the good rows line up with the parsed rows minus the errors.
      const failed = new Set(resolved.errors.map((e) => e.index));
      const goodRows = parsed.rows.filter((_, index) => !failed.has(index));
      const priced = resolved.items.map((item, i) => {
        const row = goodRows[i]!;
        return {
          row: row.row,
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

      errors.sort((a, b) => a.row - b.row);
      if (imported.length === 0) return { plan, imported: 0, errors };

      const merged = new Map(plan.items.map((item) => [keyOf(item), item]));
      for (const item of imported) merged.set(keyOf(item), item);
      if (merged.size > MAX_PLAN_ITEMS) {
        throw new AppError(
          'invalid-request',
          `A plan holds at most ${MAX_PLAN_ITEMS.toLocaleString('en-US')} items; this import would make it ${merged.size.toLocaleString('en-US')}.`,
          { reason: 'plan-too-large' },
        );
      }
      const updated = ctx.store.plans.replaceItems(planId, [...merged.values()]);
      ctx.store.events.append({
        kind: 'plan-imported',
        planId,
        payload: { format, imported: imported.length, rowErrors: errors.length },
      });
      return { plan: updated, imported: imported.length, errors };
    },

    exportPlan: ({ planId, format }) => {
      const plan = ctx.store.plans.require(planId);
      const labels = new Map(ctx.store.accounts.list().map((a) => [a.id, a.label]));
      const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      const fileName = safeFileName(`plan-${plan.name}-${stamp}`, format);
      if (format === 'csv') {
        const text = toCsv(
          ['itemId', 'name', 'price', 'amount', 'game', 'accountId', 'account'],
          plan.items.map((item) => [
            item.itemId,
            item.name,
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
            options: plan.options,
            itemCount: plan.itemCount,
            totalCents: plan.totalCents,
          },
          items: plan.items.map((item) => ({
            itemId: item.itemId,
            name: item.name,
            price: item.priceUsd,
            amount: item.amount,
            game: item.game,
            accountId: item.accountId,
          })),
        },
        null,
        2,
      );
      return { fileName, text };
    },
  };
}

/** A Rust row without an amount sells the whole sellable stack; CS2 items are single. */
function defaultAmount(row: InventoryRow | undefined, game: GameId): number | undefined {
  if (!row || game !== '252490') return undefined;
  const cap = Math.min(row.amount, row.maxAmount ?? row.amount);
  return cap >= 1 ? Math.min(cap, 10_000) : undefined;
}

function rowReason(error: ResolveError, row: InventoryRow | undefined): string {
  switch (error.reason) {
    case 'unknown-item':
      return 'Unknown item id: it is not in the cached inventory of this account and game (fetch the inventory, then import again).';
    case 'unknown-account':
      return 'Unknown account.';
    case 'not-tradable':
      return `${row?.name ?? 'This item'} is not tradable on Steam right now.`;
    case 'not-accepted':
      return `AssetPay does not accept ${row?.name ?? 'this item'} at the moment.`;
    case 'no-price':
      return `${row?.name ?? 'This item'} has no AssetPay offer price.`;
    case 'amount-too-large':
      return error.message;
    case 'duplicate-item':
      return 'Duplicate item id.';
  }
}

/** One refusal for the whole request, naming the items by problem. */
function refusal(errors: readonly ResolveError[]): AppError {
  const by = new Map<ResolveError['reason'], ResolveError[]>();
  for (const error of errors) by.set(error.reason, [...(by.get(error.reason) ?? []), error]);
  const parts: string[] = [];
  const ids = (list: ResolveError[] | undefined) => listSome((list ?? []).map((e) => e.itemId));
  if (by.has('unknown-account'))
    parts.push(`unknown account for item(s) ${ids(by.get('unknown-account'))}`);
  if (by.has('unknown-item'))
    parts.push(
      `not in the cached inventory: ${ids(by.get('unknown-item'))} (fetch the inventory again)`,
    );
  if (by.has('not-tradable'))
    parts.push(
      `not tradable: ${listSome(by.get('not-tradable')!.map((e) => e.message.replace(/ is not tradable\.$/, '')))}`,
    );
  if (by.has('not-accepted'))
    parts.push(
      `not accepted by AssetPay: ${listSome(by.get('not-accepted')!.map((e) => e.message.replace(/ is not accepted by AssetPay\.$/, '')))}`,
    );
  if (by.has('no-price')) parts.push(`no offer price: ${ids(by.get('no-price'))}`);
  if (by.has('amount-too-large'))
    parts.push(
      listSome(
        by.get('amount-too-large')!.map((e) => e.message),
        3,
      ),
    );
  if (by.has('duplicate-item')) parts.push(`listed twice: ${ids(by.get('duplicate-item'))}`);
  return new AppError(
    'invalid-request',
    `Some items cannot go into the plan — ${parts.join('; ')}.`,
    {
      reason: errors[0]!.reason,
      items: errors.slice(0, 100).map((e) => ({ itemId: e.itemId, reason: e.reason })),
      count: errors.length,
    },
  );
}
