#!/usr/bin/env node
// `npm run mutate`: a small mutation tester of our own. It changes one operator at a time in the
// TypeScript sources, rebuilds what the change touches, runs the tests that cover that folder,
// and records whether a test failed (killed) or every test still passed (survived). A survivor
// is a behaviour no test checks, or an equivalent mutant (listed with its reason below).
//
//   npm run mutate                                    every default file (DEFAULT_FILES, lib/mutation-targets.mjs)
//   npm run mutate -- --files 'src/core/*.ts' --limit 60 --seed 7
//   npm run mutate -- --list                          print the mutants and exit
//
// Options: --files GLOB (repeatable; ** crosses folders), --limit N (a seeded random sample of
// N mutants), --seed S (default 1), --jobs N (sandboxes run in parallel; default 1),
// --timeout-factor F (a test file's time bound is F × its unmutated time + 5 s; default 2),
// --match TEXT (only mutants whose `file:line: original → mutant` line contains TEXT; repeatable),
// --tests GLOB (run these test files instead of the mapped ones; repeatable: to check that a
// new test kills a mutant), --report PATH (default mutation/REPORT.md; results.json is written
// beside it), --recheck (run the last run's survivors not judged equivalent again, with today's
// tests, and update the report: the loop after adding tests), --rewrite (only rewrite the report
// from results.json, after judging survivors in JUDGED_SURVIVORS of lib/mutation-report.mjs), --list.
//
// Why a sandbox: mutants are applied to a copy of the worktree (src, test, wasm, scripts; its own
// dist; node_modules linked), never to the worktree itself, so Ctrl-C, a crash or a kill -9
// leaves the real sources untouched. Inside the copy each mutant is still restored (in a
// finally) before the next one, and the copy is deleted on exit and on SIGINT/SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { killGroup } from './lib/bounded-process.mjs';
import { applyMutant, contextLine, describeMutant, globToRegExp, listMutants, sample } from './lib/mutation-operators.mjs';
import { judge, readResults, writeReport } from './lib/mutation-report.mjs';
import { DEFAULT_FILES, mappedTestsFor, reachable, selectSources, walk } from './lib/mutation-targets.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Runner

function parseOptions(argv) {
  const options = { files: [], match: [], tests: [], limit: Infinity, seed: 1, jobs: 1, timeoutFactor: 2, report: 'mutation/REPORT.md', list: false, recheck: false };
  const number = (name, text) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`mutate: ${name} needs a positive number, got ${String(text)}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`mutate: ${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--files') options.files.push(value());
    else if (arg === '--match') options.match.push(value());
    else if (arg === '--tests') options.tests.push(value());
    else if (arg === '--limit') options.limit = Math.floor(number(arg, value()));
    else if (arg === '--seed') options.seed = Math.floor(number(arg, value()));
    else if (arg === '--jobs') options.jobs = Math.floor(number(arg, value()));
    else if (arg === '--timeout-factor') options.timeoutFactor = number(arg, value());
    else if (arg === '--report') options.report = value();
    else if (arg === '--list') options.list = true;
    else if (arg === '--recheck') options.recheck = true;
    else if (arg === '--rewrite') options.rewrite = true;
    else throw new Error(`mutate: unknown option ${arg} (see the top of scripts/mutate.mjs)`);
  }
  if (options.files.length === 0) options.files = DEFAULT_FILES;
  return options;
}

/** Entry files that scripts/bundle-workers.mjs overwrites in place with their bundle. */
const BUNDLED_ENTRIES = ['src/worker/node-entry.ts', 'src/worker/browser-entry.ts', 'src/isolation/isolation-sw.ts'];

