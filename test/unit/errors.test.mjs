import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as errors from '../../dist/errors/index.js';

const { WeftError, serializeError, deserializeError } = errors;

test('every catalogued error extends WeftError with a distinct stable code', () => {
  const codes = new Set();
  let classes = 0;
  for (const [name, cls] of Object.entries(errors)) {
    if (typeof cls !== 'function' || !(cls.prototype instanceof WeftError)) continue;
    classes++;
    const instance = Reflect.construct(WeftError, ['X', 'm'], cls);
    assert.equal(instance.name, name);
    codes.add(new (cls)(...(name === 'MissingExportError' ? ['f', 'm'] : name === 'InvalidOptionError' ? ['o', 'm'] : name === 'WorkerExitError' ? [1, 'm'] : ['m'])).code);
  }
  // Issue 12: this was `codes.size >= 14`, which two classes sharing a code would pass.
  assert.equal(codes.size, classes, `${classes} classes, codes: ${[...codes]}`);
  for (const code of codes) assert.match(code, /^WEFT_[A-Z_]+$/);
  // The README's table of errors lists exactly the codes there are.
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const documented = new Set([...readme.matchAll(/^\| `\w+Error` \| `(WEFT_[A-Z_]+)` \|/gm)].map((match) => match[1]));
  assert.deepEqual([...documented].sort(), [...codes].sort());
});

test('errors keep class, message, stack, code and properties across serialization', () => {
  const trap = new WebAssembly.RuntimeError('unreachable');
  trap.threadId = 3;
  const back = deserializeError(structuredClone(serializeError(trap)));
  assert.ok(back instanceof WebAssembly.RuntimeError);
  assert.equal(back.message, 'unreachable');
  assert.equal(back.threadId, 3);
  assert.equal(back.stack, trap.stack);

  const closed = deserializeError(structuredClone(serializeError(new errors.PoolClosedError())));
  assert.ok(closed instanceof errors.PoolClosedError);
  assert.ok(closed instanceof WeftError);
  assert.equal(closed.code, 'WEFT_POOL_CLOSED');

  const custom = new Error('outer', { cause: new TypeError('inner') });
  custom.name = 'MyError';
  const rebuilt = deserializeError(structuredClone(serializeError(custom)));
  assert.equal(rebuilt.name, 'MyError');
  assert.ok(rebuilt.cause instanceof TypeError);

  assert.equal(deserializeError(serializeError('just a string')).message, 'just a string');
  assert.match(deserializeError(serializeError({ a: 1 })).message, /Non-error value thrown: \{"a":1\}/);
});
