import { describe, expect, it } from 'vitest';
import { reachabilityAfter, UNKNOWN } from '../../electron/main/app/reachability';
import type { ApiOutcome } from '../../electron/main/services/assetpay/outcome';
import { unreachableCause } from '../../electron/main/services/assetpay/unreachable';
import type { Reachability } from '../../shared/model';

/* Whether AssetPay answers, learned from each outcome (issue 14: "Online" beside getaddrinfo ENOTFOUND). */

const reachable: Reachability = { state: 'reachable', message: null };
const down: Reachability = { state: 'unreachable', message: 'AssetPay cannot be reached: x.' };

describe('unreachableCause', () => {
  it.each([
    ['getaddrinfo ENOTFOUND api.assetpay.gg', 'its address could not be found (DNS)'],
    ['getaddrinfo EAI_AGAIN api.assetpay.gg', 'its address could not be found (DNS)'],
    ['connect ECONNREFUSED 127.0.0.1:4010', 'the connection was refused'],
    ['connect timeout after 10000 ms', 'the connection timed out'],
    ['ETIMEDOUT: connect ETIMEDOUT 1.2.3.4:443', 'the connection timed out'],
    ['connect ENETUNREACH 1.2.3.4:443', 'the network cannot reach it'],
    ['self-signed certificate in certificate chain', 'the secure connection failed (certificate)'],
    ['ECONNRESET: socket hang up', 'the connection was cut before the request left'],
    ['something new', 'the connection failed'],
  ])('%s → %s', (reason, words) => {
    expect(unreachableCause(reason)).toBe(words);
  });
});

describe('reachabilityAfter', () => {
  const ok: ApiOutcome<unknown> = { kind: 'ok', data: null, httpStatus: 200 };
  it.each<[string, Reachability, ApiOutcome<unknown>, Reachability['state']]>([
    ['an answer', UNKNOWN, ok, 'reachable'],
    [
      'a refusal is an answer',
      down,
      { kind: 'definitive', key: 'NOT_FOUND', code: 1003, message: '', httpStatus: 404 },
      'reachable',
    ],
    [
      'a throttle is an answer',
      down,
      { kind: 'throttled', key: 'RATE_LIMITED', httpStatus: 429 },
      'reachable',
    ],
    [
      'a refused key is an answer',
      down,
      { kind: 'auth', key: 'INVALID_API_KEY', message: '', httpStatus: 401 },
      'reachable',
    ],
    [
      'no key: nothing was asked',
      down,
      { kind: 'auth', key: 'MISSING_API_KEY', message: '', httpStatus: 0 },
      'unreachable',
    ],
    [
      'DNS failure',
      reachable,
      { kind: 'not-sent', reason: 'getaddrinfo ENOTFOUND x' },
      'unreachable',
    ],
    [
      'the trader’s own stop says nothing',
      reachable,
      { kind: 'not-sent', reason: 'aborted' },
      'reachable',
    ],
    [
      'a 502 page still came from a server',
      down,
      { kind: 'ambiguous', reason: 'HTTP 502', httpStatus: 502 },
      'reachable',
    ],
    [
      'a lost connection says nothing',
      reachable,
      { kind: 'ambiguous', reason: 'socket hang up' },
      'reachable',
    ],
  ])('%s', (_what, before, outcome, state) => {
    expect(reachabilityAfter(before, outcome).state).toBe(state);
  });

  it('says why in plain words, never the raw code', () => {
    const after = reachabilityAfter(UNKNOWN, {
      kind: 'not-sent',
      reason: 'getaddrinfo ENOTFOUND api.assetpay.gg',
    });
    expect(after.message).toMatch(/^AssetPay cannot be reached: its address could not be found/);
    expect(after.message).not.toMatch(/getaddrinfo|ENOTFOUND|assetpay\.gg/);
  });
});
