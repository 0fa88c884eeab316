import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeBridge } from '../testing/use-fake';
import type { FakeBulkSeller } from '../testing/fake-bulk-seller';
import { useConnectivity } from './connectivity-store';

let fake: FakeBulkSeller;
beforeEach(() => {
  fake = useFakeBridge();
});

describe('connectivity store', () => {
  it('starts from getAppInfo and follows connectivity events', async () => {
    fake.state.online = false;
    const off = await useConnectivity.getState().init();
    expect(useConnectivity.getState()).toMatchObject({
      online: false,
      environment: 'sandbox',
      version: '0.0.0-fake',
    });
    const unknown = { state: 'unknown' as const, message: null };
    fake.emit('connectivity', { online: true, assetpay: unknown });
    expect(useConnectivity.getState().online).toBe(true);
    expect(useConnectivity.getState().reconnects).toBe(1);
    fake.emit('connectivity', { online: true, assetpay: unknown });
    expect(useConnectivity.getState().reconnects).toBe(1);
    // Online, yet AssetPay does not answer: the store keeps both facts.
    const down = { state: 'unreachable' as const, message: 'AssetPay cannot be reached.' };
    fake.emit('connectivity', { online: true, assetpay: down });
    expect(useConnectivity.getState()).toMatchObject({ online: true, assetpay: down });
    off();
  });
});
