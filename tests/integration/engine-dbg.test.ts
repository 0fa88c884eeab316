import { it } from 'vitest';
import { Harness } from './engine-support/harness';
it('dbg', async () => {
  const h = await Harness.start({ engine: { concurrency: 1 }, emulator: { splitAbove: 6, lifecycle: { stepMs: 80 } } });
  const accountId = h.addAccount(12345);
  await h.fetchInventory(accountId);
  const items = h.sellable(accountId).slice(0, 10);
  await h.engine.start();
  h.emulator.injectNext('sell', 'reset-after-commit');
  const { runId } = await h.submit(items, { batchSize: 10 });
  await new Promise((r) => setTimeout(r, 3000));
  const b = h.store.batches.listByRun(runId)[0]!;
  console.log(h.store.batches.get(b.id)!.state, h.store.trades.byBatch(b.id).map(t => [t.id, t.status, t.itemCount, t.parentTradeId]));
  console.log(h.emulator.state().trades.map(t => [t.id, t.externalId, t.relatedTo, t.itemIds.length]));
  console.log(h.store.events.list({batchId: b.id}).map(e => e.kind));
  const list = await h.client.listTrades({ game: '730', type: 'deposit', limit: 100 });
  console.log(JSON.stringify(list).slice(0, 1500));
  await h.close();
});
