'use strict';
/*
 * Writes resources/icon.png (512×512 RGBA): a rounded teal square with three
 * stacked white bars (items sold in bulk). Plain Node (zlib), no image tools.
 * Run: node scripts/make-icon.cjs
 */
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { deflateSync } = require('node:zlib');

const SIZE = 512;

function crc32(buffer) {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Coverage (0..1) of a rounded rectangle at pixel centre (x, y), with 1px anti-aliasing. */
function roundedRect(x, y, left, top, right, bottom, radius) {
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  const distance = Math.hypot(x - cx, y - cy) - radius;
  return Math.min(1, Math.max(0, 0.5 - distance));
}

function pixel(x, y) {
  const px = x + 0.5;
  const py = y + 0.5;
  const tile = roundedRect(px, py, 16, 16, SIZE - 16, SIZE - 16, 96);
  // Teal to deep blue, top-left to bottom-right.
  const t = (px + py) / (2 * SIZE);
  let r = 20 + 10 * t;
  let g = 160 - 90 * t;
  let b = 150 - 20 * t;
  const bars = [
    [136, 132, 376, 188],
    [116, 228, 396, 284],
    [96, 324, 416, 380],
  ];
  let white = 0;
  for (const [left, top, right, bottom] of bars)
    white = Math.max(white, roundedRect(px, py, left, top, right, bottom, 22));
  r += (255 - r) * white;
  g += (255 - g) * white;
  b += (255 - b) * white;
  return [Math.round(r), Math.round(g), Math.round(b), Math.round(255 * tile)];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) raw.set(pixel(x, y), row + 1 + x * 4);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(join(__dirname, '..', 'resources', 'icon.png'), png);
console.log(`resources/icon.png written (${png.length} bytes)`);
