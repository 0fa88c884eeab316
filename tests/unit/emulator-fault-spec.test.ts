import { describe, expect, it } from 'vitest';
import { FaultPlan } from '../../emulator/faults/fault-plan';
import {
  FaultSpecError,
  parseFaultSpec,
  validateFaultSpec,
  validateOneShot,
} from '../../emulator/faults/fault-spec';

describe('parseFaultSpec', () => {
  it('parses the documented example', () => {
    expect(
      parseFaultSpec(
        'latency=50,server-error=0.05,reset-after-commit=0.02,no-bots=0.01,fleet-degraded=0.01,burst429=100/5',
      ),
    ).toEqual({
      latencyMs: 50,
      serverErrorRate: 0.05,
      resetAfterCommitRate: 0.02,
      noBotsRate: 0.01,
      fleetDegradedRate: 0.01,
      rateLimitBurst: { every: 100, length: 5 },
    });
  });

  it('accepts spaces, html-502, and empty/none as no faults', () => {
    expect(parseFaultSpec(' latency=5 , html-502=1 ')).toEqual({ latencyMs: 5, html502Rate: 1 });
    expect(parseFaultSpec('')).toEqual({});
    expect(parseFaultSpec('none')).toEqual({});
  });

  it.each([
    ['server-error', /expected key=value/],
    ['bogus=1', /Unknown fault "bogus"/],
    ['server-error=1.5', /server-error/],
    ['server-error=abc', /not a number/],
    ['latency=-5', /not a number/],
    ['burst429=5', /every>\/<length/],
    ['burst429=5/6', /length ≤ every/],
    ['burst429=0/0', /1 ≤ every/],
    ['no-bots=0.1,no-bots=0.2', /given twice/],
  ])('rejects %j with a clear error', (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(text)).toThrow(message);
  });
});

describe('validateFaultSpec / validateOneShot', () => {
  it('accepts a well-formed object and rejects unknown fields and bad rates', () => {
    expect(
      validateFaultSpec({ serverErrorRate: 0.5, rateLimitBurst: { every: 10, length: 2 } }),
    ).toEqual({
      serverErrorRate: 0.5,
      rateLimitBurst: { every: 10, length: 2 },
    });
    expect(() => validateFaultSpec({ serverErrorRate: 2 })).toThrow(FaultSpecError);
    expect(() => validateFaultSpec({ nope: 1 })).toThrow(/Unknown FaultSpec field/);
    expect(() => validateFaultSpec([])).toThrow(FaultSpecError);
  });

  it('knows every one-shot fault and {delayMs}', () => {
    expect(validateOneShot('reset-after-commit')).toBe('reset-after-commit');
    expect(validateOneShot({ delayMs: 20 })).toEqual({ delayMs: 20 });
    expect(() => validateOneShot('explode')).toThrow(FaultSpecError);
    expect(() => validateOneShot({ delayMs: -1 })).toThrow(FaultSpecError);
  });
});

describe('FaultPlan', () => {
  it('consumes one-shots in order, endpoint queue before "any"', () => {
    const plan = new FaultPlan(1, {});
    plan.inject('any', 'maintenance');
    plan.inject('sell', 'no-bots', 2);
    plan.inject('sell', 'html-502');
    expect(plan.pendingCount()).toBe(4);
    expect(plan.begin('inventory')).toBe('maintenance');
    expect(plan.begin('sell')).toBe('no-bots');
    expect(plan.begin('sell')).toBe('no-bots');
    expect(plan.begin('sell')).toBe('html-502');
    expect(plan.begin('sell')).toBeUndefined();
    expect(plan.pendingCount()).toBe(0);
  });

  it('places 429 bursts at the end of every window', () => {
    const plan = new FaultPlan(1, { rateLimitBurst: { every: 10, length: 3 } });
    const hits: number[] = [];
    for (let i = 0; i < 30; i++) {
      plan.begin('trades');
      if (plan.inBurst()) hits.push(i);
    }
    expect(hits).toEqual([7, 8, 9, 17, 18, 19, 27, 28, 29]);
  });

  it('draws random faults at roughly the configured rate, reproducibly per seed', () => {
    const draw = (seed: number) => {
      const plan = new FaultPlan(seed, { serverErrorRate: 0.1 });
      const out: boolean[] = [];
      for (let i = 0; i < 5000; i++) {
        plan.begin('sell');
        out.push(plan.roll('server-error'));
      }
      return out;
    };
    const a = draw(3);
    expect(draw(3)).toEqual(a);
    expect(draw(4)).not.toEqual(a);
    const share = a.filter(Boolean).length / a.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    const off = new FaultPlan(3, {});
    off.begin('sell');
    expect(off.roll('server-error')).toBe(false);
  });
});
