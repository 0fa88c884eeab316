import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/* The pieces behind the Node gate, `npm start` and `npm run doctor`, on made-up inputs. */

const ROOT = join(__dirname, '../..');
const requireScript = createRequire(__filename);

interface CheckNode {
  nodeVersionProblem(version: string, range: string, recommended: string): string | null;
}
const { nodeVersionProblem } = requireScript(join(ROOT, 'scripts/check-node.cjs')) as CheckNode;

interface ElectronBinary {
  findElectronBinary(
    projectDir: string,
    env: Record<string, string | undefined>,
  ): { found: boolean; path?: string; reason?: string; badSetting?: boolean };
}
interface NativeBuilds {
  builtFor(file: string): { kind: string; abi?: string };
}
interface DoctorChecks {
  userDataFolder(name: string, platform: string, env: Record<string, string>, home: string): string;
  checkDataFolder(
    projectDir: string,
    platform: string,
    env: Record<string, string>,
    home: string,
  ): { status: string; text: string };
}
const load = async <T>(path: string): Promise<T> =>
  (await import(pathToFileURL(join(ROOT, path)).href)) as T;

describe('the Node version gate', () => {
  it.each([
    ['20.20.2', 'Node 20.20.2'],
    ['v22.11.9', 'Node 22.11.9'],
    ['18.0.0', 'Node 18.0.0'],
  ])('refuses %s in one line that says what to install', (version, shown) => {
    const line = nodeVersionProblem(version, '>=22.12.0', '24.22.1');
    expect(line).toMatch(/^AssetPay Bulk Seller needs Node >= 22\.12 \(Electron 45/);
    expect(line).toContain(`this is ${shown}.`);
    expect(line).toContain('Install Node 24.22.1 with nvm (`nvm install` reads .nvmrc)');
    expect(line).not.toContain('\n');
  });

  it.each(['22.12.0', '24.22.1', 'v25.0.0'])('accepts %s', (version) => {
    expect(nodeVersionProblem(version, '>=22.12.0', '24.22.1')).toBeNull();
  });

  it('names bad input instead of guessing', () => {
    expect(() => nodeVersionProblem('twenty', '>=22.12.0', '24.22.1')).toThrow(
      '"twenty" is not a Node version like 22.12.0',
    );
    expect(() => nodeVersionProblem('24.0.0', '^22', '24.22.1')).toThrow(
      'engines.node must read ">=X.Y.Z"; it reads "^22"',
    );
  });

  it('engines, .nvmrc and the gate agree: .nvmrc names one exact version that meets engines', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    const pinned = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim();
    expect(pkg.engines.node).toBe('>=22.12.0');
    expect(pinned).toMatch(/^24\.\d+\.\d+$/);
    expect(nodeVersionProblem(pinned, pkg.engines.node, pinned)).toBeNull();
  });
});

