import { TRADE_STATUSES, type TradeStatus } from './api/trade-statuses';
import type { Services } from './server/context';
import { holdsItems } from './trades/statuses';
import type { EmulatorState, EmulatorTradeSummary } from './types';

/** The snapshot behind state() and GET /__emulator/state. */
export function buildState(services: Services): EmulatorState {
  const world = services.world;
  const now = world.sync();
  const statusCounts = Object.fromEntries(TRADE_STATUSES.map((s) => [s, 0])) as Record<
    TradeStatus,
    number
  >;
  const soldUnits = new Map<string, number>();
  const trades: EmulatorTradeSummary[] = world.book.all.map((record) => {
    const wire = record.wire;
    statusCounts[wire.status]++;
    if (holdsItems(wire.status)) {
      for (const line of record.lines)
        soldUnits.set(line.itemId, (soldUnits.get(line.itemId) ?? 0) + line.amount);
    }
    const summary: EmulatorTradeSummary = {
      id: wire.id,
      status: wire.status,
      game: wire.game,
      partner: record.partner,
      itemIds: record.lines.map((line) => line.itemId),
      amounts: record.lines.map((line) => line.amount),
      totalPrice: wire.totalPrice,
      createdAt: wire.createdAt,
      updatedAt: wire.updatedAt,
    };
    if (wire.externalId !== undefined) summary.externalId = wire.externalId;
    if (record.relatedTo !== undefined) summary.relatedTo = record.relatedTo;
    return summary;
  });
  // Recomputed from the trades rather than read from the book's index, so a bookkeeping bug shows up here.
  const duplicateSoldItemIds: string[] = [];
  for (const [itemId, units] of soldUnits) {
    const stack = world.inventories.find(itemId, now)?.item.amount ?? 1;
    if (units > stack) duplicateSoldItemIds.push(itemId);
  }
  return {
    now: new Date(now).toISOString(),
    trades,
    consumedExternalIds: world.book.externalIds(),
    requestCounts: services.counts.snapshot(),
    soldItemIds: [...soldUnits.keys()],
    duplicateSoldItemIds,
    statusCounts,
    faults: services.faults.current,
    pendingInjections: services.faults.pendingCount(),
    ...(services.fleet ? { capacity: services.fleet.stats() } : {}),
  };
}
