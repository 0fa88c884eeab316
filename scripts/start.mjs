// `npm start` (preview: build, then launch) and `npm run dev` (dev server):
// make sure the Electron binary is there, that the native modules are built
// for Electron, then hand over to electron-vite with ELECTRON_EXEC_PATH set,
// so electron-vite never has to guess (and never says "Electron uninstall").
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronBinary } from './ensure-electron.mjs';
import { prepareNativeModules, runtimeTarget } from './lib/native-builds.mjs';

const projectDir = join(fileURLToPath(import.meta.url), '../..');
const mode = process.argv[2] ?? 'preview';
if (mode !== 'preview' && mode !== 'dev') {
  console.error(`usage: node scripts/start.mjs [preview|dev] (got "${mode}")`);
  process.exit(2);
}

const electron = await ensureElectronBinary(projectDir);
if (electron.error) {
  console.error(electron.error);
  process.exit(1);
}

const native = prepareNativeModules(projectDir, runtimeTarget(projectDir, 'electron'));
for (const action of native.actions) console.log(action);
if (native.error) {
  console.error(native.error);
  process.exit(1);
}

const electronVite = join(
  dirname(createRequire(join(projectDir, 'package.json')).resolve('electron-vite/package.json')),
  'bin/electron-vite.js',
);
const child = spawn(process.execPath, [electronVite, mode], {
  cwd: projectDir,
  env: { ...process.env, ELECTRON_EXEC_PATH: electron.path },
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
