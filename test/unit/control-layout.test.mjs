import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  computeControlLayout, ENTRY_BYTES, ENTRY_VALUES_OFFSET, Entry, Header, HEADER_WORDS, MAX_VALUES, Slot, SLOT_WORDS,
  entryValueIndex, entryWordIndex, mailboxEntry, slotWordIndex,
} from '../../dist/protocol/control-layout.js';

test('header words are distinct and fit in the header', () => {
  const words = Object.values(Header);
  assert.equal(new Set(words).size, words.length);
  for (const w of words) assert.ok(w >= 0 && w < HEADER_WORDS);
});

test('slot and entry fields are distinct and fit', () => {
  assert.equal(new Set(Object.values(Slot)).size, Object.values(Slot).length);
  for (const w of Object.values(Slot)) assert.ok(w < SLOT_WORDS);
  const entryWords = Object.values(Entry);
  assert.equal(new Set(entryWords).size, entryWords.length);
  for (const w of entryWords) assert.ok(w * 4 < ENTRY_VALUES_OFFSET, 'entry words end before the values');
  assert.equal(ENTRY_VALUES_OFFSET % 8, 0, 'values are 8-byte aligned');
  assert.equal(ENTRY_BYTES, ENTRY_VALUES_OFFSET + MAX_VALUES * 8);
  assert.equal(ENTRY_BYTES % 8, 0);
});

test('regions of the control block do not overlap and stay in bounds', () => {
  for (const [capacity, threads] of [[1, 1], [4, 3], [4096, 2], [64, 200]]) {
    const layout = computeControlLayout(capacity, threads);
    assert.equal(layout.entryCount, capacity + threads);
    assert.ok(layout.completionCapacity >= layout.entryCount, 'completion queue holds every entry');
    assert.equal(layout.completionCapacity & (layout.completionCapacity - 1), 0);
    assert.equal(layout.completionsIndex, HEADER_WORDS);
    assert.equal(layout.slotsIndex, layout.completionsIndex + layout.completionCapacity);
    assert.ok(layout.entriesOffset >= (layout.slotsIndex + threads * SLOT_WORDS) * 4);
    assert.equal(layout.entriesOffset % 8, 0);
    assert.equal(layout.byteLength, layout.entriesOffset + layout.entryCount * ENTRY_BYTES);
    const last = layout.entryCount - 1;
    assert.ok((entryValueIndex(layout, last) + MAX_VALUES) * 8 <= layout.byteLength);
    assert.equal(entryWordIndex(layout, 1) - entryWordIndex(layout, 0), ENTRY_BYTES / 4);
    assert.equal(mailboxEntry(layout, threads - 1), last);
    assert.ok(slotWordIndex(layout, threads - 1) + SLOT_WORDS <= layout.entriesOffset / 4);
  }
});

test('bad capacities are refused', () => {
  assert.throws(() => computeControlLayout(3, 1), RangeError);
  assert.throws(() => computeControlLayout(4, 0), RangeError);
});
