import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, tradeUrlFor } from '../../emulator/testing';

/* `npm run emulator` = `tsx emulator/cli.ts`: prints exactly one ready line and stops on signals. */

const ROOT = join(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  // tsx runs the CLI in a child node process: kill the whole process group we created.
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function run(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(TSX, ['emulator/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    // Own process group, so afterEach can kill tsx and the node process it starts.
    detached: true,
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve(stdout.slice(0, newline));
    });
    child.on('exit', () => reject(new Error(`exited before printing a line; stderr: ${stderr}`)));
  });
  firstLine.catch(() => undefined); // awaited only by the tests that expect a line
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, firstLine, exit };
}

describe('emulator CLI', () => {
  it('prints exactly "listening on http://127.0.0.1:PORT", serves with the given key, and stops on SIGTERM', async () => {
    const { child, firstLine, exit } = run([
      '--port',
      '0',
      '--api-key',
      'ap_cli_key',
      '--items',
      '40',
      '--seed',
      '3',
      '--tier',
      'unverified',
    ]);
    const line = await firstLine;
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
    expect(match, line).not.toBeNull();
    const url = match![1]!;
    expect(Number(match![2])).toBeGreaterThan(0);

    const res = await call(url, 'GET', '/secure/inventory', {
      apiKey: 'ap_cli_key',
      query: { tradeUrl: tradeUrlFor(5), limit: -1 },
    });
    expect(res.status).toBe(200);
    expect((res.json as { data: { count: number } }).data.count).toBe(40);
    expect((await call(url, 'GET', '/secure/trades')).status).toBe(401);

    child.kill('SIGTERM');
    const result = await exit;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${line}\n`);
    await expect(
      call(url, 'GET', '/secure/trades', { apiKey: 'ap_cli_key', timeoutMs: 2000 }),
    ).rejects.toThrow();
  });

  it('stops on SIGINT and applies --faults and the capacity flags', async () => {
    const { child, firstLine, exit } = run([
      '--port',
      '0',
      '--faults',
      'server-error=1',
      '--bots',
      '3',
      '--service-ms',
      '250',
    ]);
    const url = /^listening on (\S+)$/.exec(await firstLine)![1]!;
    expect((await call(url, 'GET', '/secure/trades')).status).toBe(500);
    const state = await call(url, 'GET', '/__emulator/state');
    expect((state.json as { capacity: unknown }).capacity).toMatchObject({
      bots: 3,
      busy: 0,
      queued: 0,
    });
    child.kill('SIGINT');
    expect((await exit).code).toBe(0);
  });

  it('exits with code 2 and a clear message on a bad option', async () => {
    const { exit } = run(['--faults', 'server-error=7']);
    const result = await exit;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--faults: Bad value for server-error/);
    expect(result.stdout).toBe('');
  });
});
