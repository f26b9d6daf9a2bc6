import {
  type ControlLayout,
  type ControlViews,
  Header,
  mailboxEntry,
  Slot,
  slotWordIndex,
} from '../protocol/control-layout.js';
import { QueueFullError } from '../errors/catalogue.js';
import type { WakeMode } from '../protocol/messages.js';
import { readResult, type TaskResult, type WasmValue, writeArguments } from '../protocol/task-values.js';
import { runSoon } from './run-soon.js';
import { TaskQueue } from './task-queue.js';

interface Task {
  readonly exportIndex: number;
  readonly args: readonly WasmValue[];
  resolve(result: TaskResult): void;
  reject(error: Error): void;
}

export interface DispatcherHooks {
  readonly wake: WakeMode;
  /** Most tasks waiting in the backlogs (beyond the shared queue and the mailboxes). */
  readonly maxQueuedTasks: number;
  /** Called with true when the first task is outstanding, false when none is. */
  keepAlive(alive: boolean): void;
}

/**
 * The host side of the control block: publishes tasks into the shared queue and the threads'
 * mailboxes, wakes parked workers, and settles each task's promise from the completion queue.
 * It never blocks: completions are awaited with `Atomics.waitAsync` or a worker's message.
 */
export class Dispatcher {
  private readonly i32: Int32Array;
  /** Task of each entry while it is published and unsettled. */
  private readonly pending: (Task | undefined)[];
  private readonly sharedBacklog = new TaskQueue<Task>();
  private readonly mailboxBacklogs: TaskQueue<Task>[];
  private mailboxBacklogCount = 0;
  private readonly queueMask: number;
  private readonly completionMask: number;
  private nextTicket = 0;
  private completionHead = 0;
  private published = 0;
  private outstanding = 0;
  private waiting = false;
  private wakesOwed = 0;
  private wakeEveryone = false;
  private flushScheduled = false;
  private stopped = false;

  constructor(
    private readonly views: ControlViews,
    private readonly layout: ControlLayout,
    threads: number,
    private readonly hooks: DispatcherHooks,
  ) {
    this.i32 = views.i32;
    this.pending = new Array<Task | undefined>(layout.entryCount).fill(undefined);
    this.mailboxBacklogs = Array.from({ length: threads }, () => new TaskQueue<Task>());
    this.queueMask = layout.queueCapacity - 1;
    this.completionMask = layout.completionCapacity - 1;
  }

  /** Runs an export on whichever thread is free first (`threadId` undefined) or on one thread. */
  submit(exportIndex: number, args: readonly WasmValue[], threadId?: number): Promise<TaskResult> {
    return new Promise<TaskResult>((resolve, reject) => {
      const task: Task = { exportIndex, args, resolve, reject };
      if (this.outstanding++ === 0) this.hooks.keepAlive(true);
      if (threadId === undefined) {
        if (this.sharedBacklog.length === 0 && this.pending[this.nextTicket & this.queueMask] === undefined) this.publishShared(task);
        else this.sharedBacklog.push(task);
      } else if (this.mailboxBacklogs[threadId]!.length === 0 && this.pending[mailboxEntry(this.layout, threadId)] === undefined) {
        this.publishToMailbox(threadId, task);
      } else {
        this.mailboxBacklogs[threadId]!.push(task);
        this.mailboxBacklogCount++;
      }
    });
  }

  /**
   * Throws QueueFullError unless `count` more tasks fit under `maxQueuedTasks` (counting them as
   * if all had to wait), so that a call submits all its tasks or none.
   */
  assertRoomFor(count: number): void {
    const waiting = this.sharedBacklog.length + this.mailboxBacklogCount;
    if (waiting + count > this.hooks.maxQueuedTasks) {
      throw new QueueFullError(
        `The pool has ${waiting} tasks waiting and this call adds ${count}, more than maxQueuedTasks (${this.hooks.maxQueuedTasks}); await some tasks before submitting more, or create the pool with a larger maxQueuedTasks.`,
      );
    }
  }

  /** A worker reported that the task in `entry` threw. */
  failTask(entry: number, error: Error): void {
    const task = this.pending[entry];
    if (task === undefined) return;
    this.pending[entry] = undefined;
    this.published--;
    this.settled();
    task.reject(error);
    this.refill();
  }

  /** A worker's 'wake' message (hosts without `Atomics.waitAsync`). */
  readonly onWakeMessage = (): void => this.wakeUp();

  /** Entry the thread is running now, if any (to blame a crash on the right task). */
  runningEntry(threadId: number): number | undefined {
    const value = Atomics.load(this.i32, slotWordIndex(this.layout, threadId) + Slot.RUNNING);
    return value === 0 ? undefined : value - 1;
  }

  /** Stops the workers' loops and rejects every unsettled task with `reasonFor(task)`. */
  stop(reason: () => Error): void {
    if (this.stopped) return;
    this.stopped = true;
    const i32 = this.i32;
    Atomics.store(i32, Header.STOP, 1);
    Atomics.add(i32, Header.EPOCH, 1);
    Atomics.notify(i32, Header.EPOCH);
    // Why: release a pending Atomics.waitAsync so no promise of ours stays pending.
    Atomics.store(i32, Header.HOST_WAITING, 0);
    Atomics.notify(i32, Header.HOST_WAITING);
    // Why: tasks that finished before close() keep their results, though the host had not read them yet.
    this.readCompletions();
    const tasks: Task[] = [];
    for (let entry = 0; entry < this.pending.length; entry++) {
      const task = this.pending[entry];
      if (task !== undefined) tasks.push(task);
      this.pending[entry] = undefined;
    }
    tasks.push(...this.sharedBacklog.drain());
    for (const backlog of this.mailboxBacklogs) tasks.push(...backlog.drain());
    this.published = 0;
    this.mailboxBacklogCount = 0;
    if (this.outstanding > 0) {
      this.outstanding = 0;
      this.hooks.keepAlive(false);
    }
    for (const task of tasks) task.reject(reason());
  }