/** A made-up project with an `electron` package, with or without its binary. */
function fakeProject(binary: 'installed' | 'missing'): string {
  const dir = mkdtempSync(join(tmpdir(), 'first-run-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"fake","productName":"AssetPay Bulk Seller"}');
  const electron = join(dir, 'node_modules/electron');
  mkdirSync(join(electron, 'dist'), { recursive: true });
  writeFileSync(join(electron, 'package.json'), '{"name":"electron","version":"45.4.1"}');
  writeFileSync(join(electron, 'abi_version'), '150');
  if (binary === 'installed') {
    writeFileSync(join(electron, 'path.txt'), 'electron');
    writeFileSync(join(electron, 'dist/electron'), '#!/bin/sh\n');
    chmodSync(join(electron, 'dist/electron'), 0o755);
  }
  return dir;
}

describe('finding the Electron binary', () => {
  it('finds it through path.txt, as electron-vite does', async () => {
    const { findElectronBinary } = await load<ElectronBinary>('scripts/lib/electron-binary.mjs');
    const dir = fakeProject('installed');
    expect(findElectronBinary(dir, {})).toMatchObject({
      found: true,
      path: join(dir, 'node_modules/electron/dist/electron'),
    });
  });

  it('says path.txt is missing when the binary was never downloaded', async () => {
    const { findElectronBinary } = await load<ElectronBinary>('scripts/lib/electron-binary.mjs');
    const dir = fakeProject('missing');
    const result = findElectronBinary(dir, {});
    expect(result.found).toBe(false);
    expect(result.reason).toBe(
      `the Electron 45.4.1 binary is not installed (${join(dir, 'node_modules/electron/path.txt')} does not exist)`,
    );
  });

  it('counts an executable ELECTRON_EXEC_PATH as present, and names one that is not', async () => {
    const { findElectronBinary } = await load<ElectronBinary>('scripts/lib/electron-binary.mjs');
    const dir = fakeProject('missing');
    const own = join(dir, 'my-electron');
    writeFileSync(own, '#!/bin/sh\n');
    chmodSync(own, 0o755);
    expect(findElectronBinary(dir, { ELECTRON_EXEC_PATH: own })).toMatchObject({
      found: true,
      path: own,
    });
    writeFileSync(join(dir, 'not-executable'), '');
    expect(
      findElectronBinary(dir, { ELECTRON_EXEC_PATH: join(dir, 'not-executable') }),
    ).toMatchObject({
      found: false,
      badSetting: true,
    });
  });

  it('follows ELECTRON_OVERRIDE_DIST_PATH like the electron package does', async () => {
    const { findElectronBinary } = await load<ElectronBinary>('scripts/lib/electron-binary.mjs');
    const dir = fakeProject('installed');
    const elsewhere = mkdtempSync(join(tmpdir(), 'first-run-dist-'));
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: elsewhere }).found).toBe(false);
    writeFileSync(join(elsewhere, 'electron'), '#!/bin/sh\n');
    chmodSync(join(elsewhere, 'electron'), 0o755);
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: elsewhere })).toMatchObject({
      found: true,
      path: join(elsewhere, 'electron'),
    });
  });
});

describe('what a native build was made for', () => {
  it.each([
    ['an ABI-bound build', 'ELF…node_register_module_v137…', { kind: 'abi', abi: '137' }],
    ['an N-API build', 'ELF…napi_register_module_v1…', { kind: 'napi' }],
    ['something else', 'ELF…', { kind: 'unknown' }],
  ])('reads %s from its registration symbol', async (_name, content, expected) => {
    const { builtFor } = await load<NativeBuilds>('scripts/lib/native-builds.mjs');
    const file = join(mkdtempSync(join(tmpdir(), 'first-run-node-')), 'addon.node');
    writeFileSync(file, content);
    expect(builtFor(file)).toEqual(expected);
  });

  it('says when there is no build at all', async () => {
    const { builtFor } = await load<NativeBuilds>('scripts/lib/native-builds.mjs');
    expect(builtFor(join(tmpdir(), 'no-such-dir', 'addon.node'))).toEqual({ kind: 'missing' });
  });
});

describe('the data folder', () => {
  it.each([
    ['linux', { XDG_CONFIG_HOME: '/x/config' }, '/x/config/AssetPay Bulk Seller'],
    ['linux', {}, '/home/t/.config/AssetPay Bulk Seller'],
    ['darwin', {}, '/home/t/Library/Application Support/AssetPay Bulk Seller'],
    ['win32', { APPDATA: '/x/Roaming' }, '/x/Roaming/AssetPay Bulk Seller'],
  ])('on %s with %o is %s, where Electron puts userData', async (platform, env, expected) => {
    const { userDataFolder } = await load<DoctorChecks>('scripts/lib/doctor-checks.mjs');
    expect(userDataFolder('AssetPay Bulk Seller', platform, env, '/home/t')).toBe(expected);
  });

  it('is fine when it can be created, and missing when a file stands in its way', async () => {
    const { checkDataFolder } = await load<DoctorChecks>('scripts/lib/doctor-checks.mjs');
    const dir = fakeProject('missing');
    const config = join(dir, 'config');
    mkdirSync(config);
    expect(checkDataFolder(dir, 'linux', { XDG_CONFIG_HOME: config }, dir)).toMatchObject({
      status: 'ok',
      text: `${join(config, 'AssetPay Bulk Seller')} will be created on the first start (${config} is writable)`,
    });
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    expect(checkDataFolder(dir, 'linux', { XDG_CONFIG_HOME: blocked }, dir)).toMatchObject({
      status: 'missing',
    });
  });
});
