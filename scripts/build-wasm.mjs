#!/usr/bin/env node
// Builds every source in wasm/src/ into wasm/<name>.wasm, and every source in wasm/src/wasi/ into
// wasm/wasi/<name>.wasm (plain Node, no dependencies).
//
//   node scripts/build-wasm.mjs           build, then print what was built
//   node scripts/build-wasm.mjs --check   build into a temp dir; exit 1 naming every committed
//                                         .wasm that is missing or differs from the fresh build
//
// .c   -> clang-22 (Debian packages clang-22 lld-22), freestanding wasm32 with shared imported
//         memory; see CLANG_FLAGS. Functions are exported with __attribute__((export_name("..."))).
// .wat -> wat2wasm --enable-threads (Debian package wabt, or else the npm package wabt's, which
//         gives the same bytes).
// .h files are headers, not modules. Tools can be overridden with the CLANG and WAT2WASM variables.
// With --check and no clang (a machine without the Debian packages), the .wat modules are still
// checked and the C sources are skipped with one line that says how to enable them.
//
// wasm/src/wasi/ holds wasi-threads programs (commands with _start; see the header of each file):
// .wat as above; .c -> WASI_CLANG_FLAGS (no --no-entry: _start is the entry), linked with the
// small runtime in wasm/src/wasi/rt/ (every .c and .S there; rt/ itself is not a program).
//
// The output is deterministic (no paths, dates or randomness end up in the binaries): two builds
// give the same bytes, which is what --check relies on. Note that wasm-ld names the module after
// the output file (the "name" section), so fresh builds use the same file names in a temp dir.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(root, 'wasm', 'src');
const outDir = join(root, 'wasm');

const CLANG = process.env.CLANG || 'clang-22';
const NPM_WAT2WASM = join(root, 'node_modules', 'wabt', 'bin', 'wat2wasm');
const WAT2WASM = process.env.WAT2WASM || (toolRuns('wat2wasm', ['--version']) ? 'wat2wasm' : NPM_WAT2WASM);
const CLANG_PACKAGES = 'clang-22 lld-22';

const COMPILE_FLAGS = [
  '--target=wasm32',
  '-O2',
  '--no-wasm-opt', // otherwise clang silently runs any wasm-opt on PATH (not reproducible)
  '-nostdlib',
  '-fno-builtin', // no calls to memcpy/memset that -nostdlib code could not link
  '-matomics',
  '-mbulk-memory',
  '-Wall',
  '-Wextra',
];
const CLANG_FLAGS = [
  ...COMPILE_FLAGS,
  // Passive data segments plus a start function that initializes the shared memory once.
  '-Wl,--no-entry,--shared-memory,--import-memory,--max-memory=67108864',
];
// wasi-threads programs in C: a command (entry _start) importing "env" "memory" (shared, max
// from the setting maxMemory), exporting only what wasi-threads needs, as wasi-sdk builds do: no
// __stack_pointer or TLS symbols, since wasi_thread_start (rt/thread-start.S) sets up its own.
const WASI_CLANG_FLAGS = [
  ...COMPILE_FLAGS,
  '-Wl,--shared-memory,--import-memory',
  '-Wl,--export=wasi_thread_start,--export=_start,--export=__heap_base',
  '-Wl,-z,stack-size=65536', // the main thread's shadow stack (rt.h RT_STACK_SIZE: the others')
];
const WASI_RUNTIME_DIR = 'wasi/rt'; // relative to wasm/src
const WASI_DEFAULT_MAX_MEMORY = 16 * 1024 * 1024;
// What a host needs to give each extra instance (thread) its own shadow stack and TLS block.
const STACK_EXPORT_FLAGS = [
  '-Wl,--export=__stack_pointer,--export=__wasm_init_tls,--export=__tls_size,--export=__tls_align,--export=__tls_base,--export=__heap_base',
];
const WAT2WASM_FLAGS = ['--enable-threads'];

/**
 * Per-file settings, keyed by the path under wasm/src/; files not listed get the defaults.
 * - stackExports (.c in wasm/src/, default true): add STACK_EXPORT_FLAGS.
 * - exportDynamic (.c in wasm/src/, default true): add -Wl,--export-dynamic. Exports come from
 *   export_name attributes, so it only matters in that wasm-ld then also exports __stack_pointer.
 * - maxMemory (.c in wasm/src/wasi/, default WASI_DEFAULT_MAX_MEMORY): the memory import's maximum
 *   in bytes (a multiple of 65536).
 * - clangFlags (.c): extra clang flags, after the others.
 * - watFlags (.wat): extra wat2wasm flags.
 */
