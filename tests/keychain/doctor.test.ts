import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * `npm run doctor` as a whole, against the private Secret Service that
 * `npm test` starts (tests/run-all.sh). The Electron binary is a stand-in
 * (tests/integration/start-path-fixtures/stand-in-electron.sh) or a path
 * that does not exist; the data folder is a temporary one.
 */

const ROOT = join(__dirname, '../..');
const STAND_IN_ELECTRON = join(ROOT, 'tests/integration/start-path-fixtures/stand-in-electron.sh');

function doctor(env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, ['scripts/doctor.mjs'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  const lines = result.stdout.trimEnd().split('\n');
  return {
    code: result.status,
    lines,
    missing: lines.filter((line) => line.startsWith('MISSING')),
  };
}

function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'doctor-config-')),
    ...extra,
  };
}

describe('npm run doctor', () => {
  it('passes when everything is there, and says so', () => {
    const result = doctor(baseEnv({ ELECTRON_EXEC_PATH: STAND_IN_ELECTRON }));

    expect(result.missing).toEqual([]);
    expect(result.code).toBe(0);
    for (const name of [
      'Node version',
      'Native modules (tests)',
      'Secret Service',
      'Electron binary',
      'Data folder',
    ]) {
      expect(result.lines.find((line) => line.includes(`${name}:`))).toMatch(/^ok /);
    }
    expect(result.lines.at(-1)).toBe('Everything a first run needs is here.');
  });

  it('names the missing Electron binary and nothing else, and exits non-zero', () => {
    const result = doctor(baseEnv({ ELECTRON_EXEC_PATH: join(ROOT, 'no-such-electron') }));

    expect(result.code).toBe(1);
    expect(result.missing).toHaveLength(1);
    expect(result.missing[0]).toContain('MISSING Electron binary: ELECTRON_EXEC_PATH is set to');
    expect(result.lines.at(-1)).toBe(
      'Missing: Electron binary. Fix it and run `npm run doctor` again.',
    );
  });

  it('without a D-Bus session reports the Secret Service missing and what to install', () => {
    const env = baseEnv({ ELECTRON_EXEC_PATH: STAND_IN_ELECTRON });
    for (const name of [
      'DBUS_SESSION_BUS_ADDRESS',
      'DISPLAY',
      'WAYLAND_DISPLAY',
      'XDG_RUNTIME_DIR',
    ])
      delete env[name];
    const result = doctor(env);

    expect(result.code).toBe(1);
    expect(result.missing).toHaveLength(1);
    expect(result.missing[0]).toMatch(/^MISSING Secret Service: not reachable: .+D-Bus/);
    expect(result.missing[0]).toContain('sudo apt-get install gnome-keyring libsecret-1-0');
  });
});
