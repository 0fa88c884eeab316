import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { z } from 'zod';
import { GAMES } from './api/games';
import { TRADE_STATUSES } from './api/trade-statuses';
import type { WireInventoryItem } from './api/wire';
import { holdsItems } from './trades/statuses';
import type { TradeRecord } from './trades/trade-book';
import { World, type WorldConfig } from './world';

/*
 * Optional persistence (`persistPath`): the sandbox keeps its trades, consumed
 * externalIds, sold items and hand-set offers across restarts, as a real
 * AssetPay does. One JSON file, rewritten whole — write `<path>.tmp`, fsync,
 * rename — at most every SAVE_INTERVAL_MS after a change and once more,
 * synchronously, on stop(). A file that is unreadable, invalid or from
 * another seed / inventory size is set aside (renamed) and the emulator starts
 * fresh; it never fails to start because of the file.
 *
 * Trade items are stored as [itemId, amount, price] and rebuilt from the
 * (deterministic) inventories on load, so a 100,000-item state stays a few MB.
 * Each trade's JSON is cached until its status changes, so a save costs a
 * string join, not a re-serialisation of every trade.
 *
 * Not kept: price drift (drifted prices start again from the generated ones,
 * except items set by hand), rate-limit buckets, request counts and faults.
 */

export const SAVE_INTERVAL_MS = 200;
const MAX_RETRY_MS = 10_000;
const FORMAT = 'assetpay-emulator-state';
const VERSION = 1;

export type Notice = (message: string) => void;

const isoDate = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a date');
const money = z.number().finite().nonnegative();

const wireSchema = z.object({
  id: z.string().min(1).max(128),
  type: z.literal('deposit'),
  source: z.literal('self'),
  status: z.enum(TRADE_STATUSES),
  game: z.enum([GAMES.cs2, GAMES.rust]),
  externalId: z.string().min(1).max(128).optional(),
  merchantId: z.string(),
  clientUserId: z.string(),
  clientSteamID: z.string(),
  clientTradeUrl: z.string(),
  totalPrice: money,
  preCredit: money,
  pendingCredit: money,
  isInstant: z.boolean(),
  collateral: z.object({ merchant: money, provider: money }),
  offerID: z.string().optional(),
  botInfo: z.object({ name: z.string(), steamId: z.string() }).optional(),
  activeAt: isoDate.optional(),
  holdEndDate: isoDate.optional(),
  revertedBy: z.enum(['supplier', 'user']).optional(),
  error: z.string().optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

const tradeSchema = z.object({
  /** The wire trade without `items`. */
  wire: wireSchema,
  partner: z.string().regex(/^\d{1,10}$/),
  relatedTo: z.string().optional(),
  outcome: z.enum(['completed', 'declined', 'failed', 'canceled']),
  reverts: z.boolean(),
  /** [itemId, amount, price] per item, in the trade's item order. */
  lines: z
    .array(z.tuple([z.string().min(5).max(256), z.number().int().min(1), z.number().positive()]))
    .min(1),
});

/** What identifies the generated world: a file from another one is not restored. */
const headerSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  seed: z.number(),
  itemsPerInventory: z.number(),
});

const fileSchema = headerSchema.extend({
  savedAt: isoDate,
  /** advanceLifecycle(ms) total, so emulated time carries on where it was. */
  skewMs: z.number().finite().nonnegative(),
  /** [itemId, price, accepted]: offers set by hand. */
  overrides: z.array(z.tuple([z.string(), z.number().positive(), z.boolean()])),
  /** In creation order (index = seq). */
  trades: z.array(tradeSchema),
});

export type StateFile = z.infer<typeof fileSchema>;

class CorruptState extends Error {}

/**
 * The world for a persistent emulator: restored from `path` when it holds a
 * valid state of the same seed and inventory size, otherwise fresh (a bad or
 * foreign file is renamed aside first). Never throws because of the file.
 */
