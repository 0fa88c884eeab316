import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeBridge } from '../../testing/use-fake';
import type { FakeBulkSeller } from '../../testing/fake-bulk-seller';
import { useSettings } from './settings-store';

let fake: FakeBulkSeller;
beforeEach(async () => {
  fake = useFakeBridge();
  await useSettings.getState().load();
});

describe('settings store', () => {
  it('loads settings and the key status of the chosen environment', () => {
    expect(useSettings.getState().settings?.environment).toBe('sandbox');
    expect(useSettings.getState().key).toEqual({
      environment: 'sandbox',
      present: false,
      hint: null,
    });
  });

  it('saves a key and only ever learns its hint back', async () => {
    expect(await useSettings.getState().saveKey('  ap_live_secret_1234 ')).toBe(true);
    expect(fake.state.keys.get('sandbox')).toBe('ap_live_secret_1234');
    expect(useSettings.getState().key).toEqual({
      environment: 'sandbox',
      present: true,
      hint: '1234',
    });
    await useSettings.getState().validateKey();
    expect(useSettings.getState().validation?.result).toBe('valid');
  });

  it('switching environment reads that environment’s key', async () => {
    await useSettings.getState().saveKey('ap_sandbox_key');
    await useSettings.getState().chooseEnvironment('production');
    expect(useSettings.getState().settings?.environment).toBe('production');
    expect(useSettings.getState().key?.present).toBe(false);
  });

  it('rolls back an update main refused', async () => {
    fake.failNext('updateSettings', { code: 'invalid-request', message: 'no' });
    await useSettings.getState().update({ batchSize: 100 });
    expect(useSettings.getState().settings?.batchSize).toBe(250);
  });
});
