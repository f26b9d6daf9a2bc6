// Type tests of weft/wasm-bindgen and weft/wasm-bindgen-rayon (see api.test-d.ts).
import { type BindgenPool, type BindgenPoolOptions, createBindgenPool } from 'weft/wasm-bindgen';
import { serveBindgenThread } from 'weft/wasm-bindgen/thread';
import { configureRayon, startWorkers, stopRayonWorkers } from 'weft/wasm-bindgen-rayon';

/** The shape of a crate's glue, as `typeof import('./pkg/my_crate.js')` gives it. */
interface CrateGlue {
  default(options?: unknown): Promise<unknown>;
  optimise(data: Uint8Array, level: number, interlace: boolean, alpha: boolean): Uint8Array;
  later(value: number): Promise<number>;
  version: string;
}
declare const glue: CrateGlue;

export async function usesTheWasmBindgenApi(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<void> {
  const typed = await createBindgenPool<CrateGlue>({ glue: new URL('file:///pkg/crate.js'), rayonThreads: 2 });
  const bytes: Uint8Array = await typed.run('optimise', new Uint8Array(), 2, false, false);
  const doubled: number[] = await typed.broadcast('later', 21);
  const onOne: number = await typed.runOn(0, 'later', 1);
  void [bytes, doubled, onOne, typed.threads, typed.rayonThreads, typed.memory, typed.module];
  // @ts-expect-error the level is a number
  await typed.run('optimise', new Uint8Array(), 'high', false, false);
  // @ts-expect-error version is not a function export
  await typed.run('version');
  // @ts-expect-error no such export
  await typed.run('optimize', new Uint8Array(), 2, false, false);

  const options: BindgenPoolOptions = { glue: 'pkg/crate.js', wasm: module, memory, threads: 2, initForm: 'positional', threadStackSize: 1 << 20, startTimeout: 1000 };
  const untyped: BindgenPool = await createBindgenPool(options);
  const anything: unknown = await untyped.run('whatever', 1, 'two', { three: 3 });
  void anything;
  await createBindgenPool({ glue, createWorker: () => new Worker('thread.js', { type: 'module' }) });
  // @ts-expect-error the init form is one of three words
  await createBindgenPool({ glue: 'pkg/crate.js', initForm: 'named' });
  // @ts-expect-error glue is required
  await createBindgenPool({ threads: 2 });
  await untyped.close();

  serveBindgenThread(glue);
  configureRayon({ glue: 'pkg/crate.js', startTimeout: 1000, onThreadError: (error: Error) => void error });
  await startWorkers(module, memory, { numThreads: () => 2, receiver: () => 0, build: () => undefined });
  await stopRayonWorkers();
}