  private publishShared(task: Task): void {
    const entry = this.nextTicket & this.queueMask;
    writeArguments(this.views, this.layout, entry, task.exportIndex, task.args);
    this.pending[entry] = task;
    this.nextTicket = (this.nextTicket + 1) | 0;
    Atomics.store(this.i32, Header.SUBMITTED, this.nextTicket);
    this.wakesOwed++;
    this.announce();
  }

  private publishToMailbox(threadId: number, task: Task): void {
    const entry = mailboxEntry(this.layout, threadId);
    writeArguments(this.views, this.layout, entry, task.exportIndex, task.args);
    this.pending[entry] = task;
    Atomics.store(this.i32, slotWordIndex(this.layout, threadId) + Slot.MAILBOX, 1);
    // Why: a parked worker cannot be woken by name; wake them all and let each check its mailbox.
    this.wakeEveryone = true;
    this.announce();
  }

  private announce(): void {
    this.published++;
    Atomics.add(this.i32, Header.EPOCH, 1);
    if (!this.flushScheduled) {
      // Why: the first task of a burst wakes a worker at once (a lone round trip should not
      // wait for a microtask); the rest of the burst is woken by one notify in a microtask,
      // since Atomics.notify takes a lock in the engine and 1,000 calls cost far more than one.
      this.flushScheduled = true;
      this.wakeWorkers();
      runSoon(this.flushWakes);
    }
    this.ensureWaiting();
  }

  private readonly flushWakes = (): void => {
    this.flushScheduled = false;
    this.wakeWorkers();
  };

  /** Wakes as many parked workers as tasks were published since the last call (a spinning worker needs none). */
  private wakeWorkers(): void {
    if (this.wakesOwed === 0 && !this.wakeEveryone) return;
    const i32 = this.i32;
    const owed = this.wakeEveryone ? Infinity : this.wakesOwed - Atomics.load(i32, Header.SPINNER);
    this.wakesOwed = 0;
    this.wakeEveryone = false;
    // Why no count of parked workers to skip this when none is parked: keeping it took two
    // read-modify-writes of the header's cache line per task on the worker's side, and a notify
    // with no waiter costs the engine one uncontended lock.
    if (owed > 0) Atomics.notify(i32, Header.EPOCH, owed);
  }

  private completionReady(): boolean {
    return Atomics.load(this.i32, this.layout.completionsIndex + (this.completionHead & this.completionMask)) !== 0;
  }

  /** Makes sure that the next completion wakes the host (a worker clears HOST_WAITING and notifies or posts). */
  private ensureWaiting(): void {
    if (this.waiting || this.stopped) return;
    this.waiting = true;
    // Why a look before HOST_WAITING is written: a worker that answered while the host was
    // publishing is the common case of a round trip, and then the control block's header is not
    // written at all (every write there takes its cache line from the workers' core).
    if (this.completionReady()) {
      runSoon(this.wakeUp);
      return;
    }
    const i32 = this.i32;
    Atomics.store(i32, Header.HOST_WAITING, 1);
    if (this.completionReady()) {
      Atomics.store(i32, Header.HOST_WAITING, 0);
      runSoon(this.wakeUp);
      return;
    }
    if (this.hooks.wake === 'wait-async') {
      const result = Atomics.waitAsync(i32, Header.HOST_WAITING, 1);
      if (result.async) void result.value.then(this.wakeUp);
      else runSoon(this.wakeUp);
    }
  }

  private readonly wakeUp = (): void => {
    if (this.stopped) return;
    this.waiting = false;
    this.harvest();
    if (this.published > 0) this.ensureWaiting();
  };

  private harvest(): void {
    this.readCompletions();
    this.refill();
  }

  /** Resolves the task of every completion the workers published, in order. */
  private readCompletions(): void {
    const i32 = this.i32;
    const base = this.layout.completionsIndex;
    for (;;) {
      const position = base + (this.completionHead & this.completionMask);
      const value = Atomics.load(i32, position);
      if (value === 0) break;
      Atomics.store(i32, position, 0);
      this.completionHead = (this.completionHead + 1) | 0;
      const entry = value - 1;
      const task = this.pending[entry];
      if (task === undefined) continue;
      this.pending[entry] = undefined;
      this.published--;
      this.settled();
      task.resolve(readResult(this.views, this.layout, entry));
    }
  }

  private settled(): void {
    if (--this.outstanding === 0) this.hooks.keepAlive(false);
  }

  private refill(): void {
    while (this.sharedBacklog.length > 0 && this.pending[this.nextTicket & this.queueMask] === undefined) {
      this.publishShared(this.sharedBacklog.shift()!);
    }
    if (this.mailboxBacklogCount === 0) return;
    for (let threadId = 0; threadId < this.mailboxBacklogs.length; threadId++) {
      const backlog = this.mailboxBacklogs[threadId]!;
      if (backlog.length > 0 && this.pending[mailboxEntry(this.layout, threadId)] === undefined) {
        this.mailboxBacklogCount--;
        this.publishToMailbox(threadId, backlog.shift()!);
      }
    }
  }
}