export function openWorld(path: string, config: WorldConfig, notice: Notice): World {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      notice(`cannot read state file ${path} (${errorText(error)}); starting fresh`);
    }
    return new World(config);
  }
  try {
    const json: unknown = JSON.parse(text);
    const header = headerSchema.safeParse(json);
    if (
      header.success &&
      (header.data.seed !== config.seed ||
        header.data.itemsPerInventory !== config.itemsPerInventory)
    ) {
      const aside = setAside(path, 'mismatch', notice);
      notice(
        `state file ${path} is for seed ${header.data.seed} / ${header.data.itemsPerInventory} items, ` +
          `not seed ${config.seed} / ${config.itemsPerInventory}; starting fresh` +
          (aside ? ` (old file kept as ${aside})` : ''),
      );
      return new World(config);
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) throw new CorruptState(firstIssue(parsed.error));
    const state = parsed.data;
    const world = new World(config, { skewMs: state.skewMs, tradeCount: state.trades.length });
    restoreInto(world, state);
    notice(
      `restored ${state.trades.length} trades and ${world.book.externalIds().length} used externalIds from ${path}`,
    );
    return world;
  } catch (error) {
    const aside = setAside(path, 'corrupt', notice);
    notice(
      `state file ${path} is not usable (${errorText(error)}); starting fresh` +
        (aside ? ` (bad file kept as ${aside})` : ''),
    );
    return new World(config);
  }
}

/** Rebuilds the trade book and hand-set offers; throws CorruptState on anything inconsistent. */
export function restoreInto(world: World, state: StateFile): void {
  const now = world.now();
  const book = world.book;
  state.trades.forEach((saved, seq) => {
    const { wire, partner, relatedTo } = saved;
    const where = `trade ${seq} (${wire.id})`;
    if (book.get(wire.id)) throw new CorruptState(`${where}: duplicate id`);
    if (wire.externalId !== undefined && book.hasExternalId(wire.externalId))
      throw new CorruptState(`${where}: duplicate externalId`);
    if (relatedTo !== undefined && !book.get(relatedTo))
      throw new CorruptState(`${where}: relatedTo an unknown trade`);
    const holds = holdsItems(wire.status);
    const seen = new Set<string>();
    const items: WireInventoryItem[] = saved.lines.map(([itemId, amount, price]) => {
      const stored = world.inventories.find(itemId, now);
      if (!stored || stored.partner !== partner || stored.game !== wire.game)
        throw new CorruptState(`${where}: item ${itemId} is not in this account's inventory`);
      if (seen.has(itemId)) throw new CorruptState(`${where}: item ${itemId} twice`);
      seen.add(itemId);
      const held = holds ? book.heldUnits(itemId) : 0;
      if (held + amount > stored.item.amount)
        throw new CorruptState(`${where}: item ${itemId} sold beyond its stack`);
      // As createRecord wrote it: the row at sale time (offer accepted, or it would not have sold), the sold amount and price.
      return { ...stored.item, amount, offer: { ...stored.item.offer, price, accepted: true } };
    });
    const record: TradeRecord = {
      seq,
      wire: { ...wire, items },
      partner,
      lines: saved.lines.map(([itemId, amount]) => ({ itemId, amount })),
      outcome: saved.outcome,
      reverts: saved.reverts,
      updatedMs: Date.parse(wire.updatedAt),
      version: 0,
      ...(relatedTo === undefined ? {} : { relatedTo }),
    };
    book.add(record);
    // Schedules the next step at updatedAt + step (absolute), so overdue steps are applied at their own times.
    world.lifecycle.start(record);
  });
  try {
    for (const [itemId, price, accepted] of state.overrides) {
      world.inventories.setPrice(itemId, price, now);
      world.inventories.setAccepted(itemId, accepted, now);
    }
  } catch (error) {
    throw new CorruptState(`overrides: ${errorText(error)}`);
  }
}

/**
 * Saves the world to `path` after changes: coalesced (at most one write per
 * interval, never two at once), atomically, and flushed synchronously by close().
 */
export class StateSaver {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  /** Failed writes in a row: retries back off (up to MAX_RETRY_MS) instead of re-serialising every interval. */
  private failures = 0;
  /** Per trade: its JSON as of `version` (statuses change rarely; lines never). */
  private readonly cache = new WeakMap<TradeRecord, { version: number; json: string }>();

