// The bench's browser CPU reading (bench/lib/process-cpu.mjs): it must count a child's threads
// and leave out the PIDs it is told to (the CPU burners beside a busy run).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { descendantsCpuNs } from '../../bench/lib/process-cpu.mjs';

const WAIT_MS = 200;

/** A child that spins until killed (at most 30 s). */
function spinner() {
  const child = spawn(process.execPath, ['-e', "process.stdout.write('go'); const end = Date.now() + 30000; while (Date.now() < end) {}"], { stdio: ['ignore', 'pipe', 'ignore'] });
  return { child, spinning: once(child.stdout, 'data'), exited: once(child, 'exit') };
}

test('a spinning child\'s CPU is counted; an excluded one\'s is not', { skip: process.platform !== 'linux' && 'reads /proc (Linux only)' }, async () => {
  const counted = spinner();
  const excluded = spinner();
  try {
    await Promise.all([counted.spinning, excluded.spinning]);
    const leaveOut = new Set([excluded.child.pid]);
    const before = { without: await descendantsCpuNs(leaveOut), all: await descendantsCpuNs() };
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    const after = { without: await descendantsCpuNs(leaveOut), all: await descendantsCpuNs() };
    const withoutMs = (after.without - before.without) / 1e6;
    const allMs = (after.all - before.all) / 1e6;
    // Why these bounds: each spinning child gets a good part of a core even on a loaded machine.
    assert.ok(withoutMs > WAIT_MS / 10, `the counted child used ${withoutMs} ms of CPU in ${WAIT_MS} ms`);
    assert.ok(allMs - withoutMs > WAIT_MS / 10, `counting both children gave ${allMs} ms, leaving one out ${withoutMs} ms: the exclusion did nothing`);
  } finally {
    counted.child.kill('SIGKILL');
    excluded.child.kill('SIGKILL');
    // Why wait: until reaped, a killed child is still listed (with its CPU) under this process.
    await Promise.all([counted.exited, excluded.exited]);
  }
});

test('with no children, nothing is counted', { skip: process.platform !== 'linux' && 'reads /proc (Linux only)' }, async () => {
  assert.equal(await descendantsCpuNs(), 0);
});
