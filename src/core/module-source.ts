import { InvalidModuleError, InvalidOptionError } from '../errors/catalogue.js';
import type { Platform } from './platform.js';
import { hasWasmHeader } from './wasm-binary.js';

/** Everything `createPool({ module })` accepts. */
export type ModuleSource = string | URL | ArrayBuffer | ArrayBufferView | Response | WebAssembly.Module;

export interface LoadedModule {
  readonly module: WebAssembly.Module;
  /** The binary, when weft had it (not when a compiled Module was given). */
  readonly bytes: Uint8Array | undefined;
}

/**
 * Loads and compiles a module source, turning every failure into an InvalidModuleError that says what was wrong.
 * `rewrite` may give other bytes to compile instead (undefined: keep them); it runs before the
 * only compile, so a large module is compiled once. A rewrite that throws leaves the bytes as
 * they are, for the engine to say what is wrong with them.
 */
export async function loadModule(source: ModuleSource, platform: Platform, rewrite?: (bytes: Uint8Array) => Uint8Array | undefined): Promise<LoadedModule> {
  if (isCompiledModule(source)) return { module: source, bytes: undefined };
  const original = await loadBytes(source, platform);
  if (!hasWasmHeader(original)) {
    throw new InvalidModuleError(`${describeSource(source)} is not a WebAssembly binary: it starts with ${describePrefix(original)}, not the wasm header 00 61 73 6d 01 00 00 00.`);
  }
  const bytes = rewriteOrKeep(original, rewrite);
  try {
    return { module: await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>), bytes };
  } catch (error) {
    // Why: report the engine's words about the caller's bytes (their offsets), not the rewrite's.
    const cause = bytes === original ? error : await compileError(original) ?? error;
    throw new InvalidModuleError(`${describeSource(source)} does not compile: ${(cause as Error).message}. Threads need a module built with atomics and bulk memory (clang: -matomics -mbulk-memory; wat2wasm: --enable-threads).`, { cause });
  }
}

function rewriteOrKeep(bytes: Uint8Array, rewrite: ((bytes: Uint8Array) => Uint8Array | undefined) | undefined): Uint8Array {
  if (rewrite === undefined) return bytes;
  try {
    return rewrite(bytes) ?? bytes;
  } catch {
    return bytes;
  }
}

async function compileError(bytes: Uint8Array): Promise<unknown> {
  try {
    await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    return undefined;
  } catch (error) {
    return error;
  }
}

function isCompiledModule(source: unknown): source is WebAssembly.Module {
  return source instanceof WebAssembly.Module;
}

async function loadBytes(source: unknown, platform: Platform): Promise<Uint8Array> {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer) return new Uint8Array(source).slice();
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof Response !== 'undefined' && source instanceof Response) {
    if (!source.ok) throw new InvalidModuleError(`Fetching the module failed: ${source.status} ${source.statusText} for ${source.url || 'the given Response'}.`);
    return new Uint8Array(await source.arrayBuffer());
  }
  if (typeof source === 'string' || source instanceof URL) {
    try {
      return await platform.loadBytes(source);
    } catch (error) {
      if (error instanceof InvalidModuleError) throw error;
      throw new InvalidModuleError(`Could not load the module from ${String(source)}: ${(error as Error).message}`, { cause: error });
    }
  }
  throw new InvalidOptionError('module', `The "module" option must be a URL, a path (Node), bytes, a Response or a WebAssembly.Module; got ${source === null ? 'null' : typeof source}.`);
}

function describeSource(source: unknown): string {
  if (typeof source === 'string' || source instanceof URL) return `"${String(source)}"`;
  if (typeof Response !== 'undefined' && source instanceof Response) return `The response from ${source.url || 'the given Response'}`;
  return 'The given bytes';
}

function describePrefix(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'nothing (the data is empty)';
  const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = new TextDecoder().decode(bytes.subarray(0, 16)).replace(/[^\x20-\x7e]/g, '.');
  return `${hex} ("${text}"${/^\s*</.test(text) ? ', which looks like HTML: is the URL right?' : ''})`;
}
