// Type tests of weft/wasm-bindgen and weft/wasm-bindgen-rayon (see api.test-d.ts).
import { type BindgenPool, type BindgenPoolOptions, createBindgenPool, type Remote } from 'weft/wasm-bindgen';
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

/** Classes as wasm-bindgen declares them: private constructors, static factories, `free()`. */
declare class ConfigBuilder {
  private constructor();
  free(): void;
  build(): Config;
  static default(): ConfigBuilder;
}
declare class Config {
  private constructor();
  free(): void;
}
declare class ClientKey {
  private constructor();
  free(): void;
  serialize(): Uint8Array;
  static generate(config: Config): ClientKey;
}
declare class Parameters {
  free(): void;
  constructor(name?: number | null);
  message_modulus(): bigint;
  readonly label: string;
}
interface ClassGlue {
  default(options?: unknown): Promise<unknown>;
  ConfigBuilder: typeof ConfigBuilder;
  Config: typeof Config;
  ClientKey: typeof ClientKey;
  Parameters: typeof Parameters;
  version(): string;
}

export async function usesRemoteHandles(): Promise<void> {
  const pool = await createBindgenPool<ClassGlue>({ glue: 'pkg/crate.js' });
  const builder: Remote<ConfigBuilder> = await pool.callStatic('ConfigBuilder', 'default');
  const config: Remote<Config> = await builder.build();
  const key = await pool.callStatic('ClientKey', 'generate', config);
  const bytes: Uint8Array = await key.serialize();
  const parameters = await pool.create('Parameters', 3);
  const modulus: bigint = await parameters.message_modulus();
  const label: string = await parameters.label;
  const thread: number = key.threadId;
  void [bytes, modulus, label, thread];
  await key.free();
  parameters[Symbol.dispose]();
  // @ts-expect-error a glue object is passed as its remote handle, not as a local instance
  await pool.callStatic('ClientKey', 'generate', {} as Config);
  // @ts-expect-error no such class
  await pool.callStatic('Nope', 'default');
  // @ts-expect-error no such static function
  await pool.callStatic('ClientKey', 'make');
  // @ts-expect-error the constructor takes a number
  await pool.create('Parameters', 'x');
  // @ts-expect-error version is a function, not a class
  await pool.create('version');
}
