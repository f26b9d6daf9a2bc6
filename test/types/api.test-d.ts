// Type tests of the public API, compiled by `tsc -p test/types` in `npm test`. Each line expected
// to be a type error fails the build if it ever type-checks.
import {
  createPool,
  InvalidOptionError,
  type ModuleSource,
  type ParallelForOptions,
  type Pool,
  PoolClosedError,
  type PoolOptions,
  type TaskResult,
  type WasmValue,
  WeftError,
} from 'weft';

export async function usesThePublicApi(bytes: Uint8Array, memory: WebAssembly.Memory): Promise<void> {
  const sources: ModuleSource[] = [new URL('file:///k.wasm'), 'k.wasm', bytes, bytes.buffer as ArrayBuffer, new Response(), await WebAssembly.compile(new Uint8Array())];
  const options: PoolOptions = { module: sources[0]!, memory, threads: 2, stackSize: 65536, spinMicros: 0, wake: 'message' };
  const pool: Pool = await createPool(options);
  const one: TaskResult = await pool.run('f', 1, 2n, 0.5);
  const each: TaskResult[] = await pool.broadcast('f');
  const on: TaskResult = await pool.runOn(0, 'f');
  const loop: ParallelForOptions = { chunkSize: 8, args: [1, 2n] };
  const chunks: TaskResult[] = await pool.parallelFor('f', 0, 100, loop);
  const value: WasmValue = 1n;
  const count: number = pool.threads;
  const shared: WebAssembly.Memory = pool.memory;
  void [one, each, on, chunks, value, count, shared];

  // @ts-expect-error arguments are wasm numbers, not strings
  await pool.run('f', 'one');
  // @ts-expect-error unknown option names are caught
  await createPool({ module: bytes, thread: 2 });
  // @ts-expect-error the wake mode is one of two words
  await createPool({ module: bytes, wake: 'poll' });
  // @ts-expect-error a module is required
  await createPool({ threads: 2 });

  const closed = new PoolClosedError();
  const asBase: WeftError = closed;
  const code: string = asBase.code;
  const option: string = new InvalidOptionError('threads', 'm').option;
  void [code, option];
  await pool.close();
  await pool[Symbol.asyncDispose]();
}
