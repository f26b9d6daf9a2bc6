// The pool soak, bounded for the default suite (`npm run soak` runs it with a million tasks; what
// it checks is in test/fixtures/pool-soak.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPool } from '../../dist/node.js';
import * as errors from '../../dist/errors/index.js';
import { runSoak, trapsOnPurpose } from '../fixtures/pool-soak.mjs';

test('24,000 tasks over 12 pools, traps and closes interleaved: none lost, none doubled, every promise settles', async () => {
  const totals = await runSoak({ createPool, errors, tasks: 24_000, roundSize: 2_000, hangMs: 30_000 });
  assert.equal(totals.rounds, 12);
  assert.equal(totals.closedRounds, 4);
  assert.equal(totals.resolved + totals.trapped + totals.closedRan + totals.closedUnrun, 24_000);
  assert.ok(totals.trapped > 0, 'some tasks trapped');
  assert.ok(totals.closedRan + totals.closedUnrun > 0, 'some tasks were rejected by close()');
  assert.equal(totals.counter, totals.resolved + totals.trapped + totals.closedRan);
});

test('the soak catches a task run twice, a lost task, a wrong result and a trap that resolves', async () => {
  // Pools that break one promise each way: the soak must fail, naming the task.
  const faults = {
    'ran twice': (pool) => async (name, index, trap) => {
      if (index === 101) await pool.run(name, index, trap);
      return pool.run(name, index, trap);
    },
    'lost': (pool) => (name, index, trap) => (index === 202 ? Promise.resolve(index) : pool.run(name, index, trap)),
    'wrong result': (pool) => async (name, index, trap) => (index === 303 ? 0 : pool.run(name, index, trap)),
    'a trap resolves': (pool) => async (name, index, trap) => (trapsOnPurpose(index) ? pool.run(name, index, 0) : pool.run(name, index, trap)),
  };
  const expected = {
    'ran twice': /task 101 resolved with -1 \(it ran twice\)[\s\S]*task 101 resolved but ran 2 times/,
    'lost': /task 202 resolved but ran 0 times/,
    'wrong result': /task 303 resolved with 0/,
    'a trap resolves': /task 96 should have trapped but resolved with 96/,
  };
  for (const [fault, wrap] of Object.entries(faults)) {
    const faultyCreatePool = async (options) => {
      const pool = await createPool(options);
      return { run: wrap(pool), close: () => pool.close() };
    };
    await assert.rejects(runSoak({ createPool: faultyCreatePool, errors, tasks: 400, roundSize: 400, hangMs: 10_000 }), expected[fault], fault);
  }
});

test('the soak reports a promise that never settles as a hang', async () => {
  const hangingCreatePool = async (options) => {
    const pool = await createPool(options);
    return { run: (name, index, trap) => (index === 7 ? new Promise(() => {}) : pool.run(name, index, trap)), close: () => pool.close() };
  };
  await assert.rejects(runSoak({ createPool: hangingCreatePool, errors, tasks: 50, roundSize: 50, hangMs: 500 }), /hang: round 0: 1 of 50 tasks never settled \(first: 7\)/);
});
