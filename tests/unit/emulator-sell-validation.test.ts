import { describe, expect, it } from 'vitest';
import { validateSellBody } from '../../emulator/sell/validate-body';

const URL = 'https://steamcommunity.com/tradeoffer/new/?partner=12345&token=AbCdEfGh';
const item = (i: number) => ({ itemId: `730-12345-${i}-abcdef`, price: 1.5 });

function fieldsOf(body: unknown): Record<string, string> {
  const result = validateSellBody(body);
  if (result.ok || result.reason !== 'fields')
    throw new Error(`expected field errors, got ${JSON.stringify(result)}`);
  return result.fields;
}

describe('validateSellBody', () => {
  it('accepts a minimal body and fills the defaults', () => {
    const result = validateSellBody({ tradeUrl: URL, items: [item(0)] });
    expect(result).toEqual({
      ok: true,
      body: {
        tradeUrl: URL,
        items: [{ itemId: '730-12345-0-abcdef', price: 1.5, amount: 1 }],
        game: '730',
        isInstant: true,
      },
    });
  });

  it('names each offending field by dotted path', () => {
    const fields = fieldsOf({
      tradeUrl: URL,
      items: [
        { itemId: 'abc', price: 0 },
        { itemId: '730-1-1-aaaaa', price: 2, amount: 1.5, reference: 'x' },
      ],
      game: 730,
      externalId: 'a,b',
      isInstant: 'yes',
      extra: true,
    });
    expect(fields).toEqual({
      extra: 'property extra should not exist',
      game: 'game must be one of "730", "252490"',
      externalId: 'externalId must not contain a comma',
      isInstant: 'isInstant must be a boolean',
      'items.0.itemId': 'itemId must be 5-256 characters',
      'items.0.price': 'price must be greater than 0',
      'items.1.reference': 'property reference should not exist',
      'items.1.amount': 'amount must be an integer between 1 and 10000',
    });
  });

  it('enforces 1–250 items, the required fields and repeated ids', () => {
    expect(
      fieldsOf({ tradeUrl: URL, items: Array.from({ length: 251 }, (_, i) => item(i)) }),
    ).toEqual({
      items: 'items must contain at most 250 elements',
    });
    expect(fieldsOf({ tradeUrl: URL, items: [] })).toHaveProperty('items');
    expect(fieldsOf({})).toEqual({ tradeUrl: 'tradeUrl is required', items: 'items is required' });
    expect(fieldsOf({ tradeUrl: URL, items: [item(1), item(1)] })).toEqual({
      'items.1.itemId': 'itemId is repeated in this request',
    });
    expect(fieldsOf([])).toEqual({ body: 'must be a JSON object' });
    expect(
      validateSellBody({ tradeUrl: URL, items: Array.from({ length: 250 }, (_, i) => item(i)) }).ok,
    ).toBe(true);
  });

  it('caps fields at 20', () => {
    const fields = fieldsOf({
      tradeUrl: URL,
      items: Array.from({ length: 30 }, (_, i) => ({ itemId: `x${i}`, price: -1 })),
    });
    expect(Object.keys(fields)).toHaveLength(20);
  });

  it('reports a malformed trade URL string as INVALID_TRADEURL, not a field', () => {
    expect(validateSellBody({ tradeUrl: `${URL}&x=1`, items: [item(0)] })).toEqual({
      ok: false,
      reason: 'trade-url',
    });
    expect(validateSellBody({ tradeUrl: ` ${URL}`, items: [item(0)] })).toEqual({
      ok: false,
      reason: 'trade-url',
    });
    expect(fieldsOf({ tradeUrl: 42, items: [item(0)] })).toEqual({
      tradeUrl: 'tradeUrl must be a string',
    });
  });
});
