import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import { AssetPayClient } from '../../electron/main/services/assetpay/client';
import { RateLimiter } from '../../electron/main/services/assetpay/rate-limiter';
import { KEYCHAIN_SERVICE, SecretStore } from '../../electron/main/services/secrets/secret-store';

/*
 * The key's whole path: stored in the real Secret Service, read back by the
 * client for every call, checked against the AssetPay emulator. Run like
 * secret-store.test.ts (inside dbus-run-session with gnome-keyring unlocked).
 */

const GOOD_KEY = 'ap_keychain_roundtrip_good_0001';
const store = new SecretStore({ service: `${KEYCHAIN_SERVICE}-validation-${process.pid}` });
let emulator: Emulator;
let limiter: RateLimiter;
let client: AssetPayClient;

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: GOOD_KEY });
  limiter = new RateLimiter({ tier: 'verified' });
  client = new AssetPayClient({
    baseUrl: emulator.url,
    apiKey: () => store.get('sandbox'),
    limiter,
  });
});

afterAll(async () => {
  await store.delete('sandbox').catch(() => undefined);
  client?.close();
  limiter?.dispose();
  await emulator?.stop();
});

describe('API key: keychain → client → emulator', () => {
  it('a stored correct key validates', async () => {
    await store.set('sandbox', GOOD_KEY);
    await expect(client.validateKey()).resolves.toMatchObject({ result: 'valid' });
    expect(await store.status('sandbox')).toEqual({
      environment: 'sandbox',
      present: true,
      hint: '0001',
    });
  });

  it('a stored wrong key is reported as invalid-key', async () => {
    await store.set('sandbox', 'ap_keychain_roundtrip_wrong_9999');
    const validation = await client.validateKey();
    expect(validation.result).toBe('invalid-key');
    expect(validation.message).not.toContain('ap_keychain_roundtrip_wrong_9999');
  });

  it('after delete the status is absent and nothing is sent with a key', async () => {
    await store.delete('sandbox');
    expect(await store.status('sandbox')).toEqual({
      environment: 'sandbox',
      present: false,
      hint: null,
    });
    expect((await client.validateKey()).result).not.toBe('valid');
  });
});
