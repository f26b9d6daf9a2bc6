// TaskQueue, the dispatcher's FIFO for tasks that wait for a free queue entry or mailbox.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TaskQueue } from '../../dist/core/task-queue.js';

test('first in, first out, with the length counting what is left', () => {
  const queue = new TaskQueue();
  assert.equal(queue.length, 0);
  assert.equal(queue.shift(), undefined, 'an empty queue gives undefined');
  queue.push('a');
  queue.push('b');
  assert.equal(queue.length, 2);
  assert.equal(queue.shift(), 'a');
  queue.push('c');
  assert.equal(queue.shift(), 'b');
  assert.equal(queue.shift(), 'c');
  assert.equal(queue.length, 0);
  assert.equal(queue.shift(), undefined);
  queue.push('d');
  assert.equal(queue.length, 1, 'shifting an empty queue does not skip the next item');
  assert.equal(queue.shift(), 'd');
});

test('order and length survive the compaction of a long queue', () => {
  const queue = new TaskQueue();
  let next = 0;
  let expected = 0;
  // Pushes 3 for every 2 shifts, so the head passes 1024 and the array is compacted several
  // times while items are still queued behind it.
  for (let round = 0; round < 3000; round++) {
    queue.push(next++);
    queue.push(next++);
    queue.push(next++);
    assert.equal(queue.shift(), expected++);
    assert.equal(queue.shift(), expected++);
    assert.equal(queue.length, next - expected);
  }
  while (queue.length > 0) assert.equal(queue.shift(), expected++);
  assert.equal(expected, next);
});

test('drain returns what is left, oldest first, and empties the queue', () => {
  const queue = new TaskQueue();
  for (let i = 0; i < 2000; i++) queue.push(i);
  for (let i = 0; i < 1500; i++) queue.shift();
  assert.deepEqual(queue.drain(), Array.from({ length: 500 }, (_, i) => 1500 + i));
  assert.equal(queue.length, 0);
  assert.deepEqual(queue.drain(), []);
  queue.push('after');
  assert.equal(queue.shift(), 'after');
});