/** A copy of the worktree to mutate, with its own dist, built by the same steps as `npm run build`. */
function createSandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'weft-mutate-'));
  for (const name of ['src', 'test', 'wasm', 'scripts', 'examples', 'package.json', 'tsconfig.json']) {
    cpSync(join(root, name), join(dir, name), { recursive: true });
  }
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'), 'dir');
  const compilerOptions = ts.parseJsonConfigFileContent(ts.readConfigFile(join(dir, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, dir).options;
  const sandbox = { dir, compilerOptions, bundled: reachable(dir, BUNDLED_ENTRIES) };
  run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
  run(process.execPath, ['scripts/bundle-workers.mjs'], dir);
  return sandbox;
}

function run(command, args, cwd) {
  const result = spawnSync('nice', ['-n', '19', command, ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mutate: ${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

/** Writes `sourceText` as `path` in the sandbox and rebuilds its dist file (and the worker bundles if it is in them). */
function install(sandbox, path, sourceText) {
  writeFileSync(join(sandbox.dir, path), sourceText);
  emit(sandbox, path, sourceText);
  if (!sandbox.bundled.has(path)) return;
  // Why: bundle-workers.mjs bundles each entry in place, so it needs tsc's unbundled entries back.
  for (const entry of BUNDLED_ENTRIES) emit(sandbox, entry, readFileSync(join(sandbox.dir, entry), 'utf8'));
  run(process.execPath, ['scripts/bundle-workers.mjs'], sandbox.dir);
}

function emit(sandbox, path, sourceText) {
  // Why ESNext: NodeNext would make transpileModule (which cannot see package.json's "type")
  // emit CommonJS; with ESNext its output is byte for byte tsc's (checked on every src file).
  const compilerOptions = { ...sandbox.compilerOptions, module: ts.ModuleKind.ESNext, sourceMap: false, declaration: false, declarationMap: false };
  const { outputText } = ts.transpileModule(sourceText, { compilerOptions, fileName: path });
  writeFileSync(join(sandbox.dir, 'dist', path.slice('src/'.length).replace(/\.ts$/, '.js')), outputText);
}

/** Added to every test file's time bound: start-up jitter on a loaded machine. */
const TIMEOUT_EXTRA_MS = 5_000;

/** Test runs in flight (one per job), killed with their process group on SIGINT. */
const liveChildren = new Set();

/** Runs one test file under `nice -n 19`; 'pass', 'fail' or 'timeout'. */
function runTestFile(sandbox, file, timeoutMs) {
  return new Promise((resolve) => {
    // Why not `node --test`: run directly, a node:test file runs its tests in-process and exits
    // 1 on a failure, which saves a second Node start per file.
    const child = spawn('nice', ['-n', '19', process.execPath, file], { cwd: sandbox.dir, stdio: 'ignore', detached: true });
    liveChildren.add(child);
    const timer = setTimeout(() => {
      killGroup(child.pid);
      resolve('timeout');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      liveChildren.delete(child);
      resolve(code === 0 ? 'pass' : 'fail');
    });
  });
}

/** Runs the mapped tests once unmutated: they must pass, and their times set the time bounds. */
async function measureBaseline(sandbox, testFiles, timeoutFactor) {
  const bounds = new Map();
  for (const file of testFiles) {
    const started = performance.now();
    const outcome = await runTestFile(sandbox, file, 600_000);
    const elapsed = performance.now() - started;
    if (outcome !== 'pass') throw new Error(`mutate: ${file} fails without any mutant; fix it (or leave it out) before mutating`);
    bounds.set(file, { timeoutMs: Math.round(elapsed * timeoutFactor + TIMEOUT_EXTRA_MS), elapsed });
    console.log(`baseline ${file}: ${(elapsed / 1000).toFixed(1)} s`);
  }
  return bounds;
}

/**
 * Runs a mutant's tests, the ones that killed the most mutants first (then the fastest), and
 * stops at the first failure.
 */
async function testMutant(sandbox, tests, bounds, kills) {
  const ordered = tests.slice().sort((a, b) => (kills.get(b) ?? 0) - (kills.get(a) ?? 0) || bounds.get(a).elapsed - bounds.get(b).elapsed);
  for (const file of ordered) {
    const outcome = await runTestFile(sandbox, file, bounds.get(file).timeoutMs);
    if (outcome !== 'pass') {
      kills.set(file, (kills.get(file) ?? 0) + 1);
      return { status: outcome === 'timeout' ? 'timeout' : 'killed', by: file };
    }
  }
  return { status: 'survived' };
}

/**
 * Names each mutant by its file, source line, change and rank among equal ones on that line,
 * so `--recheck` finds it again after edits elsewhere moved its offset.
 */
function withKeys(candidates) {
  const seen = new Map();
  return candidates.map((candidate) => {
    const base = `${candidate.path}\n${candidate.context}\n${describeMutant(candidate.mutant)}`;
    const rank = seen.get(base) ?? 0;
    seen.set(base, rank + 1);
    return { ...candidate, key: `${base}\n${rank}` };
  });
}

function commandLine() {
  return `node scripts/mutate.mjs ${process.argv.slice(2).map((arg) => (/^[\w./=-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ')}`.trim();
}

/** The survivors of the last run not judged equivalent, found again in today's sources. */
function survivorsToRecheck(reportPath) {
  const run = readResults(reportPath);
  const paths = [...new Set(run.results.filter((result) => result.status === 'survived').map((result) => result.path))];
  const current = new Map(paths.flatMap((path) => {
    const text = readFileSync(join(root, path), 'utf8');
    return withKeys(listMutants(text, path).map((mutant) => ({ path, mutant, context: contextLine(text, mutant) }))).map((entry) => [entry.key, entry]);
  }));
  // Why not the equivalent ones: no test can kill them, and each costs every mapped test file.
  const again = run.results.filter((result) => result.status === 'survived' && judge(result.path, result.context, result.mutant)?.kind !== 'equivalent');
  const chosen = again.map((result) => {
    const found = current.get(result.key);
    if (found === undefined) throw new Error(`mutate: ${result.path}:${result.mutant.line} (${describeMutant(result.mutant)}) is gone from the source; run afresh`);
    return found;
  });
  return { run, chosen, sources: paths };
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const reportPath = resolve(root, options.report);
  if (options.rewrite) {
    console.log(`report: ${relative(root, writeReport(reportPath, readResults(reportPath), TIMEOUT_EXTRA_MS))}`);
    return;
  }
  let previous;
  let chosen;
  let sources;
  let total;
  if (options.recheck) {
    ({ run: previous, chosen, sources } = survivorsToRecheck(reportPath));
    total = chosen.length;
  } else {
    sources = selectSources(options.files);
    if (sources.length === 0) throw new Error(`mutate: no source matches ${options.files.join(', ')}`);
    const all = withKeys(sources.flatMap((path) => {
      const text = readFileSync(join(root, path), 'utf8');
      return listMutants(text, path).map((mutant) => ({ path, mutant, context: contextLine(text, mutant) }));
    })).filter(({ path, mutant }) => options.match.length === 0 || options.match.some((text) => `${path}:${mutant.line}: ${describeMutant(mutant)}`.includes(text)));
    chosen = sample(all, options.limit, options.seed);
    total = all.length;
  }
  const testFiles = [...walk('test/unit'), ...walk('test/node')].filter((file) => file.endsWith('.test.mjs')).sort();
  const reach = new Map(testFiles.map((file) => [file, reachable(root, [file])]));
  let testsFor = (path) => mappedTestsFor(path, testFiles, reach);
  if (options.tests.length > 0) {
    const patterns = options.tests.map(globToRegExp);
    const chosenTests = testFiles.filter((file) => patterns.some((pattern) => pattern.test(file)));
    if (chosenTests.length === 0) throw new Error(`mutate: no test file matches ${options.tests.join(', ')}`);
    testsFor = () => chosenTests;
  }
  if (options.list) {
    for (const { path, mutant, context } of chosen) console.log(`${path}:${mutant.line}: ${describeMutant(mutant)} (${mutant.operator})   ${context}`);
    for (const path of sources) console.log(`${path} is tested by ${testsFor(path).join(' ') || 'nothing'}`);
    console.log(`${chosen.length} of ${total} mutants`);
    return;
  }
  const untested = [...new Set(chosen.filter(({ path }) => testsFor(path).length === 0).map(({ path }) => path))];
  if (untested.length > 0) throw new Error(`mutate: no mapped test reaches ${untested.join(', ')}; add it to TEST_MAP or leave it out of --files`);
  const mappedTests = [...new Set(chosen.flatMap(({ path }) => testsFor(path)))];
  const startedAt = new Date();
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const run = previous ?? { command: commandLine(), startedAt: startedAt.toISOString(), commit, seed: options.seed, timeoutFactor: options.timeoutFactor, planned: chosen.length, total, minutes: 0, results: [] };
  if (previous !== undefined) run.recheck = { command: commandLine(), startedAt: startedAt.toISOString(), tried: chosen.length, killed: 0 };
  const sandboxes = [];
  const cleanUp = () => {
    for (const child of liveChildren) killGroup(child.pid);
    for (const sandbox of sandboxes) rmSync(sandbox.dir, { recursive: true, force: true });
    sandboxes.length = 0;
  };
  const interrupted = (signal) => {
    cleanUp();
    console.error(`mutate: ${signal}; the sandbox is deleted (the worktree was never changed); the report holds the mutants run so far`);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  // Why also on exit: an uncaught error skips the finally below; rmSync still runs here.
  process.once('exit', cleanUp);

  try {
    for (let job = 0; job < options.jobs; job++) sandboxes.push(createSandbox());
    console.log(`${chosen.length} of ${total} mutants in ${sources.length} files; sandbox ${sandboxes.map((s) => s.dir).join(', ')}`);
    const bounds = await measureBaseline(sandboxes[0], mappedTests, options.timeoutFactor);
    const kills = new Map();
    let done = 0;
    let next = 0;
    const worker = async (sandbox) => {
      while (next < chosen.length) {
        const { path, mutant, context, key } = chosen[next++];
        const original = readFileSync(join(sandbox.dir, path), 'utf8');
        const digest = createHash('sha256').update(original).digest('hex');
        let outcome;
        try {
          install(sandbox, path, applyMutant(original, mutant));
          outcome = await testMutant(sandbox, testsFor(path), bounds, kills);
        } finally {
          install(sandbox, path, original);
        }
        if (createHash('sha256').update(readFileSync(join(sandbox.dir, path))).digest('hex') !== digest) throw new Error(`mutate: ${path} was not restored`);
        const result = { path, key, mutant, context, ...outcome };
        if (previous === undefined) {
          run.results.push(result);
          run.minutes = (Date.now() - startedAt.getTime()) / 60_000;
        } else {
          const index = run.results.findIndex((old) => old.key === key);
          if (outcome.status !== 'survived') {
            run.results[index] = { ...result, killedOnRecheck: true };
            run.recheck.killed++;
          }
        }
        // Why after every mutant: an interrupted run still leaves a report of what it did.
        writeReport(reportPath, run, TIMEOUT_EXTRA_MS);
        const by = result.by === undefined ? '' : ` by ${relative('test', result.by)}`;
        console.log(`[${++done}/${chosen.length}] ${result.status}${by}  ${path}:${mutant.line}: ${describeMutant(mutant)}`);
      }
    };
    await Promise.all(sandboxes.map(worker));
    console.log(`report: ${relative(root, writeReport(reportPath, run, TIMEOUT_EXTRA_MS))}`);
  } finally {
    cleanUp();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
