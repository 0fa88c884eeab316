import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { iconPng } from '../../emulator/icons/icon-png';
import type { LogFields, Logger } from '../../electron/main/services/log';
import {
  PictureCache,
  checkPictureUrl,
  PUBLIC_PICTURES_ONLY,
} from '../../electron/main/services/pictures';

/*
 * The picture cache against a real HTTP server on loopback, allowed as the
 * sandbox origin (the way the test host allows the emulator): every bad
 * input of issue 11 is refused and logged, never thrown; eviction keeps the
 * folder under its cap, least recently used first.
 */

const PNG = iconPng('/icons/d32ce6/abc.png')!;
const PNG_B = iconPng('/icons/4b69ff/def.png')!;
const TWENTY_MB = 20 * 1024 * 1024;

let server: http.Server;
let origin: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const port = (server.address() as AddressInfo).port;
    if (path.startsWith('/png/')) {
      const body = path.endsWith('b.png') ? PNG_B : PNG;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length });
      return res.end(body);
    }
    switch (path) {
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><script>alert(1)</script></html>');
      case '/lying-png':
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      case '/svg':
        res.writeHead(200, { 'content-type': 'image/svg+xml' });
        return res.end('<svg xmlns="http://www.w3.org/2000/svg"/>');
      case '/redirect-same':
        res.writeHead(302, { location: '/png/moved.png' });
        return res.end();
      case '/redirect-other':
        // Same machine, another host name: not the origin the policy allows.
        res.writeHead(302, { location: `http://localhost:${port}/png/a.png` });
        return res.end();
      case '/huge-declared':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': TWENTY_MB });
        res.write(PNG);
        // Never sends the rest: a client that trusted the length would wait; ours stops at the header.
        return;
      case '/huge-streamed': {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(PNG);
        let sent = PNG.length;
        const chunk = Buffer.alloc(64 * 1024, 1);
        const pump = () => {
          while (sent < TWENTY_MB) {
            sent += chunk.length;
            if (!res.write(chunk)) return res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        return pump();
      }
      case '/not-found':
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('no');
      case '/down':
        res.writeHead(503, { 'content-type': 'text/plain' });
        return res.end('later');
      case '/hang':
        return; // never answers
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let dir: string;
let warnings: { message: string; fields: LogFields | undefined }[];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, fields) => warnings.push({ message, fields }),
  error: () => undefined,
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-seller-pictures-'));
  warnings = [];
  hits.clear();
  return () => rmSync(dir, { recursive: true, force: true });
});

function cache(options: { maxBytes?: number; online?: boolean; timeoutMs?: number } = {}) {
  return new PictureCache({
    dir,
    policy: { extraOrigins: () => [origin] },
    logger,
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    isOnline: () => options.online ?? true,
    limits: { timeoutMs: options.timeoutMs ?? 5_000 },
  });
}

const refusedWith = (reason: string) => ({ kind: 'refused', reason });

describe('picture cache: fetched once, served from disk', () => {
  it('fetches a picture once, then serves it from disk — also after a restart, and offline', async () => {
    const first = await cache().get(`${origin}/png/a.png`);
    expect(first).toMatchObject({ kind: 'picture', type: 'image/png', from: 'network' });
    const pictures = cache({ online: false });
    const again = await pictures.get(`${origin}/png/a.png`);
    expect(again).toMatchObject({ kind: 'picture', from: 'disk' });
    expect(again.kind === 'picture' && again.body.equals(PNG)).toBe(true);
    expect(hits.get('/png/a.png')).toBe(1);
    // Not cached and offline: no request, no log — the placeholder shows.
    expect(await pictures.get(`${origin}/png/b.png`)).toEqual({ kind: 'unavailable' });
    expect(hits.get('/png/b.png')).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('asks the network once for many simultaneous requests of the same picture', async () => {
    const pictures = cache();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => pictures.get(`${origin}/png/same.png`)),
    );
    expect(answers.every((a) => a.kind === 'picture')).toBe(true);
    expect(hits.get('/png/same.png')).toBe(1);
  });

  it('follows a redirect on the same host', async () => {
    expect(await cache().get(`${origin}/redirect-same`)).toMatchObject({ kind: 'picture' });
    expect(hits.get('/png/moved.png')).toBe(1);
  });
});

