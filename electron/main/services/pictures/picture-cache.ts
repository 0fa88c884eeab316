import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../log';
import { fetchPicture, type FetchFn, type FetchLimits } from './picture-fetch';
import {
  checkPictureUrl,
  EXTENSION_OF,
  TYPE_OF_EXTENSION,
  type PicturePolicy,
  type PictureRefusal,
  type PictureType,
} from './picture-policy';

/*
 * Item pictures on disk (issue 11 deliverable 1): each iconUrl is fetched
 * once and kept in `<dir>/<sha256 of the URL>.<ext>`, so the inventory shows
 * pictures offline. The folder is bounded (`maxBytes`); when it grows past
 * that, the least recently shown pictures go first. "Recently shown" is the
 * file's mtime, touched on every hit, so the order survives restarts.
 *
 * A refused URL (policy or bad answer) is logged once and remembered for the
 * session; a failed fetch (offline, host down) is remembered for a minute.
 * Neither ever throws to the caller: the renderer just shows its placeholder.
 */

export type PictureAnswer =
  | { kind: 'picture'; type: PictureType; body: Buffer; from: 'disk' | 'network' }
  | { kind: 'refused'; reason: PictureRefusal }
  | { kind: 'unavailable' };

export interface PictureCacheOptions {
  dir: string;
  policy: PicturePolicy;
  /** Default 200 MB: some 5,000–10,000 item pictures. */
  maxBytes?: number;
  limits?: Partial<FetchLimits>;
  /** Network fetches at once (a scrolled table asks for a screenful together). */
  concurrency?: number;
  /** When false, misses are not fetched at all (the app knows it is offline). */
  isOnline?: () => boolean;
  logger?: Logger;
  now?: () => number;
  fetch?: FetchFn;
}

export const DEFAULT_PICTURE_LIMITS: FetchLimits = {
  maxBytes: 2 * 1024 * 1024,
  timeoutMs: 10_000,
  maxRedirects: 3,
};
const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
const RETRY_UNAVAILABLE_MS = 60_000;
/** Eviction goes down to this share of the cap, so a full cache does not evict on every store. */
const EVICT_TO = 0.9;

interface Entry {
  file: string;
  type: PictureType;
  bytes: number;
  lastUsed: number;
}

