// Inputs for wasm/src/wasi/c-workload.c and the output it must give for them, in Node and in
// browsers (test/node/wasi-workload.test.mjs, test/shared/wasi-checks.mjs).

/** How much the program reads at a time; it sleeps after each read that returned data. */
export const WORKLOAD_CHUNK = 4096;

/** A deterministic generator (mulberry32): numbers in [0, 1). */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['alpha', 'beta', 'gamma', 'thread', 'wasm', 'sleep', 'naïve', 'Grüße', '日本語', 'x', 'loooooooooong'];
const GAPS = [' ', ' ', ' ', '  ', '\t', '\n', '\r\n', ' \v ', '\f'];

/** Text of exactly `size` bytes (the last character may be cut: the program counts bytes). */
function text(next, size) {
  const encoder = new TextEncoder();
  const parts = [];
  let length = 0;
  while (length < size) {
    const part = WORDS[Math.floor(next() * WORDS.length)] + GAPS[Math.floor(next() * GAPS.length)];
    parts.push(part);
    length += encoder.encode(part).length;
  }
  return encoder.encode(parts.join('')).subarray(0, size);
}

/** What the program counts in a file: as `wc` does, plus the 32-bit FNV-1a hash. */
function count(bytes) {
  let lines = 0;
  let words = 0;
  let inWord = false;
  let hash = 0x811c9dc5;
  for (const c of bytes) {
    hash = Math.imul(hash ^ c, 16777619) >>> 0;
    if (c === 10) lines++;
    if (c === 32 || (c >= 9 && c <= 13)) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
  }
  return { lines, words, bytes: bytes.length, hash: hash.toString(16).padStart(8, '0') };
}

/**
 * `count` files named inputs/part-NNN.txt: first the edge cases (empty, exactly one read, one byte
 * more, part of one read), then files of 1..maxReads reads. Returns the files in argument order
 * ({ name, bytes }), the program's line for each (`fileLines`, same order) and its total line.
 */
export function workloadInputs({ count: fileCount, maxReads, seed = 2026 }) {
  const next = random(seed);
  const files = [];
  const fileLines = [];
  const sum = { lines: 0, words: 0, bytes: 0 };
  for (let i = 0; i < fileCount; i++) {
    const size = [0, WORKLOAD_CHUNK, WORKLOAD_CHUNK + 1, 777][i] ?? WORKLOAD_CHUNK * Math.floor(next() * maxReads) + 1 + Math.floor(next() * (WORKLOAD_CHUNK - 1));
    const bytes = text(next, size);
    const name = `inputs/part-${String(i).padStart(3, '0')}.txt`;
    const r = count(bytes);
    files.push({ name, bytes });
    fileLines.push(`${name}: lines ${r.lines} words ${r.words} bytes ${r.bytes} fnv1a ${r.hash}`);
    sum.lines += r.lines;
    sum.words += r.words;
    sum.bytes += r.bytes;
  }
  return { files, fileLines, total: `total: files ${fileCount} lines ${sum.lines} words ${sum.words} bytes ${sum.bytes}` };
}

/**
 * Checks the program's stdout for `threads` workers: main's lines in place, the workers' file
 * lines as a set (they interleave); throws an Error that says what differs.
 */
export function checkWorkloadOutput(stdout, { threads, fileLines, total }) {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const lines = stdout.split('\n');
  const last = lines.pop();
  const head = [lines[0], ...lines.slice(-3)];
  const wantHead = [`started ${threads} of ${threads} threads`, `joined ${threads} threads`, total, `peak concurrent threads: ${threads}`];
  if (last !== '' || !same(head, wantHead)) throw new Error(`main's lines: expected ${JSON.stringify(wantHead)} and a final newline, got ${JSON.stringify(stdout)}`);
  const got = lines.slice(1, -3).sort();
  const want = [...fileLines].sort();
  if (!same(got, want)) {
    const missing = want.filter((line) => !got.includes(line));
    const extra = got.filter((line) => !want.includes(line));
    throw new Error(`file lines from the workers: missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)}`);
  }
}
