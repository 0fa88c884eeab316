import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS } from '../../shared/domain';
import {
  KEYCHAIN_SERVICE,
  KeychainUnavailableError,
  SecretStore,
} from '../../electron/main/services/secrets/secret-store';

/*
 * Against a REAL Secret Service (design §8). Run inside a throwaway D-Bus
 * session with an unlocked gnome-keyring, e.g.
 *   XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- bash -c \
 *     'echo -n pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run --project keychain'
 * A per-run service name keeps these entries away from a real install's keys.
 */

const run = promisify(execFile);
const service = `${KEYCHAIN_SERVICE}-test-${process.pid}`;
const store = new SecretStore({ service });

beforeAll(async () => {
  try {
    await store.status('sandbox');
  } catch (error) {
    throw new Error(
      `The keychain tests need a running, unlocked Secret Service (see the comment at the top of this file): ${String(error)}`,
    );
  }
});

afterAll(async () => {
  for (const environment of ENVIRONMENTS) await store.delete(environment).catch(() => undefined);
});

describe('SecretStore against the Secret Service', () => {
  it('uses the product service name by default', () => {
    expect(KEYCHAIN_SERVICE).toBe('assetpay-bulk-seller');
  });

  for (const environment of ENVIRONMENTS) {
    it(`round-trips set / status / get / delete for ${environment}`, async () => {
      const key = `ap_${environment}_0123456789abcdefWXYZ`;
      await store.set(environment, key);
      expect(await store.get(environment)).toBe(key);
      expect(await store.status(environment)).toEqual({ environment, present: true, hint: 'WXYZ' });

      await store.delete(environment);
      expect(await store.get(environment)).toBeNull();
      expect(await store.status(environment)).toEqual({ environment, present: false, hint: null });
    });
  }

  it('keeps environments isolated', async () => {
    await store.set('production', 'ap_prod_key_aaaaaaaa1111');
    await store.set('staging', 'ap_staging_key_bbbbbbb2222');
    expect(await store.get('sandbox')).toBeNull();
    expect(await store.get('production')).toBe('ap_prod_key_aaaaaaaa1111');
    expect(await store.get('staging')).toBe('ap_staging_key_bbbbbbb2222');

    await store.delete('production');
    expect(await store.get('production')).toBeNull();
    expect(await store.get('staging')).toBe('ap_staging_key_bbbbbbb2222');
    await store.delete('staging');
  });

  it('overwrites the key of an environment', async () => {
    await store.set('sandbox', 'ap_first_key_0000000001');
    await store.set('sandbox', 'ap_second_key_000000002');
    expect(await store.get('sandbox')).toBe('ap_second_key_000000002');
    expect((await store.status('sandbox')).hint).toBe('0002');
    await store.delete('sandbox');
  });

  it('never hints more than 4 characters, and fewer for short keys', async () => {
    const cases: Array<[string, string | null]> = [
      ['ap_' + 'x'.repeat(200) + 'tail', 'tail'],
      ['abcdefghijkl', 'ijkl'], // 12
      ['abcdefghijk', 'ijk'], // 11
      ['abcdefghi', 'i'], // 9
      ['abcdefgh', null], // 8: nothing may be shown
    ];
    for (const [key, hint] of cases) {
      await store.set('sandbox', key);
      const status = await store.status('sandbox');
      expect(status.present).toBe(true);
      expect(status.hint).toBe(hint);
      expect((status.hint ?? '').length).toBeLessThanOrEqual(4);
    }
    await store.delete('sandbox');
  });

  it('deleting an absent key is not an error', async () => {
    await expect(store.delete('staging')).resolves.toBeUndefined();
  });
});

describe('SecretStore without a Secret Service', () => {
  it('reports KeychainUnavailableError with what to install, and does not crash', async () => {
    const root = resolve(__dirname, '../..');
    const emptyRuntimeDir = mkdtempSync(join(tmpdir(), 'no-dbus-'));
    const { stdout } = await run(
      'env',
      [
        '-u',
        'DBUS_SESSION_BUS_ADDRESS',
        '-u',
        'DISPLAY',
        '-u',
        'WAYLAND_DISPLAY',
        `XDG_RUNTIME_DIR=${emptyRuntimeDir}`, // no $XDG_RUNTIME_DIR/bus to fall back on
        `KEYCHAIN_TEST_SERVICE=${service}`,
        process.execPath,
        '--import',
        'tsx',
        join(__dirname, 'fixtures/status-without-keychain.ts'),
      ],
      { cwd: root, timeout: 30_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, string>;
    expect(result.outcome).toBe('rejected');
    expect(result.name).toBe('KeychainUnavailableError');
    expect(result.code).toBe('keychain-unavailable');
    expect(result.message).toMatch(/gnome-keyring/);
    expect(result.message).toMatch(/libsecret-1-0/);
  });

  it('reports a missing native module as KeychainUnavailableError', async () => {
    const broken = new SecretStore({
      service,
      loadKeytar: () => {
        throw new KeychainUnavailableError('The keychain module (keytar) could not be loaded.');
      },
    });
    await expect(broken.status('sandbox')).rejects.toBeInstanceOf(KeychainUnavailableError);
  });
});
