import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `npm start` itself, run in a throw-away copy of the project so the native
 * builds it swaps never reach the node_modules the other suites load. The
 * Electron binary cannot be downloaded on the build machines, so a stand-in
 * (start-path-fixtures/stand-in-electron.sh) records how it was launched; a
 * stand-in node-gyp fails and records any build, and every download address
 * points at a closed loopback port.
 */

const ROOT = join(__dirname, '../..');
const FIXTURES = join(__dirname, 'start-path-fixtures');
const LEFT_OUT = new Set([
  'node_modules',
  'out',
  '.git',
  '.tmp',
  'artifacts',
  'dist',
  'test-results',
  'playwright-report',
]);
const ELECTRON_ABI = readFileSync(join(ROOT, 'node_modules/electron/abi_version'), 'utf8').trim();
const ELECTRON_VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const SQLITE_BUILD = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';

let sandbox: string;
let closedPort: number;

/** A copy of the project: sources copied, node_modules linked, except what `npm start` may change. */
function makeSandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'start-path-'));
  for (const entry of readdirSync(ROOT)) {
    if (!LEFT_OUT.has(entry)) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    const from = join(ROOT, 'node_modules', entry);
    const to = join(dir, 'node_modules', entry);
    if (entry === 'better-sqlite3') {
      // Hard links: cheap, and our scripts replace files instead of writing into them.
      expect(spawnSync('cp', ['-al', from, to]).status).toBe(0);
    } else if (entry === 'electron') {
      // The package without its binary: as after `npm install` on Electron >= 42.
      cpSync(from, to, { recursive: true, filter: (path) => !/[/\\](dist|path\.txt)$/.test(path) });
    } else {
      symlinkSync(from, to);
    }
  }
  return dir;
}

async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The environment of a user with no network: every download goes to a closed local port. */
function offlineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(ELECTRON_|electron_|npm_)/i.test(key)) env[key] = value;
  }
  const nowhere = `http://127.0.0.1:${closedPort}/`;
  return {
    ...env,
    ELECTRON_MIRROR: nowhere,
    ELECTRON_HEADERS_URL: nowhere,
    HTTPS_PROXY: nowhere,
    HTTP_PROXY: nowhere,
    npm_config_registry: nowhere,
    npm_config_offline: 'true',
    electron_config_cache: join(sandbox, 'empty-electron-cache'),
    npm_config_node_gyp: join(FIXTURES, 'stand-in-node-gyp.cjs'),
    STAND_IN_NODE_GYP_LOG: join(sandbox, 'node-gyp-calls.log'),
    ...extra,
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, {
    cwd: sandbox,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    all: `${result.stdout}\n${result.stderr}`,
  };
}

beforeAll(async () => {
  closedPort = await findClosedPort();
  sandbox = makeSandbox();
});

afterAll(() => {
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

describe('npm start', () => {
  it('builds, swaps in the kept Electron build of better-sqlite3 without building, and launches Electron with the app', () => {
    const standInElectron = join(sandbox, 'stand-in-electron.sh');
    cpSync(join(FIXTURES, 'stand-in-electron.sh'), standInElectron);
    const launchLog = join(sandbox, 'electron-launch.log');
    // A build for Electron's ABI kept by an earlier `npm start` (a stand-in: no Electron here).
    const keptForElectron = join(
      sandbox,
      `.tmp/native-builds/better-sqlite3/abi-${ELECTRON_ABI}/better_sqlite3.node`,
    );
    mkdirSync(join(keptForElectron, '..'), { recursive: true });
    writeFileSync(keptForElectron, `stand-in build: node_register_module_v${ELECTRON_ABI}\n`);
    const nodeBuild = readFileSync(join(ROOT, SQLITE_BUILD));

    const env = offlineEnv({
      ELECTRON_EXEC_PATH: standInElectron,
      STAND_IN_ELECTRON_LOG: launchLog,
    });
    const first = run('npm', ['start'], env);

    expect(first.all).not.toContain('Electron uninstall');
    expect(first.code, first.all).toBe(0);
    expect(existsSync(join(sandbox, 'out/main/index.js'))).toBe(true);
    const [cwd, ...args] = readFileSync(launchLog, 'utf8').trimEnd().split('\n');
    // electron-vite passes the project folder; Electron reads package.json "main" from it.
    expect(cwd).toBe(sandbox);
    expect(args).toEqual(['.']);
    expect(JSON.parse(readFileSync(join(sandbox, 'package.json'), 'utf8')).main).toBe(
      'out/main/index.js',
    );
    expect(existsSync(env.STAND_IN_NODE_GYP_LOG!)).toBe(false);
    expect(readFileSync(join(sandbox, SQLITE_BUILD))).toEqual(readFileSync(keptForElectron));
    // The Node build it replaced is kept for `npm test`, and the real project's is untouched.
    expect(
      readFileSync(
        join(
          sandbox,
          `.tmp/native-builds/better-sqlite3/abi-${process.versions.modules}/better_sqlite3.node`,
        ),
      ),
    ).toEqual(nodeBuild);
    expect(readFileSync(join(ROOT, SQLITE_BUILD))).toEqual(nodeBuild);

    // Idempotent: a second start neither downloads nor swaps anything.
    rmSync(launchLog);
    const second = run('npm', ['start'], env);
    expect(second.code, second.all).toBe(0);
    expect(second.all).not.toMatch(/downloading|kept build|built for/i);
    expect(existsSync(launchLog)).toBe(true);

    // `npm test`'s first step puts the Node build back, again without building.
    const back = run(process.execPath, ['scripts/native-modules.mjs', 'node'], env);
    expect(back.code, back.all).toBe(0);
    expect(back.stdout).toContain('better-sqlite3: using the kept build for Node');
    expect(readFileSync(join(sandbox, SQLITE_BUILD))).toEqual(nodeBuild);
    expect(existsSync(env.STAND_IN_NODE_GYP_LOG!)).toBe(false);
  });

  it('without the Electron binary and without network, stops with one plain message', () => {
    const result = run('npm', ['start'], offlineEnv({}));

    expect(result.code).not.toBe(0);
    const message = result.stderr.trimEnd().split('\n').at(-1) ?? '';
    expect(message).toContain(`Could not get the Electron ${ELECTRON_VERSION} binary`);
    expect(message).toContain(`127.0.0.1:${closedPort} refused the connection`);
    for (const advice of [
      'ELECTRON_MIRROR',
      'npx install-electron',
      'ELECTRON_EXEC_PATH',
      'HTTPS_PROXY',
    ]) {
      expect(message).toContain(advice);
    }
    expect(result.all).not.toContain('Electron uninstall');
    expect(result.all).not.toMatch(/^\s+at /m);
    expect(existsSync(join(sandbox, 'node_modules/electron/path.txt'))).toBe(false);
  });

  it('names a wrong ELECTRON_EXEC_PATH instead of downloading', () => {
    const missing = join(sandbox, 'no-such-electron');
    const result = run('npm', ['start'], offlineEnv({ ELECTRON_EXEC_PATH: missing }));

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `ELECTRON_EXEC_PATH is set to ${missing}, which is not an executable file`,
    );
    expect(result.all).not.toMatch(/downloading/i);
  });
});
