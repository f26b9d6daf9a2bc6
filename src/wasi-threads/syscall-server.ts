import type { ControlViews } from '../protocol/control-layout.js';
import { readValues } from '../protocol/task-values.js';
import { SyscallState, syscallValueIndex, type WasiLayout, WorkerSlot, workerSlotIndex } from '../protocol/wasi-layout.js';
import type { WasiHost } from '../wasi/wasi-host.js';

/**
 * The host's side of the threads' preview1 calls: every thread writes its call into its slot
 * and blocks; the server runs the call on the program's one WasiHost (one fd table, one set
 * of preopens, one output order) and writes the errno back. Calls that must wait (stdin, a
 * sleep) are answered when their promise settles, without holding up the others.
 */
export class SyscallServer {
  private readonly i32: Int32Array;

  constructor(
    private readonly views: ControlViews,
    private readonly layout: WasiLayout,
    private readonly host: WasiHost,
    private readonly memory: WebAssembly.Memory,
    private readonly names: readonly string[],
    private readonly onHostError: (error: unknown) => void,
  ) {
    this.i32 = views.i32;
  }

  /** Takes and answers every call requested by the first `workerCount` workers. */
  serve(workerCount: number): void {
    const i32 = this.i32;
    for (let worker = 0; worker < workerCount; worker++) {
      const slot = workerSlotIndex(this.layout, worker);
      if (Atomics.compareExchange(i32, slot + WorkerSlot.SYSCALL_STATE, SyscallState.REQUESTED, SyscallState.TAKEN) !== SyscallState.REQUESTED) continue;
      const name = this.names[i32[slot + WorkerSlot.SYSCALL]!]!;
      const args = readValues(this.views, slot + WorkerSlot.SYSCALL_ARG_COUNT, syscallValueIndex(this.layout, worker));
      let result: number | Promise<number>;
      try {
        result = this.host.call(name, args, this.memory);
      } catch (error) {
        this.onHostError(error);
        continue;
      }
      if (typeof result === 'number') this.answer(slot, result);
      else result.then((errno) => this.answer(slot, errno), this.onHostError);
    }
  }

  private answer(slot: number, errno: number): void {
    const i32 = this.i32;
    i32[slot + WorkerSlot.SYSCALL_RESULT] = errno;
    Atomics.store(i32, slot + WorkerSlot.SYSCALL_STATE, SyscallState.ANSWERED);
    Atomics.notify(i32, slot + WorkerSlot.SYSCALL_STATE);
  }
}
