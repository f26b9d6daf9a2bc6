// Small PNG images for the oxipng checks, made in code so that Node and the browser get the
// same pictures: 8-bit RGB or RGBA, filter 0, compressed with CompressionStream('deflate')
// (zlib format, as PNG's IDAT needs), which both have. oxipng has real work to do on them.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function encodePng(width, height, channels, pixel) {
  const stride = width * channels + 1;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) raw[y * stride + 1 + x * channels + c] = pixel(x, y, c) & 255;
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8;
  header[9] = channels === 4 ? 6 : 2;
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', await deflate(raw)), chunk('IEND', new Uint8Array(0))];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    png.set(part, at);
    at += part.length;
  }
  return png;
}

/** Three images: a smooth RGB gradient, RGBA shapes with alpha, and a noisy RGB picture. */
export async function makeTestImages() {
  let seed = 7;
  const noise = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 15;
  return [
    { name: 'gradient 256x256 RGB', png: await encodePng(256, 256, 3, (x, y, c) => [x, y, (x + y) >> 1][c]) },
    {
      name: 'shapes 384x256 RGBA',
      png: await encodePng(384, 256, 4, (x, y, c) =>
        c === 3 ? ((x - 192) ** 2 + (y - 128) ** 2 < 100 ** 2 ? 255 : 64) : ((x >> 5) ^ (y >> 5)) & 1 ? 40 * c + 60 : 200 - 50 * c),
    },
    { name: 'noisy 400x300 RGB', png: await encodePng(400, 300, 3, (x, y, c) => (((x * (c + 1)) ^ y) & 0xf0) + noise()) },
  ];
}
