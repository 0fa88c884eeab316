import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import * as fuses from '@electron/fuses';
import { describe, expect, it, vi } from 'vitest';

/*
 * The release build's security depends on two packaging details nobody sees
 * at run time: native modules unpacked from the asar, and the fuses flipped
 * by the afterPack hook (design §7). This checks both without packaging.
 */

const root = resolve(__dirname, '../..');
const requireHere = createRequire(__filename);
// js-yaml 4 is in node_modules through electron-builder (no types installed; only `load` is used).
const { load } = requireHere('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  afterPack: string;
  files: string[];
  directories: { output: string; buildResources: string };
  linux: { target: string[]; category: string };
  win: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean };
}

const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

type AfterPack = ((context: unknown, deps?: unknown) => Promise<void>) & {
  fuseConfig: (
    enums: typeof fuses,
    options?: { resetAdHocDarwinSignature?: boolean },
  ) => Record<string, unknown>;
};
const afterPack = requireHere(join(root, config.afterPack)) as AfterPack;

const REQUIRED: Array<[keyof typeof fuses.FuseV1Options, boolean]> = [
  ['RunAsNode', false],
  ['EnableNodeOptionsEnvironmentVariable', false],
  ['EnableNodeCliInspectArguments', false],
  ['OnlyLoadAppFromAsar', true],
  ['EnableEmbeddedAsarIntegrityValidation', true],
  ['EnableCookieEncryption', true],
];

describe('electron-builder.yml', () => {
  it('names the app and its folders', () => {
    expect(config.appId).toBe('gg.assetpay.bulkseller');
    expect(config.productName).toBeTruthy();
    expect(config.directories).toEqual({ output: 'dist', buildResources: 'resources' });
    expect(existsSync(join(root, 'resources/icon.png'))).toBe(true);
  });

  it('packs into an asar and unpacks both native modules', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/node_modules/keytar/**', '**/node_modules/better-sqlite3/**']),
    );
  });

  it('ships only the built app', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**/*', 'package.json']));
    expect(
      config.files.filter(
        (pattern) =>
          !pattern.startsWith('!') && /electron\/|shared\/|tests?\/|emulator|bench/.test(pattern),
      ),
    ).toEqual([]);
  });

  it('targets every platform', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.category).toBe('Finance');
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
    expect(config.mac.hardenedRuntime).toBe(true);
  });

  it("passes electron-builder's own schema", async () => {
    // Internal module of app-builder-lib (pinned with electron-builder); the same check `electron-builder` runs first.
    const { validateConfiguration } = requireHere('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = requireHere('builder-util') as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('points afterPack at an existing hook', () => {
    expect(existsSync(join(root, config.afterPack))).toBe(true);
    expect(typeof afterPack).toBe('function');
  });
});

describe('after-pack hook', () => {
  it('sets every required fuse', () => {
    const fuseConfig = afterPack.fuseConfig(fuses);
    expect(fuseConfig.version).toBe(fuses.FuseVersion.V1);
    for (const [name, value] of REQUIRED)
      expect(fuseConfig[fuses.FuseV1Options[name]], name).toBe(value);
  });

  const packager = {
    appInfo: { productFilename: 'AssetPay Bulk Seller' },
    executableName: 'assetpay-bulk-seller',
  };
  const cases: Array<[string, number, string, boolean]> = [
    ['linux', 1, '/dist/linux-unpacked/assetpay-bulk-seller', false],
    ['win32', 1, '/dist/win-unpacked/AssetPay Bulk Seller.exe', false],
    ['darwin', 1, '/dist/mac/AssetPay Bulk Seller.app', false],
    ['darwin', 3, '/dist/mac-arm64/AssetPay Bulk Seller.app', true],
  ];

  it.each(cases)(
    'flips the fuses of the %s binary (arch %i)',
    async (platform, arch, binary, reset) => {
      const flipFuses = vi.fn(async () => 1);
      const appOutDir = binary.slice(0, binary.lastIndexOf('/'));
      await afterPack(
        { appOutDir, electronPlatformName: platform, arch, packager },
        { ...fuses, flipFuses },
      );
      expect(flipFuses).toHaveBeenCalledOnce();
      const [path, fuseConfig] = flipFuses.mock.calls[0] as unknown as [
        string,
        Record<string, unknown>,
      ];
      expect(path).toBe(join(appOutDir, binary.slice(binary.lastIndexOf('/') + 1)));
      expect(fuseConfig.resetAdHocDarwinSignature).toBe(reset);
      for (const [name, value] of REQUIRED)
        expect(fuseConfig[fuses.FuseV1Options[name]], name).toBe(value);
    },
  );
});
