// Where the Electron executable is, looked up the way electron-vite 6 and the
// `electron` package do it, without `require('electron')` (which would start a
// download): ELECTRON_EXEC_PATH first, then node_modules/electron/path.txt under
// node_modules/electron/dist, or ELECTRON_OVERRIDE_DIST_PATH when that is set.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The installed `electron` package: its folder, version and the ABI its Node modules need. */
export function electronPackage(projectDir) {
  const manifest = createRequire(join(projectDir, 'package.json')).resolve('electron/package.json');
  const dir = dirname(manifest);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  const abi = readFileSync(join(dir, 'abi_version'), 'utf8').trim();
  return { dir, version, abi };
}

function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * { found: true, path, source } or { found: false, reason } where `reason`
 * says in plain words what is missing. `badSetting` is true when the user
 * pointed ELECTRON_EXEC_PATH somewhere wrong: installing would not fix that.
 */
export function findElectronBinary(projectDir, env = process.env) {
  if (env.ELECTRON_EXEC_PATH) {
    const path = env.ELECTRON_EXEC_PATH;
    if (isExecutableFile(path)) return { found: true, path, source: 'ELECTRON_EXEC_PATH' };
    return {
      found: false,
      badSetting: true,
      reason: `ELECTRON_EXEC_PATH is set to ${path}, which is not an executable file`,
    };
  }
  const electron = electronPackage(projectDir);
  const pathFile = join(electron.dir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      found: false,
      reason: `the Electron ${electron.version} binary is not installed (${pathFile} does not exist)`,
    };
  }
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || join(electron.dir, 'dist');
  const path = join(dist, readFileSync(pathFile, 'utf8').trim());
  if (isExecutableFile(path)) return { found: true, path, source: 'node_modules/electron' };
  return { found: false, reason: `the Electron binary ${path} is missing or not executable` };
}
