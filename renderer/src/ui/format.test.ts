import { describe, expect, it } from 'vitest';
import { tradeOfferUrl } from '../features/runs/trade-offer';
import { detectFormat } from '../features/plans/import-format';
import { parsePercentToBp, percentFromBp, plural, relativeTime, safeColor } from './format';

describe('formatting for the screen', () => {
  const now = Date.parse('2026-05-14T12:00:00.000Z');
  it('says how old a cached inventory is', () => {
    expect(relativeTime('2026-05-14T11:59:50.000Z', now)).toBe('just now');
    expect(relativeTime('2026-05-14T11:59:00.000Z', now)).toBe('1 minute ago');
    expect(relativeTime('2026-05-14T11:48:00.000Z', now)).toBe('12 minutes ago');
    expect(relativeTime('2026-05-14T09:00:00.000Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-05-10T12:00:00.000Z', now)).toBe('4 days ago');
    expect(relativeTime('garbage', now)).toBe('at an unknown time');
  });

  it('shows price changes as signed percentages from basis points', () => {
    expect(percentFromBp(250)).toBe('+2.50 %');
    expect(percentFromBp(-2000)).toBe('−20.00 %');
    expect(percentFromBp(0)).toBe('0.00 %');
    expect(plural(1, 'batch', 'batches')).toBe('1 batch');
    expect(plural(1200, 'item')).toBe('1,200 items');
  });

  it('lets only plain hex colours reach the CSSOM', () => {
    expect(safeColor('D32CE6')).toBe('#D32CE6');
    expect(safeColor('#d32ce6')).toBe('#d32ce6');
    expect(safeColor('red; background: url(x)')).toBeNull();
  });

  it('builds the Steam trade offer page main allows to open', () => {
    expect(tradeOfferUrl('8838945568')).toBe('https://steamcommunity.com/tradeoffer/8838945568/');
    expect(tradeOfferUrl('1/../x')).toBe('https://steamcommunity.com/tradeoffer/1%2F..%2Fx/');
  });

  it('detects CSV or JSON imports', () => {
    expect(detectFormat('list.JSON', 'itemId,price')).toBe('json');
    expect(detectFormat('list.csv', '[]')).toBe('csv');
    expect(detectFormat('', '  [{"itemId":"x"}]')).toBe('json');
    expect(detectFormat('', 'itemId,price')).toBe('csv');
  });

  it('reads a percentage as basis points', () => {
    expect(parsePercentToBp('85')).toBe(8500);
    expect(parsePercentToBp('85.5 %')).toBe(8550);
    expect(parsePercentToBp('85,25')).toBe(8525);
    expect(parsePercentToBp('0')).toBe(0);
    expect(parsePercentToBp('-5')).toBeNull();
    expect(parsePercentToBp('85.555')).toBeNull();
    expect(parsePercentToBp('abc')).toBeNull();
    expect(parsePercentToBp('1001')).toBeNull();
  });
});
