// The mutation operators of scripts/mutate.mjs (scripts/lib/mutation-operators.mjs): which
// mutants a source text yields, that each one changes exactly its own text, and that reverting
// gives the source back byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyMutant, contextLine, describeMutant, globToRegExp, listMutants, revertMutant, sample,
} from '../../scripts/lib/mutation-operators.mjs';

/** `operator: original → replacement` of every mutant, in source order. */
const summary = (source) => listMutants(source).map((mutant) => `${mutant.operator}: ${describeMutant(mutant)}`);

test('relational boundaries, equality, logical operators and booleans flip', () => {
  assert.deepEqual(summary('a < b; a <= b; a > b; a >= b;'), [
    'relational: < → <=', 'relational: <= → <', 'relational: > → >=', 'relational: >= → >',
  ]);
  assert.deepEqual(summary('x === y || (p !== q && r);'), [
    'equality: === → !==', 'logical: || → &&', 'equality: !== → ===', 'logical: && → ||',
  ]);
  assert.deepEqual(summary('let t = true, f = false;'), ['boolean: true → false', 'boolean: false → true']);
});

test('integer literals move by one each way, + 1 and - 1 swap, and 0 only goes up', () => {
  assert.deepEqual(summary('n = i + 1;'), ['off-by-one: + → -', 'literal: 1 → 2', 'literal: 1 → 0']);
  assert.deepEqual(summary('n = i - 1;'), ['off-by-one: - → +', 'literal: 1 → 2', 'literal: 1 → 0']);
  assert.deepEqual(summary('n = 0;'), ['literal: 0 → 1']);
  assert.deepEqual(summary('n = i + 2;'), ['literal: 2 → 3', 'literal: 2 → 1'], '+ 2 is not an off-by-one');
  assert.deepEqual(summary('n = 0.5 + 2n;'), [], 'fractions and bigints are left alone');
});

test('an if condition is negated and a call statement is removed', () => {
  assert.deepEqual(summary('if (ready) start(job);'), ['negate-if: ready → !(ready)', 'remove-call: start(job); → ;']);
  assert.deepEqual(summary('async function f() { await close(); void flush(); }'), [
    'remove-call: await close(); → ;', 'remove-call: void flush(); → ;',
  ]);
  assert.deepEqual(summary('class B extends A { constructor() { super(); } }'), [], 'super() stays');
  assert.deepEqual(summary('const x = f();'), [], 'a call whose value is used is not a statement');
});

test('types are left alone: only code that runs is mutated', () => {
  assert.deepEqual(summary('type Bit = 0 | 1; interface Flag { on: true } let n: 1 = 1;'), ['literal: 1 → 2', 'literal: 1 → 0']);
  assert.deepEqual(summary('const xs = new Array<number>(3);'), ['literal: 3 → 4', 'literal: 3 → 2'], 'a type argument is not a <');
});

test('applying changes only the mutant\'s text, and reverting gives the source back exactly', () => {
  const source = [
    'export function take(queue: number[], limit: number): number | undefined {',
    '  if (queue.length >= limit && limit !== 0) return queue.shift();',
    '  notify(queue.length - 1, true);',
    '  return undefined;',
    '}',
    '',
  ].join('\r\n');
  const mutants = listMutants(source, 'take.ts');
  assert.ok(mutants.length >= 8, `${mutants.length} mutants`);
  for (const mutant of mutants) {
    const mutated = applyMutant(source, mutant);
    assert.notEqual(mutated, source, describeMutant(mutant));
    assert.equal(mutated.slice(0, mutant.start), source.slice(0, mutant.start));
    assert.equal(mutated.slice(mutant.start + mutant.replacement.length), source.slice(mutant.end));
    assert.equal(revertMutant(mutated, mutant), source, `revert ${describeMutant(mutant)}`);
  }
  const removed = mutants.find((mutant) => mutant.operator === 'remove-call');
  assert.equal(removed.line, 3);
  assert.equal(contextLine(source, removed), 'notify(queue.length - 1, true);');
  assert.throws(() => applyMutant(source.replace('>=', '> '), mutants.find((m) => m.original === '>=')), /expects ">="/);
  assert.throws(() => revertMutant(source, removed), /was not applied/);
});

test('--files globs and --seed sampling', () => {
  const core = globToRegExp('src/core/**/*.ts');
  assert.ok(core.test('src/core/pool.ts') && core.test('src/core/deep/x.ts'));
  assert.ok(!core.test('src/corex/pool.ts') && !core.test('src/core/pool.tsx'));
  assert.ok(globToRegExp('src/wasi/?d-calls.ts').test('src/wasi/fd-calls.ts'));
  const items = Array.from({ length: 50 }, (_, i) => i);
  const picked = sample(items, 10, 7);
  assert.equal(picked.length, 10);
  assert.deepEqual(picked, [...picked].sort((a, b) => a - b), 'kept in source order');
  assert.deepEqual(sample(items, 10, 7), picked, 'the same seed picks the same mutants');
  assert.notDeepEqual(sample(items, 10, 8), picked);
  assert.deepEqual(sample(items, 100, 1), items);
});
