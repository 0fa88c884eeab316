import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/main/services/assetpay/clock';
import { Coalescer, type EngineEvent } from '../../electron/main/services/engine';
import { eventKey } from '../../electron/main/services/engine/events';

describe('Coalescer (fake clock)', () => {
  it('delivers the first event at once, then at most one per window, always the last', async () => {
    const clock = new ManualClock(0);
    const out: [number, number][] = [];
    const c = new Coalescer<number>(clock, 200, (n) => out.push([clock.now(), n]));
    c.push('b1', 1);
    expect(out).toEqual([[0, 1]]);
    c.push('b1', 2);
    c.push('b1', 3);
    await clock.advance(100);
    c.push('b1', 4);
    expect(out).toEqual([[0, 1]]);
    await clock.advance(100);
    expect(out).toEqual([
      [0, 1],
      [200, 4],
    ]);
    // Quiet window: nothing more, and the window closes.
    await clock.advance(200);
    expect(out).toHaveLength(2);
    expect(c.openWindows).toBe(0);
    c.push('b1', 5);
    expect(out.at(-1)).toEqual([400, 5]);
  });

  it('keys are independent, and a flood of 1,000 events per key gives ≤ 5 per second', async () => {
    const clock = new ManualClock(0);
    const out: string[] = [];
    const c = new Coalescer<string>(clock, 200, (s) => out.push(s));
    for (let i = 0; i < 1000; i++) {
      c.push('a', `a${i}`);
      c.push('b', `b${i}`);
      await clock.advance(1);
    }
    await clock.advance(400);
    const a = out.filter((s) => s.startsWith('a'));
    expect(a.length).toBeLessThanOrEqual(1 + Math.ceil(1000 / 200));
    expect(a.at(-1)).toBe('a999');
    expect(out.filter((s) => s.startsWith('b')).at(-1)).toBe('b999');
  });

  it('flush delivers pending events; a throwing sink does not break it', async () => {
    const clock = new ManualClock(0);
    const out: number[] = [];
    const c = new Coalescer<number>(clock, 200, (n) => {
      out.push(n);
      if (n === 1) throw new Error('listener bug');
    });
    c.push('k', 1);
    c.push('k', 2);
    c.flush();
    expect(out).toEqual([1, 2]);
  });

  it('engine events are keyed per batch, run, trade and attention title', () => {
    const events: EngineEvent[] = [
      { type: 'batch-updated', runId: 'r', batchId: 'b' },
      { type: 'run-progress', runId: 'r' },
      { type: 'trade-updated', runId: 'r', tradeId: 't' },
      { type: 'attention', runId: 'r', title: 'x', body: 'y' },
    ];
    expect(new Set(events.map(eventKey)).size).toBe(4);
  });
});
