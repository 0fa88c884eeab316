// The checks behind `npm run doctor`. Each returns { name, status, text }:
// status 'ok', 'missing' (the first run will fail: doctor exits non-zero) or
// 'note' (worth knowing, handled by `npm start` itself). They only look: they
// install, build and write nothing, except a probe file they remove again.
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { findElectronBinary, electronPackage } from './electron-binary.mjs';
import { describeBuild, nativeStatus, runtimeTarget } from './native-builds.mjs';

const require = createRequire(import.meta.url);

export function checkNodeVersion(projectDir, version = process.versions.node) {
  const { nodeVersionProblem, readRequirement } = require('../check-node.cjs');
  const { range, recommended } = readRequirement();
  const problem = nodeVersionProblem(version, range, recommended);
  if (problem) return { name: 'Node version', status: 'missing', text: problem };
  const ci =
    version === recommended
      ? ''
      : ` (the tests and CI use ${recommended}, the Node inside Electron; see .nvmrc)`;
  return { name: 'Node version', status: 'ok', text: `Node ${version} meets ${range}${ci}` };
}

/** The tests run in Node: load both modules there, for real, in a child process. */
export function checkNativeModulesForNode(projectDir) {
  const probe = spawnSync(
    process.execPath,
    ['-e', "require('better-sqlite3')(':memory:').close(); require('keytar')"],
    { cwd: projectDir, encoding: 'utf8', timeout: 30_000 },
  );
  const target = `Node ${process.versions.node} (ABI ${process.versions.modules})`;
  if (probe.status === 0) {
    return {
      name: 'Native modules (tests)',
      status: 'ok',
      text: `better-sqlite3 and keytar load in ${target}`,
    };
  }
  // The error message, which may span lines, up to its stack.
  const lines = (probe.stderr || '').split('\n');
  const first = lines.findIndex((line) => /Error/.test(line));
  const end = lines.findIndex((line, index) => index > first && /^\s+at /.test(line));
  const detail =
    first === -1 ? 'no error text' : lines.slice(first, end === -1 ? undefined : end).join(' ');
  return {
    name: 'Native modules (tests)',
    status: 'missing',
    text:
      `better-sqlite3 or keytar does not load in ${target}: ${detail.trim().replace(/\.$/, '')}. ` +
      'Run `node scripts/native-modules.mjs node` (`npm test` does it too); building needs python3, make and g++' +
      (/libsecret/.test(detail)
        ? ', and keytar needs libsecret (sudo apt-get install libsecret-1-0)'
        : '') +
      '.',
  };
}

/** Without the Electron binary nothing can be loaded in Electron: say what the builds are for. */
export function checkNativeModulesForElectron(projectDir, env = process.env) {
  const target = runtimeTarget(projectDir, 'electron');
  const statuses = nativeStatus(projectDir, target);
  const ready = statuses.every((status) => status.fits || status.cached);
  if (ready) {
    return {
      name: 'Native modules (app)',
      status: 'ok',
      text: `builds for ${target.label} are in place or kept in .tmp/native-builds; \`npm start\` uses them`,
    };
  }
  const pending = statuses
    .filter((status) => !status.fits && !status.cached)
    .map((status) => `${status.module.name} is ${describeBuild(status.built)}`)
    .join(', ');
  const binary = findElectronBinary(projectDir, env).found
    ? '`npm start` builds it (downloading Electron headers once)'
    : '`npm start` builds it once the Electron binary is here';
  return {
    name: 'Native modules (app)',
    status: 'note',
    text: `${pending}; the app needs ${target.label}: ${binary}`,
  };
}

const SECRET_SERVICE_ADVICE =
  'Install a Secret Service and unlock it: Debian/Ubuntu `sudo apt-get install gnome-keyring libsecret-1-0` ' +
  '(KDE: KWallet with its Secret Service interface), then sign in to a desktop session, which starts and unlocks it. ' +
  'A bare shell or SSH session has no D-Bus session bus, so there this check fails even when the desktop has a keyring; ' +
  '`npm test` starts a private one for the tests';

/** Linux only: ask the Secret Service for an entry that does not exist, the way the app will (keytar). */
export function checkSecretService(projectDir, platform = process.platform, env = process.env) {
  const name = 'Secret Service';
  if (platform !== 'linux') {
    return { name, status: 'ok', text: `not needed on ${platform}: the app uses the OS keychain` };
  }
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      "require('keytar').getPassword('assetpay-bulk-seller-doctor', 'probe')" +
        '.then(() => process.exit(0), (e) => { console.error(String(e && e.message || e)); process.exit(1); })',
    ],
    { cwd: projectDir, env, encoding: 'utf8', timeout: 20_000 },
  );
  if (probe.status === 0)
    return { name, status: 'ok', text: 'reachable and unlocked (keytar can read from it)' };
  const detail = probe.error
    ? 'no answer within 20 s (is the keyring waiting for an unlock prompt?)'
    : (probe.stderr || '').trim().split('\n')[0] || `exit ${probe.status}`;
  return { name, status: 'missing', text: `not reachable: ${detail}. ${SECRET_SERVICE_ADVICE}.` };
}

export function checkElectronBinary(projectDir, env = process.env) {
  const name = 'Electron binary';
  const binary = findElectronBinary(projectDir, env);
  if (binary.found) return { name, status: 'ok', text: `${binary.path} (from ${binary.source})` };
  const { version } = electronPackage(projectDir);
  const fix = binary.badSetting
    ? `Point ELECTRON_EXEC_PATH at an Electron ${version} executable, or unset it`
    : '`npm start` downloads it (or run `npx install-electron`); without internet set ELECTRON_MIRROR to a ' +
      `mirror you can reach, or place an Electron ${version} executable by hand and set ELECTRON_EXEC_PATH to it`;
  return { name, status: 'missing', text: `${binary.reason}. ${fix}.` };
}

/** Where Electron's app.getPath('userData') points for this app (it uses productName). */
export function userDataFolder(
  productName,
  platform = process.platform,
  env = process.env,
  home = homedir(),
) {
  if (platform === 'darwin') return join(home, 'Library/Application Support', productName);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData/Roaming'), productName);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), productName);
}

function writableDirectory(path) {
  try {
    accessSync(path, constants.W_OK);
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function checkDataFolder(
  projectDir,
  platform = process.platform,
  env = process.env,
  home = homedir(),
) {
  const name = 'Data folder';
  const { productName } = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'));
  const folder = userDataFolder(productName, platform, env, home);
  if (existsSync(folder)) {
    const probe = join(folder, `.doctor-probe-${process.pid}`);
    try {
      writeFileSync(probe, 'probe');
      rmSync(probe);
      return { name, status: 'ok', text: `${folder} is writable` };
    } catch (error) {
      return {
        name,
        status: 'missing',
        text: `${folder} is not writable (${error.code ?? error.message}): fix its owner or permissions`,
      };
    }
  }
  let parent = dirname(folder);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  if (writableDirectory(parent)) {
    return {
      name,
      status: 'ok',
      text: `${folder} will be created on the first start (${parent} is writable)`,
    };
  }
  return {
    name,
    status: 'missing',
    text: `${folder} cannot be created: ${parent} is not a writable folder. Fix its owner or permissions, or set XDG_CONFIG_HOME`,
  };
}

export function runAllChecks(projectDir, env = process.env) {
  return [
    checkNodeVersion(projectDir),
    checkNativeModulesForNode(projectDir),
    checkNativeModulesForElectron(projectDir, env),
    checkSecretService(projectDir, process.platform, env),
    checkElectronBinary(projectDir, env),
    checkDataFolder(projectDir, process.platform, env),
  ];
}
