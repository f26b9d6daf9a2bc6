import { findMemoryImport } from '../core/module-info.js';
import { chooseWakeMode, describeValue } from '../core/option-checks.js';
import { loadModule, type ModuleSource } from '../core/module-source.js';
import type { Platform, WorkerHandle } from '../core/platform.js';
import { startWorkers } from '../core/start-workers.js';
import { provideMemory } from '../core/thread-memory.js';
import { InvalidModuleError, InvalidOptionError, MemoryImportError } from '../errors/catalogue.js';
import { serializeError } from '../errors/serialize.js';
import { ENVELOPE, type WorkerToHostMessage } from '../protocol/messages.js';
import type { GlueNamespace } from '../producers/wasm-bindgen-glue.js';
import { BindgenPool, type RayonThread } from './bindgen-pool.js';
import { FastCallChannel } from './fast-call-channel.js';
import { bindgenInit, type BindgenThreadSetup, platformWithWorkerFactory, startRayonThread } from './bindgen-workers.js';
import { type BindgenPoolOptions, resolveBindgenOptions } from './options.js';

/**
 * Loads the wasm-bindgen module, creates its shared memory, starts the threads (thread 0 first:
 * wasm-bindgen's start function initializes memory in the first instance and gives every later
 * one its own stack and TLS), builds the rayon pool when asked, and resolves to a ready pool.
 */
export async function createBindgenPoolOn<Glue>(platform: Platform, options: BindgenPoolOptions<Glue>): Promise<BindgenPool<Glue>> {
  const resolved = resolveBindgenOptions(options);
  platform.assertSharedMemoryAvailable();
  const wake = chooseWakeMode(resolved.wake, platform.hasWaitAsync());
  platform.prepareEngine({ nodeLiftoffWorkaround: resolved.nodeLiftoffWorkaround });

  const glueUrl = typeof resolved.glue === 'string' || resolved.glue instanceof URL ? platform.toAbsoluteUrl(resolved.glue) : null;
  const { module, bytes } = await loadModule(wasmSource(options.wasm, glueUrl, resolved.glue), platform).catch((error: unknown) => {
    // Why: loadModule speaks of createPool's "module"; here the caller's option is "wasm".
    if (error instanceof InvalidOptionError && error.option === 'module') {
      throw new InvalidOptionError('wasm', `"wasm" must be the crate's _bg.wasm: a URL, a path (Node), bytes, a Response or a WebAssembly.Module; got ${describeValue(options.wasm)}.`);
    }
    if (options.wasm !== undefined || glueUrl === null || !(error instanceof InvalidModuleError)) throw error;
    throw new InvalidModuleError(
      `${error.message}. Without "wasm", weft loads the _bg.wasm beside the glue ${glueUrl}: check that "glue" names the pkg/<crate>.js wasm-bindgen wrote, or pass "wasm".`,
      { cause: error },
    );
  });
  const memory = provideMemory(findBindgenMemoryImport(module, bytes, options.memory !== undefined), options.memory);
  const setup: BindgenThreadSetup = {
    platform: platformWithWorkerFactory(platform, resolved.createWorker),
    glueUrl,
    module,
    memory,
    initForm: resolved.initForm,
    threadStackSize: resolved.threadStackSize,
    startTimeout: resolved.startTimeout,
  };
  const threads = resolved.threads ?? (resolved.rayonThreads > 0 ? 1 : platform.defaultThreadCount());
  const channels = Array.from({ length: threads }, () => (resolved.fastCalls ? new FastCallChannel(wake) : null));

  let pool: BindgenPool<Glue> | undefined;
  const rayon: RayonThread[] = [];
  let nextRayonId = threads;
  const callers: WorkerHandle[] = [];
  const events = {
    onMessage: (threadId: number, message: WorkerToHostMessage) => pool?.handleMessage(threadId, message),
    onFailure: (threadId: number, error: Error) => pool?.handleWorkerFailure(threadId, error),
  };
  const startCallers = (first: number, count: number): Promise<WorkerHandle[]> =>
    startWorkers({
      platform: setup.platform,
      count,
      firstThreadId: first,
      timeoutMs: resolved.startTimeout,
      initFor: (threadId) => bindgenInit(setup, threadId, { role: 'caller', rayonThreads: threadId === 0 ? resolved.rayonThreads : 0, receiver: null, fastCalls: channels[threadId]?.setup ?? null }),
      onStartingMessage: (_threadId, message, worker) => {
        if (message.type !== 'bindgen-rayon-spawn') return;
        startRayonThread(setup, nextRayonId++, message.receiver, events).then(
          (thread) => {
            rayon.push(thread);
            worker.postMessage({ weft: ENVELOPE, type: 'bindgen-rayon-started', spawnId: message.spawnId, error: null });
          },
          (error: unknown) => worker.postMessage({ weft: ENVELOPE, type: 'bindgen-rayon-started', spawnId: message.spawnId, error: serializeError(error) }),
        );
      },
      ...events,
    });
  try {
    callers.push(...(await startCallers(0, 1)));
    if (threads > 1) callers.push(...(await startCallers(1, threads - 1)));
  } catch (error) {
    await Promise.allSettled([...callers, ...rayon.map((thread) => thread.worker)].map((worker) => worker.terminate()));
    throw error;
  }
  for (const worker of callers) worker.keepAlive(false);
  pool = new BindgenPool<Glue>(module, memory, callers, rayon, options.memory !== undefined, channels);
  return pool;
}

function wasmSource(wasm: ModuleSource | undefined, glueUrl: string | null, glue: string | URL | GlueNamespace): ModuleSource {
  if (wasm !== undefined) return wasm;
  if (glueUrl !== null) {
    // wasm-bindgen writes `<crate>.js` next to `<crate>_bg.wasm`.
    const url = new URL(glueUrl);
    url.pathname = url.pathname.replace(/\.m?js$/, '_bg.wasm');
    url.search = '';
    if (url.pathname.endsWith('_bg.wasm')) return url;
  } else {
    // Why: the glue keeps the module it was initialized with on its default export.
    const initialized = (glue as GlueNamespace).default as { __wbindgen_wasm_module?: unknown } | undefined;
    if (initialized?.__wbindgen_wasm_module instanceof WebAssembly.Module) return initialized.__wbindgen_wasm_module;
  }
  throw new InvalidOptionError('wasm', 'Pass "wasm": the URL (or path, bytes, Module) of the crate\'s _bg.wasm, e.g. new URL(\'./pkg/my_crate_bg.wasm\', import.meta.url).');
}

function findBindgenMemoryImport(module: WebAssembly.Module, bytes: Uint8Array | undefined, memoryGiven: boolean): ReturnType<typeof findMemoryImport> {
  try {
    return findMemoryImport(bytes, WebAssembly.Module.imports(module), WebAssembly.Module.exports(module), memoryGiven);
  } catch (error) {
    if (!(error instanceof MemoryImportError)) throw error;
    throw new MemoryImportError(
      `${error.message} For a Rust crate: build with RUSTFLAGS='-C target-feature=+atomics,+bulk-memory' and -Z build-std=panic_abort,std, ` +
        'then run wasm-bindgen on the result (it imports the shared memory as wbg.memory).',
      { cause: error },
    );
  }
}
