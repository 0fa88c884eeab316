import { AppError } from '../../../../shared/contract/result';
import type { PlanItem, PlanOptions, Settings } from '../../../../shared/contract/views';
import { applyMarketShareRule } from '../../../../shared/market-share';
import type { Handlers } from '../../../../shared/contract/contract';
import type { PlanItemInput, ResolveError } from '../../services/store';
import { requirePlanHere, type AppContext } from '../context';
import { listSome } from '../errors';

/*
 * Plans work offline (design §1 flow 3): items are resolved against the
 * cached inventory — name, exterior, float and the exact offer price come from
 * there — and a plan never holds an item AssetPay would refuse on sight:
 * unknown ids, items that are not tradable or not accepted, items sold since
 * the fetch, Rust amounts above what is left or the offer's maxAmount are
 * refused by name. A plan belongs to the environment it was built in and is
 * only changed or submitted there. Import and export: plan-files.ts.
 *
 * A plan's "leave out items below X % of market" rule (issue 11) is applied
 * whenever items go in or the rule changes — by the cached market price — and
 * again at pre-flight with the fresh one (store/preflights.ts). The renderer
 * applies the same rule first and says what it left out; an import reports
 * each such row.
 */

type PlanHandlers = Pick<
  Handlers,
  | 'listPlans'
  | 'getPlan'
  | 'createPlan'
  | 'updatePlan'
  | 'deletePlan'
  | 'duplicatePlan'
  | 'archivePlan'
  | 'checkPlan'
  | 'removePlanItems'
  | 'planUnsold'
>;

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
      requirePlanHere(ctx, planId, 'change');
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

    duplicatePlan: ({ planId, name }) => {
      const source = ctx.store.plans.summary(planId);
      const plan = ctx.store.plans.duplicate(planId, name ?? copyName(source.name));
      ctx.store.events.append({
        kind: 'plan-duplicated',
        planId: plan.id,
        payload: { from: planId, items: plan.itemCount },
      });
      return plan;
    },

    archivePlan: ({ planId, archived }) =>
      archived ? ctx.store.plans.archive(planId) : ctx.store.plans.unarchive(planId),

    checkPlan: ({ planId }) =>
      ctx.store.planHealth.problems(planId, ctx.store.plans.environmentOf(planId)),

    removePlanItems: ({ planId, items }) => {
      requirePlanHere(ctx, planId, 'change');
      const plan = ctx.store.plans.removeItems(planId, items);
      ctx.store.events.append({
        kind: 'plan-items-removed',
        planId,
        payload: { items: items.length },
      });
      return plan;
    },

    planUnsold: ({ planId }) => {
      requirePlanHere(ctx, planId, 'sell the rest of');
      const source = ctx.store.plans.summary(planId);
      const unsold = ctx.store.planHealth.unsold(planId);
      if (unsold.length === 0) {
        throw new AppError('conflict', 'Every item of this plan was sold or is still being sold.', {
          reason: 'nothing-unsold',
        });
      }
      const { items, errors } = ctx.store.inventory.resolvePlanItems(
        unsold.map((u) => ({
          accountId: u.accountId,
          game: u.game,
          itemId: u.itemId,
          amount: u.amount,
        })),
      );
      // Today's offers: the plan's "below X % of market" rule applies to them as to any new item.
      const { kept, leftOut } = applyMarketShareRule(items, source.options.minMarketShareBp);
      const plan = ctx.store.plans.create({
        name: `${source.name.slice(0, 88)} — unsold`,
        options: source.options,
        items: kept,
      });
      ctx.store.events.append({
        kind: 'plan-created',
        planId: plan.id,
        payload: { fromUnsoldOf: planId, items: plan.itemCount, left: errors.length },
      });
      return {
        plan,
        left: [
          ...errors.map((e) => ({ itemId: e.itemId, reason: e.message })),
          ...leftOut.map((i) => ({
            itemId: i.itemId,
            reason: `${i.name} is below this plan’s share of the market price.`,
          })),
        ],
      };
    },
  };
}

/** "Plan A (copy)", "Plan A (copy 2)"… within the 100-character limit. */
function copyName(name: string): string {
  const match = /^(.*) \(copy(?: (\d+))?\)$/.exec(name);
  const base = match ? match[1]! : name;
  const next = match ? Number(match[2] ?? 1) + 1 : 1;
  const suffix = next === 1 ? ' (copy)' : ` (copy ${next})`;
  return `${base.slice(0, 100 - suffix.length)}${suffix}`;
}

/** One refusal for the whole request, naming the items by problem. */
function refusal(errors: readonly ResolveError[]): AppError {
  const by = new Map<ResolveError['reason'], ResolveError[]>();
  for (const error of errors) by.set(error.reason, [...(by.get(error.reason) ?? []), error]);
  const parts: string[] = [];
  const ids = (list: ResolveError[] | undefined) => listSome((list ?? []).map((e) => e.itemId));
  const messages = (reason: ResolveError['reason'], max = 5) =>
    listSome(
      by.get(reason)!.map((e) => e.message.replace(/\.$/, '')),
      max,
    );
  if (by.has('unknown-account'))
    parts.push(`unknown account for item(s) ${ids(by.get('unknown-account'))}`);
  if (by.has('unknown-item'))
    parts.push(
      `not in the cached inventory: ${ids(by.get('unknown-item'))} (fetch the inventory again)`,
    );
  if (by.has('taken')) parts.push(`sold since the inventory was fetched: ${messages('taken', 3)}`);
  if (by.has('not-tradable'))
    parts.push(
      `not tradable: ${listSome(by.get('not-tradable')!.map((e) => e.message.replace(/ is not tradable\.$/, '')))}`,
    );
  if (by.has('not-accepted'))
    parts.push(
      `not accepted by AssetPay: ${listSome(by.get('not-accepted')!.map((e) => e.message.replace(/ is not accepted by AssetPay\.$/, '')))}`,
    );
  if (by.has('no-price')) parts.push(`no offer price: ${ids(by.get('no-price'))}`);
  if (by.has('amount-too-large')) parts.push(messages('amount-too-large', 3));
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
