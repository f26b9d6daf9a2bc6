// Issue 12 (hardening): a table of bad inputs for every public function and option of every
// subpath export, in test/fixtures/bad-inputs/<group>.cases.mjs. Each group runs in a child
// process of this same runtime (run-cases.mjs), each case within 10 s; a case passes when the
// call fails with the right class of weft/errors, its code and a message that names the option
// or argument. The child must then exit by itself: a refused call that left a worker, timer or
// server behind keeps it alive, and its group's exit test fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const GROUPS = ['weft', 'wasi', 'wasm-bindgen', 'wasm-bindgen-rayon', 'web-worker', 'errors', 'isolation', 'tooling'];
/** How long a child may take after its last case to exit by itself. */
const EXIT_BOUND_MS = 5_000;
/** How long a whole group may take (its cases have 10 s each, but most fail at once). */
const GROUP_BOUND_MS = 60_000;
const CHILDREN_AT_ONCE = 2;

// Cases for defects being fixed on other branches (src/core, src/wasi*, src/tooling), and defects
// this suite found in files of those folders: they assert the right behaviour and run as todo
// until the lead merges the fixes and empties this set.
const EXPECTED_TO_FAIL_UNTIL_MERGED = new Set([]);

const runner = fileURLToPath(new URL('../fixtures/bad-inputs/run-cases.mjs', import.meta.url));

/**
 * Runs one group's child and collects its lines. `exitMs` is how long it took to exit after its
 * `done` line (undefined if it never said done, or never exited within the bounds).
 */
function runGroup(group) {
  return new Promise((resolve) => {
    // Why a scratch working directory: a call that should have been refused may write where it
    // runs (a server told to listen on port "x" makes a Unix socket named x).
    const cwd = mkdtempSync(join(tmpdir(), 'weft-bad-inputs-cwd-'));
    const child = spawn(process.execPath, [runner, group], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    let buffered = '';
    let stderr = '';
    let doneAt;
    let timedOut = false;
    const kill = (why) => {
      timedOut = why;
      child.kill('SIGKILL');
    };
    let timer = setTimeout(() => kill(`did not finish its cases within ${GROUP_BOUND_MS / 1000} s`), GROUP_BOUND_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop();
      for (const part of parts) {
        if (part.trim() === '') continue;
        const line = JSON.parse(part);
        lines.push(line);
        if (line.done) {
          doneAt = performance.now();
          clearTimeout(timer);
          timer = setTimeout(() => kill(`did not exit by itself within ${EXIT_BOUND_MS / 1000} s after its last case`), EXIT_BOUND_MS);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ group, lines, stderr, code, signal, timedOut, exitMs: doneAt === undefined || timedOut ? undefined : performance.now() - doneAt });
    });
  });
}

async function runAll() {
  const results = new Map();
  const queue = [...GROUPS];
  await Promise.all(Array.from({ length: CHILDREN_AT_ONCE }, async () => {
    for (let group = queue.shift(); group !== undefined; group = queue.shift()) results.set(group, await runGroup(group));
  }));
  return GROUPS.map((group) => results.get(group));
}

const outcomes = await runAll();
const reported = new Set(outcomes.flatMap(({ lines }) => lines.filter((line) => line.case !== undefined).map((line) => line.case)));

for (const { group, lines, stderr, code, signal, timedOut, exitMs } of outcomes) {
  const header = lines.find((line) => line.group === group);
  const cases = lines.filter((line) => line.case !== undefined);
  test(`bad inputs, ${group}: every case reported, and the child process exits by itself after the last`, () => {
    assert.equal(timedOut, false, `the ${group} child ${timedOut}; last case reported: ${cases.at(-1)?.case}\n${stderr}`);
    assert.equal(code, 0, `the ${group} child ended with ${code ?? signal}\n${stderr}`);
    assert.ok(header !== undefined, `the ${group} child did not start its cases\n${stderr}`);
    assert.equal(cases.length, header.count, `the ${group} child reported ${cases.length} of ${header.count} cases\n${stderr}`);
    assert.equal(new Set(cases.map((line) => line.case)).size, cases.length, `case names repeat in ${group}`);
    assert.ok(exitMs !== undefined && exitMs < EXIT_BOUND_MS, `exit took ${exitMs} ms`);
  });
  for (const line of cases) {
    const options = line.status === 'skip' ? { skip: line.detail } : EXPECTED_TO_FAIL_UNTIL_MERGED.has(line.case) ? { todo: 'fixed on another branch' } : {};
    test(`bad input, ${group}: ${line.case}`, options, () => {
      assert.equal(line.status, 'pass', line.detail);
    });
  }
}

test('every case in EXPECTED_TO_FAIL_UNTIL_MERGED exists', () => {
  assert.deepEqual([...EXPECTED_TO_FAIL_UNTIL_MERGED].filter((name) => !reported.has(name)), []);
});
