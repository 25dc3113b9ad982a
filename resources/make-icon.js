#!/usr/bin/env node
// Writes resources/icon.png (512×512 RGBA) with the same shapes as icon.svg, using only
// node:zlib (PNG = signature + IHDR + zlib-compressed scanlines + IEND, each chunk CRC32'd).
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const S = 512;
const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 255];
const rrect = (x, y, w, h, r, color) => ({ color, hit: (px, py) => {
  if (px < x || py < y || px >= x + w || py >= y + h) return false;
  const cx = Math.min(Math.max(px, x + r), x + w - r), cy = Math.min(Math.max(py, y + r), y + h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
} });
const circle = (x, y, r, color) => ({ color, hit: (px, py) => (px - x) ** 2 + (py - y) ** 2 <= r * r });
const shapes = [
  rrect(0, 0, 512, 512, 96, hex('#1f2933')),
  rrect(96, 128, 320, 96, 24, hex('#c08a3e')),
  rrect(96, 240, 320, 160, 16, hex('#a86f2a')),
  rrect(216, 200, 80, 96, 12, hex('#e6e1d6')),
  circle(256, 236, 12, hex('#1f2933')),
  rrect(250, 240, 12, 32, 0, hex('#1f2933')),
];

const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) {
  raw[y * (S * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < S; x++) {
    let c = [0, 0, 0, 0];
    for (const s of shapes) if (s.hit(x + 0.5, y + 0.5)) c = s.color;
    raw.set(c, y * (S * 4 + 1) + 1 + x * 4);
  }
}

const table = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0); ihdr.writeUInt32BE(S, 4);
ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`resources/icon.png: ${S}×${S}, ${png.length} bytes`);
