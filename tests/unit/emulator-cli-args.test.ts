import { describe, expect, it } from 'vitest';
import { CliError, parseCliArgs } from '../../emulator/cli-args';

describe('emulator CLI arguments', () => {
  it('maps every documented flag onto EmulatorOptions', () => {
    expect(
      parseCliArgs([
        '--port',
        '4010',
        '--api-key',
        'K',
        '--items',
        '1000',
        '--latency-ms',
        '25',
        '--seed',
        '9',
        '--tier',
        'unverified',
        '--faults',
        'server-error=0.05,burst429=100/5',
        '--lifecycle-ms',
        '500',
        '--split-share',
        '0.25',
        '--split-above',
        '100',
        '--decline-share',
        '0.1',
        '--no-rate-limit',
        '--price-drift=5000/0.05/3',
      ]),
    ).toEqual({
      port: 4010,
      apiKey: 'K',
      itemsPerInventory: 1000,
      latencyMs: 25,
      seed: 9,
      tier: 'unverified',
      faults: { serverErrorRate: 0.05, rateLimitBurst: { every: 100, length: 5 } },
      lifecycle: { stepMs: 500, declineShare: 0.1 },
      splitShare: 0.25,
      splitAbove: 100,
      rateLimit: false,
      priceDrift: { everyMs: 5000, share: 0.05, maxPct: 3 },
    });
  });

  it('defaults to port 4010 and recognises --help', () => {
    expect(parseCliArgs([])).toEqual({ port: 4010 });
    expect(parseCliArgs(['--port', '0'])).toEqual({ port: 0 });
    expect(parseCliArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--port', 'x']],
    [['--port']],
    [['--tier', 'gold']],
    [['--faults', 'nope=1']],
    [['--split-share', '2']],
    [['--whatever', '1']],
    [['stray']],
    [['--decline-share', '0.6', '--fail-share', '0.6']],
  ])('rejects %j', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(CliError);
  });
});
