export type { PoolOptions } from './core/options.js';
export type { ModuleSource } from './core/module-source.js';
export { Pool, type ParallelForOptions } from './core/pool.js';
export type { TaskResult, WasmValue } from './protocol/task-values.js';
export type { WakeMode } from './protocol/messages.js';
export type { RunWasiOptions } from './wasi-threads/options.js';
export type { WasiExit } from './wasi-threads/run-wasi.js';
export { MemoryDirectory, type MemoryTree } from './wasi/fs/memory-directory.js';
export type { WasiDirectory } from './wasi/fs/directory.js';
export type { WasiInput } from './wasi/wasi-host.js';
export {
  WeftError,
  InvalidModuleError,
  MemoryImportError,
  MemoryMismatchError,
  MemoryExhaustedError,
  MissingExportError,
  InvalidOptionError,
  InvalidArgumentError,
  UnsupportedImportError,
  ThreadSymbolsError,
  PoolClosedError,
  WorkerStartError,
  WorkerExitError,
  NotCrossOriginIsolatedError,
  SharedMemoryUnavailableError,
} from './errors/index.js';
