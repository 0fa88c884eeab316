// Makes sure the Electron binary is there before anything launches or packages
// the app. Electron >= 42 no longer downloads it at `npm install`; its own
// installer (node_modules/electron/install.js) does. Nothing happens when the
// binary is present (ELECTRON_EXEC_PATH counts); otherwise the installer runs,
// and if it cannot, we stop with one plain message instead of electron-vite's
// "Electron uninstall".
import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackage, findElectronBinary } from './lib/electron-binary.mjs';

const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/';

/** The download base @electron/get will use (it reads these variables, in this order). */
function downloadBase(env) {
  return (
    env.npm_config_electron_mirror ||
    env.NPM_CONFIG_ELECTRON_MIRROR ||
    env.npm_package_config_electron_mirror ||
    env.ELECTRON_MIRROR ||
    DEFAULT_MIRROR
  );
}

function usesProxy(env) {
  const proxy = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy;
  return env.ELECTRON_GET_USE_PROXY ? proxy : undefined;
}

/** Why a host cannot be reached, in plain words, or null when it answers. */
async function unreachableReason(url) {
  let target;
  try {
    target = new URL(url);
  } catch {
    return `${url} is not a valid URL`;
  }
  const host = target.hostname;
  const port = Number(target.port) || (target.protocol === 'http:' ? 80 : 443);
  try {
    await lookup(host);
  } catch (error) {
    return `${host} could not be found (${error.code ?? error.message})`;
  }
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reason) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(5000, () => done(`${host}:${port} did not answer within 5 s`));
    socket.once('connect', () => done(null));
    socket.once('error', (error) =>
      done(
        error.code === 'ECONNREFUSED'
          ? `${host}:${port} refused the connection`
          : `${host}:${port}: ${error.code ?? error.message}`,
      ),
    );
  });
}

function firstLine(text) {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line && !line.startsWith('at ')) ?? 'no error output'
  );
}

function cannotInstallMessage(version, base, reason) {
  return (
    `Could not get the Electron ${version} binary: the download from ${base} failed (${reason}). ` +
    'Connect to the internet and run the command again; or set ELECTRON_MIRROR to a mirror you can reach ' +
    '(behind a proxy also set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=true); or run `npx install-electron`; ' +
    `or put an Electron ${version} executable on this machine and set ELECTRON_EXEC_PATH to it. ` +
    '`npm run doctor` checks everything else a first run needs.'
  );
}

/** Returns the binary's path, or { error } with the one message to print. */
export async function ensureElectronBinary(projectDir, env = process.env) {
  const before = findElectronBinary(projectDir, env);
  if (before.found) return { path: before.path };
  const electron = electronPackage(projectDir);
  if (before.badSetting) {
    return {
      error:
        `Cannot start the app: ${before.reason}. Point it at an Electron ${electron.version} ` +
        'executable, or unset it to use the one the electron package installs.',
    };
  }
  console.log(`Electron ${electron.version} is not installed yet; downloading it once…`);
  const install = spawnSync(process.execPath, [join(electron.dir, 'install.js')], {
    cwd: projectDir,
    env,
    encoding: 'utf8',
  });
  const after = findElectronBinary(projectDir, env);
  if (install.status === 0 && after.found) return { path: after.path };
  const base = downloadBase(env);
  const reason =
    (await unreachableReason(usesProxy(env) ?? base)) ??
    firstLine(`${install.stderr ?? ''}\n${install.stdout ?? ''}`);
  return { error: cannotInstallMessage(electron.version, base, reason) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const projectDir = join(fileURLToPath(import.meta.url), '../..');
  const result = await ensureElectronBinary(projectDir);
  if (result.error) {
    console.error(result.error);
    process.exit(1);
  }
}