export class PictureCache {
  private readonly maxBytes: number;
  private readonly limits: FetchLimits;
  private readonly logger: Logger;
  private readonly now: () => number;
  private index: Promise<Map<string, Entry>> | null = null;
  private totalBytes = 0;
  private readonly inFlight = new Map<string, Promise<PictureAnswer>>();
  private readonly remembered = new Map<
    string,
    { until: number; answer: Exclude<PictureAnswer, { kind: 'picture' }> }
  >();
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly options: PictureCacheOptions) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.limits = { ...DEFAULT_PICTURE_LIMITS, ...options.limits };
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  /** The picture of an iconUrl: from disk, else fetched (once) and stored. */
  async get(iconUrl: string): Promise<PictureAnswer> {
    const key = keyOf(iconUrl);
    const index = await this.loadIndex();
    const entry = index.get(key);
    if (entry) {
      const body = await readFile(join(this.options.dir, entry.file)).catch(() => null);
      if (body) {
        this.touch(entry);
        return { kind: 'picture', type: entry.type, body, from: 'disk' };
      }
      this.forget(index, key, entry);
    }
    const remembered = this.remembered.get(iconUrl);
    if (remembered && remembered.until > this.now()) return remembered.answer;
    const pending = this.inFlight.get(iconUrl);
    if (pending) return pending;
    const answer = this.fetchAndStore(iconUrl, key).finally(() => this.inFlight.delete(iconUrl));
    this.inFlight.set(iconUrl, answer);
    return answer;
  }

  /** Bytes on disk (for tests and the doctor). */
  async size(): Promise<{ files: number; bytes: number }> {
    const index = await this.loadIndex();
    return { files: index.size, bytes: this.totalBytes };
  }

  private async fetchAndStore(iconUrl: string, key: string): Promise<PictureAnswer> {
    const checked = checkPictureUrl(iconUrl, this.options.policy);
    if (!checked.ok) return this.refuse(iconUrl, checked.reason, 'not an allowed picture URL');
    if (this.options.isOnline && !this.options.isOnline()) return { kind: 'unavailable' };
    const outcome = await this.limited(() =>
      fetchPicture(checked.url, this.limits, this.options.fetch),
    );
    if (outcome.kind === 'refused') return this.refuse(iconUrl, outcome.reason, outcome.detail);
    if (outcome.kind === 'unavailable') {
      this.logger.debug('picture unavailable', { url: clip(iconUrl), detail: outcome.detail });
      const answer = { kind: 'unavailable' } as const;
      this.remembered.set(iconUrl, { until: this.now() + RETRY_UNAVAILABLE_MS, answer });
      return answer;
    }
    await this.store(key, outcome.type, outcome.body).catch((error: unknown) =>
      this.logger.warn('picture not cached', { error, url: clip(iconUrl) }),
    );
    return { kind: 'picture', type: outcome.type, body: outcome.body, from: 'network' };
  }

  private refuse(iconUrl: string, reason: PictureRefusal, detail: string): PictureAnswer {
    this.logger.warn('picture refused', { reason, detail, url: clip(iconUrl) });
    const answer = { kind: 'refused', reason } as const;
    this.remembered.set(iconUrl, { until: Number.POSITIVE_INFINITY, answer });
    return answer;
  }

  /** Written under a temporary name, then renamed: a crash never leaves half a picture. */
  private async store(key: string, type: PictureType, body: Buffer): Promise<void> {
    const index = await this.loadIndex();
    const file = `${key}.${EXTENSION_OF[type]}`;
    const temp = join(this.options.dir, `.${key}.${randomUUID()}.tmp`);
    await writeFile(temp, body);
    await rename(temp, join(this.options.dir, file));
    const previous = index.get(key);
    if (previous) this.totalBytes -= previous.bytes;
    index.set(key, { file, type, bytes: body.length, lastUsed: this.now() });
    this.totalBytes += body.length;
    if (this.totalBytes > this.maxBytes) await this.evict(index, key);
  }

  /** Least recently used first, down to 90 % of the cap; never the picture just stored. */
  private async evict(index: Map<string, Entry>, keep: string): Promise<void> {
    const oldest = [...index.entries()]
      .filter(([key]) => key !== keep)
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [key, entry] of oldest) {
      if (this.totalBytes <= this.maxBytes * EVICT_TO) break;
      this.forget(index, key, entry);
      await rm(join(this.options.dir, entry.file), { force: true });
    }
  }

  private forget(index: Map<string, Entry>, key: string, entry: Entry): void {
    if (index.delete(key)) this.totalBytes -= entry.bytes;
  }

  private touch(entry: Entry): void {
    entry.lastUsed = this.now();
    const at = new Date(entry.lastUsed);
    utimes(join(this.options.dir, entry.file), at, at).catch(() => undefined);
  }

  /** What is on disk, read once: name → type, size and last use (mtime). */
  private loadIndex(): Promise<Map<string, Entry>> {
    this.index ??= (async () => {
      await mkdir(this.options.dir, { recursive: true });
      const index = new Map<string, Entry>();
      for (const name of await readdir(this.options.dir)) {
        const match = /^([0-9a-f]{64})\.([a-z]+)$/.exec(name);
        const type = match ? TYPE_OF_EXTENSION[match[2]!] : undefined;
        const path = join(this.options.dir, name);
        if (!match || !type) {
          // A temporary file of a store cut short, or something that does not belong here.
          if (name.endsWith('.tmp')) await rm(path, { force: true });
          continue;
        }
        const info = await stat(path).catch(() => null);
        if (!info?.isFile()) continue;
        index.set(match[1]!, { file: name, type, bytes: info.size, lastUsed: info.mtimeMs });
        this.totalBytes += info.size;
      }
      return index;
    })();
    return this.index;
  }

  private async limited<T>(task: () => Promise<T>): Promise<T> {
    // A freed slot is handed straight to the next waiter, so never more than `max` run.
    if (this.running >= (this.options.concurrency ?? 6))
      await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}

function keyOf(iconUrl: string): string {
  return createHash('sha256').update(iconUrl).digest('hex');
}

function clip(url: string): string {
  return url.slice(0, 200);
}
