import type { CapacityOptions } from '../types';
import { checkBots, type FleetConfig } from './bot-fleet';

/* Checks the `capacity` option and fills in its defaults (README "Capacity model"). */

export const CAPACITY_DEFAULTS = {
  jitter: 0.1,
  /** perItemMs = serviceMs ÷ this: a 250-item basket takes ~2.5 % longer than a 1-item one. */
  perItemDivisor: 10_000,
  degradeAfter: 5,
  /** degradeWindowMs = max(this, windowServices × serviceMs). */
  minDegradeWindowMs: 1_000,
  windowServices: 5,
} as const;

export function capacityConfig(options: CapacityOptions, seed: number): FleetConfig {
  const serviceMs = whole('serviceMs', options.serviceMs, 600_000);
  const jitter = options.jitter ?? CAPACITY_DEFAULTS.jitter;
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1)
    throw new RangeError(`capacity.jitter must be within 0..1, got ${jitter}`);
  const perItemMs = options.perItemMs ?? serviceMs / CAPACITY_DEFAULTS.perItemDivisor;
  if (!Number.isFinite(perItemMs) || perItemMs < 0 || perItemMs > 60_000)
    throw new RangeError(`capacity.perItemMs must be within 0..60000, got ${perItemMs}`);
  const degradeAfter = options.degradeAfter ?? CAPACITY_DEFAULTS.degradeAfter;
  if (!Number.isInteger(degradeAfter) || degradeAfter < 1)
    throw new RangeError(`capacity.degradeAfter must be a positive integer, got ${degradeAfter}`);
  return {
    bots: checkBots(options.bots),
    serviceMs,
    queue: whole('queue', options.queue, 1_000_000),
    jitter,
    perItemMs,
    degradeAfter,
    degradeWindowMs: whole(
      'degradeWindowMs',
      options.degradeWindowMs ??
        Math.max(
          CAPACITY_DEFAULTS.minDegradeWindowMs,
          CAPACITY_DEFAULTS.windowServices * serviceMs,
        ),
      86_400_000,
    ),
    seed,
  };
}

function whole(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`capacity.${name} must be an integer 0..${max}, got ${value}`);
  return value;
}
