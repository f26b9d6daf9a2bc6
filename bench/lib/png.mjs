// Test PNGs for the oxipng family: a tiny encoder (8-bit RGB/RGBA, filter 0, zlib level 1, so
// oxipng has real work to do) and three deterministic images. Copied from the research prototype
// (docs/research/wasm-bindgen-prototype/png.mjs) so the bench does not depend on docs/.
import { deflateSync } from 'node:zlib';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encode a width×height image with 3 (RGB) or 4 (RGBA) channels; `pixel(x, y, c)` gives 0..255. */
export function encodePng(width, height, channels, pixel) {
  const stride = width * channels + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) raw[y * stride + 1 + x * channels + c] = pixel(x, y, c);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = channels === 4 ? 6 : 2;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The three test images, as [{ name, label, png }]: the same bytes on every call. */
export function testImages() {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
  return [
    { name: 'gradient-256-rgb', label: 'gradient 256²', png: encodePng(256, 256, 3, (x, y, c) => [x, y, (x + y) >> 1][c]) },
    {
      name: 'shapes-512-rgba',
      label: 'shapes 512×384',
      png: encodePng(512, 384, 4, (x, y, c) =>
        c === 3 ? ((x - 256) ** 2 + (y - 192) ** 2 < 150 ** 2 ? 255 : 64) : ((x >> 5) ^ (y >> 5)) & 1 ? 40 * c + 60 : 200 - 50 * c),
    },
    { name: 'noisy-800-rgb', label: 'noisy 800×600', png: encodePng(800, 600, 3, (x, y, c) => (((x * (c + 1)) ^ y) & 0xf0) + (rnd() & 15)) },
  ];
}
