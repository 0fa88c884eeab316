import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeBridge } from '../testing/use-fake';
import type { FakeBulkSeller } from '../testing/fake-bulk-seller';
import { ApiError, call, subscribe } from './client';
import { useNotices } from './notices-store';

let fake: FakeBulkSeller;
beforeEach(() => {
  fake = useFakeBridge();
});

describe('api client', () => {
  it('unwraps an ok result', async () => {
    const settings = await call('getSettings', {});
    expect(settings.batchSize).toBe(250);
  });

  it('turns an error result into a toast with main’s message and throws ApiError', async () => {
    fake.failNext('listAccounts', { code: 'internal', message: 'The database is locked.' });
    await expect(
      call('listAccounts', {}, { context: 'Could not load accounts' }),
    ).rejects.toBeInstanceOf(ApiError);
    expect(useNotices.getState().notices.map((n) => n.message)).toEqual([
      'Could not load accounts: The database is locked.',
    ]);
  });

  it('stays quiet when the caller shows the error itself', async () => {
    fake.failNext('listAccounts', { code: 'offline', message: 'Offline.' });
    const error = await call('listAccounts', {}, { quiet: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('offline');
    expect(useNotices.getState().notices).toEqual([]);
  });

  it('reports a bridge that throws as an error value, not a crash', async () => {
    fake.api.getSettings = () => Promise.reject(new Error('socket closed'));
    await expect(call('getSettings', {})).rejects.toThrow(/did not answer \(socket closed\)/);
  });

  it('subscribes to push events and unsubscribes', () => {
    const seen: boolean[] = [];
    const off = subscribe('connectivity', ({ online }) => seen.push(online));
    const assetpay = { state: 'unknown' as const, message: null };
    fake.emit('connectivity', { online: false, assetpay });
    off();
    fake.emit('connectivity', { online: true, assetpay });
    expect(seen).toEqual([false]);
  });
});
