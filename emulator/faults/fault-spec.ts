import type { FaultEndpoint, FaultSpec, OneShotFault } from '../types';

/*
 * FaultSpec from the CLI / admin string syntax, e.g.
 *   "latency=50,server-error=0.05,reset-after-commit=0.02,no-bots=0.01,fleet-degraded=0.01,burst429=100/5"
 * and validation of FaultSpec objects and one-shot faults arriving as JSON.
 */

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

export const FAULT_SYNTAX =
  'comma-separated key=value: latency=<ms>, server-error=<0..1>, reset-after-commit=<0..1>, ' +
  'no-bots=<0..1>, fleet-degraded=<0..1>, html-502=<0..1>, burst429=<every>/<length>; "none" or "" for no faults';

type RateKey =
  'serverErrorRate' | 'resetAfterCommitRate' | 'noBotsRate' | 'fleetDegradedRate' | 'html502Rate';

const RATE_TOKENS: Record<string, RateKey> = {
  'server-error': 'serverErrorRate',
  'reset-after-commit': 'resetAfterCommitRate',
  'no-bots': 'noBotsRate',
  'fleet-degraded': 'fleetDegradedRate',
  'html-502': 'html502Rate',
};

export function parseFaultSpec(text: string): FaultSpec {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return {};
  const spec: FaultSpec = {};
  const seen = new Set<string>();
  for (const raw of trimmed.split(',')) {
    const token = raw.trim();
    const match = /^([a-z0-9-]+)=(.+)$/.exec(token);
    if (!match)
      throw new FaultSpecError(`Bad fault "${token}": expected key=value (${FAULT_SYNTAX})`);
    const key = match[1]!;
    const value = match[2]!.trim();
    if (seen.has(key)) throw new FaultSpecError(`Fault "${key}" is given twice`);
    seen.add(key);
    if (key === 'latency') {
      spec.latencyMs = parseNumber(key, value, 0, 600_000);
    } else if (key === 'burst429') {
      const burst = /^(\d+)\/(\d+)$/.exec(value);
      if (!burst)
        throw new FaultSpecError(
          `Bad burst429 "${value}": expected <every>/<length>, e.g. burst429=100/5`,
        );
      spec.rateLimitBurst = checkBurst({ every: Number(burst[1]), length: Number(burst[2]) });
    } else if (key in RATE_TOKENS) {
      spec[RATE_TOKENS[key]!] = parseNumber(key, value, 0, 1);
    } else {
      throw new FaultSpecError(`Unknown fault "${key}" (${FAULT_SYNTAX})`);
    }
  }
  return spec;
}

/** Checks a FaultSpec that arrived as JSON (admin endpoint, programmatic use). */
export function validateFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FaultSpecError('A FaultSpec must be an object or a fault string');
  }
  const spec: FaultSpec = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'latencyMs') spec.latencyMs = checkNumber(key, value, 0, 600_000);
    else if (key === 'rateLimitBurst') {
      const burst = value as { every?: unknown; length?: unknown };
      if (typeof burst !== 'object' || burst === null)
        throw new FaultSpecError('rateLimitBurst must be {every, length}');
      spec.rateLimitBurst = checkBurst({
        every: checkNumber('rateLimitBurst.every', burst.every, 1, Number.MAX_SAFE_INTEGER),
        length: checkNumber('rateLimitBurst.length', burst.length, 0, Number.MAX_SAFE_INTEGER),
      });
    } else if (Object.values(RATE_TOKENS).includes(key as RateKey)) {
      spec[key as RateKey] = checkNumber(key, value, 0, 1);
    } else throw new FaultSpecError(`Unknown FaultSpec field "${key}"`);
  }
  return spec;
}

export function toFaultSpec(input: FaultSpec | string | unknown): FaultSpec {
  return typeof input === 'string' ? parseFaultSpec(input) : validateFaultSpec(input);
}

const ONE_SHOT_NAMES = new Set<string>([
  'server-error',
  'server-error-no-key',
  'server-error-after-commit',
  'html-502',
  'reset-before-commit',
  'reset-after-commit',
  'hang-after-commit',
  'no-bots',
  'fleet-degraded',
  'deposits-paused',
  'maintenance',
  'rate-limited',
  'rate-limited-no-retry-after',
  'price-changed',
  'overstocked',
  'trade-offer-failed',
  'invalid-api-key',
  'scope-denied',
]);

export const FAULT_ENDPOINTS: readonly FaultEndpoint[] = [
  'sell',
  'inventory',
  'trades',
  'check-tradeurl',
  'any',
];

export function validateOneShot(input: unknown): OneShotFault {
  if (typeof input === 'string' && ONE_SHOT_NAMES.has(input)) return input as OneShotFault;
  if (typeof input === 'object' && input !== null && 'delayMs' in input) {
    return { delayMs: checkNumber('delayMs', (input as { delayMs: unknown }).delayMs, 0, 600_000) };
  }
  throw new FaultSpecError(
    `Unknown one-shot fault ${JSON.stringify(input)}; one of ${[...ONE_SHOT_NAMES].join(', ')} or {delayMs}`,
  );
}

export function validateEndpoint(input: unknown): FaultEndpoint {
  if (typeof input === 'string' && (FAULT_ENDPOINTS as readonly string[]).includes(input))
    return input as FaultEndpoint;
  throw new FaultSpecError(
    `Unknown endpoint ${JSON.stringify(input)}; one of ${FAULT_ENDPOINTS.join(', ')}`,
  );
}

function parseNumber(key: string, value: string, min: number, max: number): number {
  if (!/^\d+(\.\d+)?$/.test(value))
    throw new FaultSpecError(`Bad value for ${key}: "${value}" is not a number`);
  return checkNumber(key, Number(value), min, max);
}

function checkNumber(key: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new FaultSpecError(
      `Bad value for ${key}: ${JSON.stringify(value)} (expected a number in ${min}..${max})`,
    );
  }
  return value;
}

function checkBurst(burst: { every: number; length: number }): { every: number; length: number } {
  if (
    !Number.isInteger(burst.every) ||
    !Number.isInteger(burst.length) ||
    burst.every < 1 ||
    burst.length > burst.every
  ) {
    throw new FaultSpecError(
      `Bad burst429 ${burst.every}/${burst.length}: need integers with 1 ≤ every and length ≤ every`,
    );
  }
  return burst;
}
