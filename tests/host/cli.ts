import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestHost } from './test-host';

/*
 * npx tsx tests/host/cli.ts [--port 5180] [--data-dir DIR] [--renderer-dir out/renderer]
 *                           [--offline] [--fast] [--lifecycle-step-ms 2000] [--items 200]
 *
 * Serves the built renderer with the real backend services for a browser or
 * Playwright. Run it inside a Secret Service session (tests/run-all.sh starts
 * one) so setApiKey works; the sandbox environment needs no key at all.
 * Prints "test host on http://127.0.0.1:PORT" once ready.
 */

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
    offline: { type: 'boolean', default: false },
    'lifecycle-step-ms': { type: 'string' },
    items: { type: 'string' },
    'keychain-service': { type: 'string' },
    fast: { type: 'boolean', default: false },
  },
});

/** --fast: trades move and are polled in about a second, back-offs are short (for Playwright). */
const FAST_TIMING = {
  activePollMs: 500,
  holdPollMs: 500,
  missingPollMs: 1_000,
  completedPollMs: 60_000,
  lookupBaseMs: 500,
  lookupCapMs: 2_000,
  resendDelayMs: 200,
  notSentRetryMs: 300,
  backoffBaseMs: 500,
  backoffCapMs: 2_000,
  waitBaseMs: 1_000,
  waitCapMs: 5_000,
  inFlightWindowMs: 10_000,
};

const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'bulk-seller-host-'));
const stepMs =
  values['lifecycle-step-ms'] === undefined ? undefined : Number(values['lifecycle-step-ms']);
const items = values.items === undefined ? undefined : Number(values.items);

async function main(): Promise<void> {
  const host = await startTestHost({
    dataDir,
    rendererDir: values['renderer-dir'],
    port: Number(values.port),
    ...(values['keychain-service'] ? { keychainService: values['keychain-service'] } : {}),
    services: {
      ...(values.fast ? { engine: { timing: FAST_TIMING } } : {}),
      sandbox: {
        ...(stepMs !== undefined ? { lifecycle: { stepMs } } : {}),
        ...(items !== undefined ? { itemsPerInventory: items } : {}),
      },
    },
  });
  if (values.offline) host.setOnline(false);

  process.stdout.write(`test host on ${host.url}\n`);
  process.stdout.write(`data dir ${dataDir}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void host.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `test host failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
