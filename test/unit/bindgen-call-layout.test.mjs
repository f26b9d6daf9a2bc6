import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ARENA_PAYLOAD_OFFSET, ARENA_VALUES, arenaBytesFor, CALL_SLOT_BYTES, CALL_SLOT_WORDS, CallSlot, CallState, INITIAL_ARENA_BYTES, MAX_ARENA_BYTES,
  PAYLOAD_ALIGN, TARGET_NAME_COUNT, TargetKind, VALUE_BYTES, VALUE_SCALAR_OFFSET, ValueDescriptor,
} from '../../dist/protocol/bindgen-call-layout.js';

test('call slot words are distinct and fit in the slot', () => {
  const words = Object.values(CallSlot);
  assert.equal(new Set(words).size, words.length);
  for (const w of words) assert.ok(w >= 0 && w < CALL_SLOT_WORDS);
  assert.equal(CALL_SLOT_BYTES, CALL_SLOT_WORDS * 4);
});

test('call states and target kinds are distinct; every kind says how many names it carries', () => {
  assert.equal(new Set(Object.values(CallState)).size, Object.values(CallState).length);
  assert.equal(CallState.IDLE, 0, 'a new SharedArrayBuffer starts idle');
  const kinds = Object.values(TargetKind);
  assert.equal(new Set(kinds).size, kinds.length);
  assert.ok(kinds.every((kind) => kind !== 0), 'a zeroed slot names no target');
  assert.deepEqual(Object.keys(TARGET_NAME_COUNT).sort(), Object.keys(TargetKind).sort());
  for (const count of Object.values(TARGET_NAME_COUNT)) assert.ok(count >= 0 && count < ARENA_VALUES);
});

test('value descriptors: words before the 8-byte-aligned scalar, payloads after the descriptors', () => {
  const words = Object.values(ValueDescriptor);
  assert.equal(new Set(words).size, words.length);
  for (const w of words) assert.ok(w * 4 + 4 <= VALUE_SCALAR_OFFSET, 'descriptor words end before the scalar');
  assert.equal(VALUE_SCALAR_OFFSET % 8, 0);
  assert.equal(VALUE_BYTES, VALUE_SCALAR_OFFSET + 8);
  assert.equal(VALUE_BYTES % 8, 0);
  assert.equal(ARENA_PAYLOAD_OFFSET, ARENA_VALUES * VALUE_BYTES);
  assert.equal(ARENA_PAYLOAD_OFFSET % PAYLOAD_ALIGN, 0);
  assert.equal(PAYLOAD_ALIGN & (PAYLOAD_ALIGN - 1), 0);
});

test('arena sizes are powers of two from the initial size up to the maximum', () => {
  assert.equal(arenaBytesFor(1), INITIAL_ARENA_BYTES);
  assert.equal(arenaBytesFor(INITIAL_ARENA_BYTES), INITIAL_ARENA_BYTES);
  assert.equal(arenaBytesFor(INITIAL_ARENA_BYTES + 1), INITIAL_ARENA_BYTES * 2);
  assert.equal(arenaBytesFor(MAX_ARENA_BYTES), MAX_ARENA_BYTES);
  assert.equal(arenaBytesFor(MAX_ARENA_BYTES + 1), undefined);
  assert.ok(INITIAL_ARENA_BYTES > ARENA_PAYLOAD_OFFSET);
});
