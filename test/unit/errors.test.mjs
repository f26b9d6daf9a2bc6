import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as errors from '../../dist/errors/index.js';

const { WeftError, serializeError, deserializeError } = errors;

test('every catalogued error extends WeftError with a distinct stable code', () => {
  const codes = new Set();
  for (const [name, cls] of Object.entries(errors)) {
    if (typeof cls !== 'function' || !(cls.prototype instanceof WeftError)) continue;
    const instance = Reflect.construct(WeftError, ['X', 'm'], cls);
    assert.equal(instance.name, name);
    codes.add(new (cls)(...(name === 'MissingExportError' ? ['f', 'm'] : name === 'InvalidOptionError' ? ['o', 'm'] : name === 'WorkerExitError' ? [1, 'm'] : ['m'])).code);
  }
  assert.ok(codes.size >= 14, `codes: ${[...codes]}`);
  for (const code of codes) assert.match(code, /^WEFT_[A-Z_]+$/);
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