const SETTINGS = {
  // Deliberately unsafe for threads: uses the shadow stack but exports neither __stack_pointer nor
  // the TLS symbols, so weft must refuse it. No --export-dynamic either, since that alone makes
  // wasm-ld export __stack_pointer.
  'no-stack-exports.c': { stackExports: false, exportDynamic: false },
  // 4 threads of 64 KiB stacks and a few KiB of allocations.
  'wasi/c-hello-threads.c': { maxMemory: 4 * 1024 * 1024 },
  // One spawned thread; files through the preopen.
  'wasi/c-files.c': { maxMemory: 4 * 1024 * 1024 },
  // Up to 256 threads of 64 KiB stacks.
  'wasi/c-primes.c': { maxMemory: 32 * 1024 * 1024 },
  // c-primes.c plus exported malloc/free, for the @emnapi/wasi-threads rows of bench/wasi.mjs.
  'wasi/c-primes-malloc.c': { maxMemory: 32 * 1024 * 1024 },
  // Up to 256 worker threads of 64 KiB stacks (each with a 4 KiB read buffer on it).
  'wasi/c-workload.c': { maxMemory: 32 * 1024 * 1024 },
  // Function names in the trap's stack trace.
  'wasi/trap-in-thread.wat': { watFlags: ['--debug-names'] },
};

function die(message) {
  console.error(`build-wasm: ${message}`);
  process.exit(2);
}