  constructor(
    private readonly world: World,
    private readonly path: string,
    private readonly notice: Notice,
    private readonly intervalMs = SAVE_INTERVAL_MS,
  ) {
    const changed = () => this.markDirty();
    world.book.onChange = changed;
    world.inventories.onChange = changed;
    world.onChange = changed;
  }

  markDirty(): void {
    if (this.closed) return;
    this.dirty = true;
    this.schedule();
  }

  /** The whole state as the file holds it. */
  serialize(): string {
    const world = this.world;
    const overrides: Array<[string, number, boolean]> = [];
    for (const itemId of world.inventories.overridden) {
      const stored = world.inventories.find(itemId, world.now());
      if (stored) overrides.push([itemId, stored.item.offer.price, stored.item.offer.accepted]);
    }
    const head: Omit<StateFile, 'trades'> = {
      format: FORMAT,
      version: VERSION,
      seed: world.config.seed,
      itemsPerInventory: world.config.itemsPerInventory,
      savedAt: new Date().toISOString(),
      skewMs: world.skew,
      overrides,
    };
    const trades = world.book.all.map((record) => this.tradeJson(record));
    return `${JSON.stringify(head).slice(0, -1)},"trades":[\n${trades.join(',\n')}\n]}\n`;
  }

  /** Stops saving after changes; writes what is still unsaved, synchronously. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    this.world.book.onChange = undefined;
    this.world.inventories.onChange = undefined;
    this.world.onChange = undefined;
    if (!this.dirty) return;
    try {
      writeAtomicSync(this.path, this.serialize());
      this.dirty = false;
    } catch (error) {
      this.notice(`could not save state to ${this.path}: ${errorText(error)}`);
    }
  }

  private schedule(): void {
    if (this.timer || this.writing || this.closed) return;
    const delay =
      this.failures === 0
        ? this.intervalMs
        : Math.min(this.intervalMs * 2 ** this.failures, MAX_RETRY_MS);
    this.timer = setTimeout(() => this.flush(), delay);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    let text: string;
    try {
      text = this.serialize();
    } catch (error) {
      this.notice(`could not save state to ${this.path}: ${errorText(error)}`);
      return;
    }
    this.writing = writeAtomic(this.path, text)
      .then(
        () => {
          if (this.failures > 0) this.notice(`saving state to ${this.path} works again`);
          this.failures = 0;
        },
        (error: unknown) => {
          this.dirty = true;
          if (this.failures === 0)
            this.notice(`could not save state to ${this.path}: ${errorText(error)}`);
          this.failures++;
        },
      )
      .finally(() => {
        this.writing = undefined;
        if (this.dirty) this.schedule();
      });
  }

  private tradeJson(record: TradeRecord): string {
    const cached = this.cache.get(record);
    if (cached && cached.version === record.version) return cached.json;
    const { items, ...wire } = record.wire;
    const json = JSON.stringify({
      wire,
      partner: record.partner,
      relatedTo: record.relatedTo,
      outcome: record.outcome,
      reverts: record.reverts,
      lines: record.lines.map((line, i) => [line.itemId, line.amount, items[i]!.offer.price]),
    });
    this.cache.set(record, { version: record.version, json });
    return json;
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  // Windows may refuse a rename over a file another process (a virus scanner) has open for a moment.
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(tmp, path);
      return;
    } catch (error) {
      if (attempt >= 5 || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

export function writeAtomicSync(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const data = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < data.length;)
      offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      renameSync(tmp, path);
      return;
    } catch (error) {
      if (attempt >= 5 || !isTransient(error)) throw error;
    }
  }
}

function isTransient(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EPERM' || code === 'EBUSY' || code === 'EACCES';
}

/** Renames a file that will not be restored to `<path>.<kind>-<timestamp>`; returns the new name. */
function setAside(path: string, kind: 'corrupt' | 'mismatch', notice: Notice): string | undefined {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let target = `${path}.${kind}-${stamp}`;
  for (let n = 2; existsSync(target); n++) target = `${path}.${kind}-${stamp}-${n}`;
  try {
    renameSync(path, target);
    return target;
  } catch (error) {
    notice(`could not rename ${path} aside (${errorText(error)}); it will be overwritten`);
    return undefined;
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
