import { describe, expect, it } from 'vitest';
import {
  createLogger,
  redact,
  redactString,
  REDACTED,
  type LogRecord,
} from '../../electron/main/services/log';

function capture(level: 'debug' | 'info' = 'debug') {
  const records: LogRecord[] = [];
  const logger = createLogger({ level, sink: (r) => records.push(r) });
  return { logger, records, text: () => JSON.stringify(records) };
}

describe('redacting logger', () => {
  it('never writes an ap_ key, wherever it appears', () => {
    const { logger, text } = capture();
    const key = 'ap_live_AbC123-xyz_987';
    logger.info(`calling with ${key}`, {
      headers: { 'api-key': key, accept: 'application/json' },
      nested: [{ note: `Invalid api key ${key}` }],
      err: new Error(`server said ${key}`),
    });
    expect(text()).not.toContain('AbC123');
    expect(text()).toContain(REDACTED);
    expect(text()).toContain('application/json');
  });

  it('redacts a registered secret that does not look like a key, and credential-named fields', () => {
    const { logger, records, text } = capture();
    logger.addSecret('s3cr3t-value-without-prefix');
    logger.warn('boom', {
      msg: 'token s3cr3t-value-without-prefix leaked',
      apiKey: 'whatever',
      password: 'p',
    });
    expect(text()).not.toContain('s3cr3t-value-without-prefix');
    expect(records[0]?.apiKey).toBe(REDACTED);
    expect(records[0]?.password).toBe(REDACTED);
    expect(records[0]?.msg).toBe(`token ${REDACTED} leaked`);
  });

  it('reads extra secrets at write time', () => {
    let current = 'rotating-secret-1';
    const records: LogRecord[] = [];
    const logger = createLogger({ sink: (r) => records.push(r), secrets: () => [current] });
    logger.info('a rotating-secret-1');
    current = 'rotating-secret-2';
    logger.info('b rotating-secret-2');
    expect(records.map((r) => r.message)).toEqual([`a ${REDACTED}`, `b ${REDACTED}`]);
  });

  it('hides trade-URL tokens, plain and percent-encoded, but keeps the partner', () => {
    const plain = redactString(
      'https://steamcommunity.com/tradeoffer/new/?partner=123&token=AbCdEfGh',
    );
    expect(plain).toBe(`https://steamcommunity.com/tradeoffer/new/?partner=123&token=${REDACTED}`);
    const encoded = redactString(
      '/secure/inventory?tradeUrl=https%3A%2F%2Fsteamcommunity.com%2Ftradeoffer%2Fnew%2F%3Fpartner%3D123%26token%3DAbCdEfGh&game=730',
    );
    expect(encoded).not.toContain('AbCdEfGh');
    expect(encoded).toContain('partner%3D123');
    expect(encoded).toContain('&game=730');
  });

  it('respects the level and survives a throwing sink and circular fields', () => {
    const { logger, records } = capture('info');
    logger.debug('hidden');
    logger.info('shown');
    expect(records.map((r) => r.message)).toEqual(['shown']);
    const throwing = createLogger({
      sink: () => {
        throw new Error('disk full');
      },
    });
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(() => throwing.error('x', { circular })).not.toThrow();
    expect(redact(circular)).toEqual({ a: 1, self: '[Circular]' });
  });
});