function toolRuns(command, versionArgs) {
  const r = spawnSync(command, versionArgs, { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/** Why clang cannot build the C sources here, or undefined when it can. */
function clangMissing() {
  if (!toolRuns(CLANG, ['--version'])) return `${CLANG} not found`;
  // clang finds wasm-ld itself; a missing lld-22 only shows at link time, so check it up front.
  const probe = spawnSync(CLANG, ['--target=wasm32', '-print-prog-name=wasm-ld'], { encoding: 'utf8' });
  const wasmLd = (probe.stdout || '').trim();
  if (!wasmLd || !existsSync(wasmLd)) return `${CLANG} cannot find wasm-ld`;
  return undefined;
}

/** Checks that a tool runs; otherwise says which Debian package provides it. */
function requireTool(command, versionArgs, debianPackages) {
  const r = spawnSync(command, versionArgs, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    die(
      `${command} is not available (${r.error ? r.error.code || r.error.message : `exit status ${r.status}`}).\n` +
        `  Install it with: apt-get install -y --no-install-recommends ${debianPackages}`,
    );
  }
}

function run(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8', cwd: srcDir });
  if (r.error || r.status !== 0) {
    const output = `${r.stdout || ''}${r.stderr || ''}`.trim();
    die(`failed: ${command} ${args.join(' ')}\n${output || r.error?.message || `exit status ${r.status}`}`);
  }
  const warnings = `${r.stdout || ''}${r.stderr || ''}`.trim();
  if (warnings) console.error(warnings);
}

const isModuleSource = (f) => f.endsWith('.c') || f.endsWith('.wat');

/** Sources as paths relative to wasm/src: wasm/src/*.{c,wat}, then wasm/src/wasi/*.{c,wat}. */
function listSources() {
  if (!existsSync(srcDir)) die(`no source folder ${relative(root, srcDir)}`);
  const top = readdirSync(srcDir).filter(isModuleSource).sort();
  const wasiDir = join(srcDir, 'wasi');
  const wasi = existsSync(wasiDir)
    ? readdirSync(wasiDir)
        .filter(isModuleSource)
        .sort()
        .map((f) => `wasi/${f}`)
    : [];
  return [...top, ...wasi];
}

/** The runtime sources linked into every wasi C program (paths relative to wasm/src). */
function wasiRuntimeSources() {
  const dir = join(srcDir, WASI_RUNTIME_DIR);
  if (!existsSync(dir)) die(`no runtime folder ${relative(root, dir)}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.c') || f.endsWith('.S'))
    .sort()
    .map((f) => `${WASI_RUNTIME_DIR}/${f}`);
}

/**
 * Builds one source (a path relative to wasm/src) into dir/<subfolder>/<name>.wasm, the same
 * subfolder as the source's ("" or "wasi"); returns that path.
 */
function build(source, dir) {
  const name = basename(source, extname(source));
  const sub = dirname(source) === '.' ? '' : dirname(source);
  if (sub) mkdirSync(join(dir, sub), { recursive: true });
  const out = join(dir, sub, `${name}.wasm`);
  const settings = SETTINGS[source] || {};
  if (source.endsWith('.c') && sub === 'wasi') {
    const maxMemory = settings.maxMemory ?? WASI_DEFAULT_MAX_MEMORY;
    if (!Number.isInteger(maxMemory) || maxMemory <= 0 || maxMemory % 65536 !== 0) {
      die(`SETTINGS['${source}'].maxMemory must be a positive multiple of 65536`);
    }
    const args = [...WASI_CLANG_FLAGS, `-Wl,--max-memory=${maxMemory}`, ...(settings.clangFlags || [])];
    run(CLANG, [...args, source, ...wasiRuntimeSources(), '-o', out]);
  } else if (source.endsWith('.c')) {
    const args = [...CLANG_FLAGS];
    if (settings.exportDynamic !== false) args.push('-Wl,--export-dynamic');
    if (settings.stackExports !== false) args.push(...STACK_EXPORT_FLAGS);
    args.push(...(settings.clangFlags || []));
    run(CLANG, [...args, source, '-o', out]);
  } else {
    run(WAT2WASM, [...WAT2WASM_FLAGS, ...(settings.watFlags || []), source, '-o', out]);
  }
  return out;
}

function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length) die(`unknown argument ${unknown[0]} (usage: build-wasm.mjs [--check])`);
  const check = args.includes('--check');

  let sources = listSources();
  const cSources = sources.filter((s) => s.endsWith('.c'));
  const noClang = cSources.length > 0 ? clangMissing() : undefined;
  if (noClang && check) {
    // Why not fail: `npm test` must pass on a machine with nothing installed by hand; CI installs
    // clang, so the C sources are still checked there.
    console.log(`skipped: the rebuild check of ${cSources.length} C sources (${noClang}): run \`apt-get install -y --no-install-recommends ${CLANG_PACKAGES}\``);
    sources = sources.filter((s) => !s.endsWith('.c'));
  } else if (noClang) {
    die(`${noClang}.\n  Install it with: apt-get install -y --no-install-recommends ${CLANG_PACKAGES}`);
  }
  if (sources.some((s) => s.endsWith('.wat'))) requireTool(WAT2WASM, ['--version'], 'wabt');

  const tmp = mkdtempSync(join(tmpdir(), 'weft-wasm-'));
  try {
    const problems = [];
    for (const source of sources) {
      const fresh = build(source, tmp);
      const name = relative(tmp, fresh); // "x.wasm" or "wasi/x.wasm"
      const target = join(outDir, name);
      const bytes = readFileSync(fresh);
      const old = existsSync(target) ? readFileSync(target) : null;
      const same = old !== null && old.equals(bytes);
      const label = `wasm/${name} <- wasm/src/${source}`;
      if (check) {
        if (old === null) problems.push(`wasm/${name}: missing (source wasm/src/${source})`);
        else if (!same) problems.push(`wasm/${name}: differs from a fresh build of wasm/src/${source}`);
        else console.log(`ok       ${label} (${bytes.length} bytes)`);
      } else {
        if (!same) {
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, bytes);
        }
        console.log(`${same ? 'unchanged' : 'built    '} ${label} (${bytes.length} bytes)`);
      }
    }
    // Binaries without a source are not an error (nothing to compare them with), only worth a note.
    const built = new Set(sources.map((s) => join(dirname(s), `${basename(s, extname(s))}.wasm`)));
    for (const sub of ['', 'wasi']) {
      if (!existsSync(join(outDir, sub))) continue;
      for (const f of readdirSync(join(outDir, sub)).filter((f) => f.endsWith('.wasm')).sort()) {
        const name = join(sub, f);
        if (!built.has(name) && !noClang) console.log(`note: wasm/${name} has no source in wasm/src/${sub ? `${sub}/` : ''}`);
      }
    }
    if (problems.length) {
      console.error(`build-wasm --check: ${problems.length} file(s) out of date; run: node scripts/build-wasm.mjs`);
      for (const p of problems) console.error(`  ${p}`);
      process.exitCode = 1;
    } else if (check) {
      console.log(`build-wasm --check: all ${sources.length} modules${noClang ? ' built from .wat' : ''} match their sources`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