describe('picture cache: bad input is refused and logged, never thrown', () => {
  it.each([
    ['a non-image answer (text/html)', '/html', 'not-an-image'],
    ['an "image/png" that is not a picture', '/lying-png', 'not-an-image'],
    ['an SVG (a document that can carry scripts)', '/svg', 'not-an-image'],
    ['a redirect to another host', '/redirect-other', 'redirect-to-other-host'],
    ['a 20 MB body announced by Content-Length', '/huge-declared', 'too-large'],
    ['a 20 MB body streamed without a length', '/huge-streamed', 'too-large'],
    ['a 404', '/not-found', 'http-status'],
  ])('%s', async (_what, path, reason) => {
    const pictures = cache();
    const started = Date.now();
    expect(await pictures.get(`${origin}${path}`)).toEqual(refusedWith(reason));
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ message: 'picture refused', fields: { reason } });
    // Remembered: asked again, no second request and no second log line.
    expect(await pictures.get(`${origin}${path}`)).toEqual(refusedWith(reason));
    expect(hits.get(path)).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)', 'scheme'],
    ['file:', 'file:///etc/passwd', 'scheme'],
    ['data:', 'data:image/png;base64,iVBORw0KGgo=', 'scheme'],
    [
      'plain http on a Steam host',
      'http://community.fastly.steamstatic.com/economy/image/x',
      'scheme',
    ],
    ['a host that is not an image host', 'https://evil.example/x.png', 'host'],
    ['credentials in the URL', 'https://user:pw@community.fastly.steamstatic.com/x', 'credentials'],
    ['not a URL', 'not a url', 'not-a-url'],
  ])('%s URLs are refused without a request', async (_what, url, reason) => {
    expect(await cache().get(url)).toEqual(refusedWith(reason));
    expect(hits.size).toBe(0);
    expect(warnings[0]).toMatchObject({ fields: { reason } });
  });

  it('a host that never answers gives up at the timeout, as unavailable (tried again later)', async () => {
    const pictures = cache({ timeoutMs: 300 });
    expect(await pictures.get(`${origin}/hang`)).toEqual({ kind: 'unavailable' });
    expect(await pictures.get(`${origin}/hang`)).toEqual({ kind: 'unavailable' });
    expect(hits.get('/hang')).toBe(1);
  });

  it('a failing host (503) is unavailable, not refused', async () => {
    expect(await cache().get(`${origin}/down`)).toEqual({ kind: 'unavailable' });
    expect(warnings).toEqual([]);
  });
});

describe('picture cache: bounded on disk, least recently used out first', () => {
  it('evicts the least recently shown pictures when the folder passes its cap', async () => {
    let clock = 1_000;
    const pictures = new PictureCache({
      dir,
      policy: { extraOrigins: () => [origin] },
      logger,
      maxBytes: PNG.length * 3 + 10,
      now: () => clock++,
    });
    for (const name of ['1', '2', '3']) await pictures.get(`${origin}/png/${name}.png`);
    expect((await pictures.size()).files).toBe(3);
    // Picture 1 is shown again: now 2 is the least recently used.
    expect(await pictures.get(`${origin}/png/1.png`)).toMatchObject({ from: 'disk' });
    await pictures.get(`${origin}/png/4.png`);
    const size = await pictures.size();
    expect(size.bytes).toBeLessThanOrEqual(PNG.length * 3 + 10);
    expect(await pictures.get(`${origin}/png/1.png`)).toMatchObject({ from: 'disk' });
    expect(await pictures.get(`${origin}/png/4.png`)).toMatchObject({ from: 'disk' });
    expect(await pictures.get(`${origin}/png/2.png`)).toMatchObject({ from: 'network' });
    expect(hits.get('/png/2.png')).toBe(2);
    expect(hits.get('/png/1.png')).toBe(1);
  });

  it('rebuilds its index from the folder and removes temporary files of a store cut short', async () => {
    await cache().get(`${origin}/png/a.png`);
    writeFileSync(join(dir, '.abc.tmp'), 'half');
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    const size = await cache().size();
    expect(size).toEqual({ files: 1, bytes: PNG.length });
    expect(existsSync(join(dir, '.abc.tmp'))).toBe(false);
  });
});

describe('picture hosts (policy)', () => {
  it.each([
    ['https://community.fastly.steamstatic.com/economy/image/abc/62fx62f', true],
    ['https://community.cloudflare.steamstatic.com/economy/image/abc', true],
    ['https://steamcommunity-a.akamaihd.net/economy/image/abc', true],
    ['https://cdn.assetpay.gg/items/abc.png', true],
    ['https://assetpay.gg/img/abc.png', true],
    ['https://steamstatic.com/x', false],
    ['https://evil-steamstatic.com/x', false],
    ['https://community.fastly.steamstatic.com.evil.io/x', false],
    ['https://other.akamaihd.net/x', false],
    ['https://assetpay.gg.evil.io/x', false],
    ['https://notassetpay.gg/x', false],
    ['https://community.fastly.steamstatic.com:8443/x', false],
    ['http://127.0.0.1:4010/icons/d32ce6/abc.png', false],
    ['http://localhost/x.png', false],
  ])('%s → %s (production: no loopback)', (url, allowed) => {
    expect(checkPictureUrl(url, PUBLIC_PICTURES_ONLY).ok).toBe(allowed);
  });

  it('allows exactly the extra origin it is given, nothing else on loopback', () => {
    const policy = { extraOrigins: () => ['http://127.0.0.1:4010'] };
    expect(checkPictureUrl('http://127.0.0.1:4010/icons/x.png', policy).ok).toBe(true);
    expect(checkPictureUrl('http://127.0.0.1:4011/icons/x.png', policy).ok).toBe(false);
    expect(checkPictureUrl('http://localhost:4010/icons/x.png', policy).ok).toBe(false);
    expect(checkPictureUrl('http://u:p@127.0.0.1:4010/icons/x.png', policy).ok).toBe(false);
  });
});
