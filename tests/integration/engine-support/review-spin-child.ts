import type { AssetPayClient } from '../../../electron/main/services/assetpay/client';
import type { EngineClient } from '../../../electron/main/services/engine';
import { clientWith, Harness } from './harness';

/*
 * Child process of engine-review.test.ts (review R9): AssetPay's create answer
 * names a related trade whose id contains a comma (the only character a
 * lookup ref cannot carry, api §4.5). Prints a heartbeat every 100 ms for 3 s
 * once the sell is tracked, then exits; a starved event loop prints none.
 */
async function main(): Promise<void> {
  const wrapClient = (c: AssetPayClient): EngineClient =>
    clientWith(c, {
      sell: async (body, opts) => {
        const o = await c.sell(body, opts);
        if (o.kind !== 'ok') return o;
        const related = { ...o.data, id: `${o.data.id},2`, externalId: undefined, items: [] };
        return { ...o, data: { ...o.data, relatedTrades: [related] } };
      },
    });
  const h = await Harness.start({
    wrapClient,
    emulator: { lifecycle: { stepMs: 0 } },
    engine: { concurrency: 1 },
  });
  const accountId = h.addAccount(12345);
  await h.fetchInventory(accountId);
  await h.engine.start();
  const { runId } = await h.submit(h.sellable(accountId).slice(0, 5), { batchSize: 5 });
  await h.waitForBatches(runId, ['tracking', 'settled']);
  console.log('tracking');
  let beats = 0;
  const timer = setInterval(() => console.log(`beat ${++beats}`), 100);
  await new Promise((r) => setTimeout(r, 3_000));
  clearInterval(timer);
  await h.close();
  console.log('done');
  process.exit(0);
}

void main();
