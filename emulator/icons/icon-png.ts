import { deflateSync } from 'node:zlib';
import { hash32 } from '../random';

/*
 * Small deterministic item pictures, so the app's picture cache can be tested
 * offline against the emulator as it would run against Steam's image hosts
 * (real inventories carry an `iconUrl` per item, api §4.1). A picture is a
 * 64×48 PNG drawn from two things the URL carries: a seed (the shape and
 * hue) and the item's rarity colour (a stripe along the bottom), so the same
 * URL is always the same bytes and no table of pictures is kept.
 */

export const ICON_WIDTH = 64;
export const ICON_HEIGHT = 48;

/** `/icons/<rrggbb>/<seed base36>.png` — what the inventory's iconUrl points at. */
const ICON_PATH = /^\/icons\/([0-9a-f]{6})\/([0-9a-z]{1,7})\.png$/;

/** The path of the picture for a catalog entry (its name and game) with its rarity colour. */
export function iconPath(game: string, name: string, color: string): string {
  const hex = /^#?([0-9a-fA-F]{6})$/.exec(color)?.[1]?.toLowerCase() ?? 'b0c3d9';
  return `/icons/${hex}/${hash32('icon', game, name).toString(36)}.png`;
}

/** The PNG a picture path names, or undefined when the path is not one iconPath makes. */
export function iconPng(path: string): Buffer | undefined {
  const match = ICON_PATH.exec(path);
  if (!match) return undefined;
  const seed = parseInt(match[2]!, 36);
  if (!Number.isSafeInteger(seed) || seed > 0xffffffff) return undefined;
  return encodePng(ICON_WIDTH, ICON_HEIGHT, draw(seed, match[1]!));
}

function draw(seed: number, stripeHex: string): Uint8Array {
  const hue = seed % 360;
  const [r, g, b] = hsl(hue, 0.45, 0.42);
  const [lr, lg, lb] = hsl((hue + 30) % 360, 0.55, 0.62);
  const stripe = [0, 2, 4].map((at) => parseInt(stripeHex.slice(at, at + 2), 16));
  const band = 6 + (seed % 7);
  const pixels = new Uint8Array(ICON_WIDTH * ICON_HEIGHT * 4);
  for (let y = 0; y < ICON_HEIGHT; y++) {
    for (let x = 0; x < ICON_WIDTH; x++) {
      const at = (y * ICON_WIDTH + x) * 4;
      let rgba: [number, number, number, number] = [0, 0, 0, 0];
      const inside = x >= 4 && x < ICON_WIDTH - 4 && y >= 4 && y < ICON_HEIGHT - 8;
      if (y >= ICON_HEIGHT - 5) rgba = [stripe[0]!, stripe[1]!, stripe[2]!, 255];
      else if (inside)
        rgba = Math.floor((x + y) / band) % 2 === 0 ? [r, g, b, 255] : [lr, lg, lb, 255];
      pixels.set(rgba, at);
    }
  }
  return pixels;
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const scanlines = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    // Filter type 0 (none) before each row.
    scanlines.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
