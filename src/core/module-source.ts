import { InvalidModuleError, InvalidOptionError } from '../errors/catalogue.js';
import type { Platform } from './platform.js';
import { hasWasmHeader } from './wasm-binary.js';

/** Everything `createPool({ module })` accepts. */
export type ModuleSource = string | URL | ArrayBuffer | ArrayBufferView | Response | WebAssembly.Module;

/**
 * A rewrite of a module's bytes before its compile: undefined keeps them. `owned` says the bytes
 * are weft's own (loaded from a URL, path or Response), so the rewrite may overwrite them and use
 * free bytes before them in their buffer; `restore` gives back the input as it was.
 */
export type ModuleRewrite = (bytes: Uint8Array, owned: boolean) => { readonly bytes: Uint8Array; restore(): Uint8Array } | undefined;

export interface LoadedModule {
  readonly module: WebAssembly.Module;
  /** The binary, when weft had it (not when a compiled Module was given). */
  readonly bytes: Uint8Array | undefined;
}

/**
 * Loads and compiles a module source, turning every failure into an InvalidModuleError that says what was wrong.
 * `rewrite` may give other bytes to compile instead; it runs before the only compile, so a large
 * module is compiled once. A rewrite that throws leaves the bytes as they are, for the engine to
 * say what is wrong with them.
 */
export async function loadModule(source: ModuleSource, platform: Platform, rewrite?: ModuleRewrite): Promise<LoadedModule> {
  if (isCompiledModule(source)) return { module: source, bytes: undefined };
  const { bytes: original, owned } = await loadBytes(source, platform);
  if (!hasWasmHeader(original)) {
    throw new InvalidModuleError(`${describeSource(source)} is not a WebAssembly binary: it starts with ${describePrefix(original)}, not the wasm header 00 61 73 6d 01 00 00 00.`);
  }
  const rewritten = rewriteOrKeep(original, owned, rewrite);
  try {
    return { module: await WebAssembly.compile(rewritten.bytes as Uint8Array<ArrayBuffer>), bytes: rewritten.bytes };
  } catch (error) {
    // Why: report the engine's words about the caller's bytes (their offsets), not the rewrite's.
    const cause = rewritten.bytes === original ? error : await compileError(rewritten.restore()) ?? error;
    throw new InvalidModuleError(`${describeSource(source)} does not compile: ${(cause as Error).message}. Threads need a module built with atomics and bulk memory (clang: -matomics -mbulk-memory; wat2wasm: --enable-threads).`, { cause });
  }
}

function rewriteOrKeep(bytes: Uint8Array, owned: boolean, rewrite: ModuleRewrite | undefined): { readonly bytes: Uint8Array; restore(): Uint8Array } {
  const kept = { bytes, restore: () => bytes };
  if (rewrite === undefined) return kept;
  try {
    return rewrite(bytes, owned) ?? kept;
  } catch {
    return kept;
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

/** The bytes of a source; `owned` when weft made them (the caller's bytes are never written). */
async function loadBytes(source: unknown, platform: Platform): Promise<{ readonly bytes: Uint8Array; readonly owned: boolean }> {
  if (source instanceof ArrayBuffer) {
    assertNotDetached(source);
    return { bytes: new Uint8Array(source), owned: false };
  }
  if (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer) return { bytes: new Uint8Array(source).slice(), owned: true };
  if (ArrayBuffer.isView(source)) {
    if (source.buffer instanceof ArrayBuffer) assertNotDetached(source.buffer);
    return { bytes: new Uint8Array(source.buffer, source.byteOffset, source.byteLength), owned: false };
  }
  // Why paths and URLs before Response: in Node the first read of the `Response` global loads
  // undici (about 40 ms), which a program loaded from a file never needs.
  if (typeof source === 'string' || source instanceof URL) {
    try {
      return { bytes: await platform.loadBytes(source), owned: true };
    } catch (error) {
      if (error instanceof InvalidModuleError) throw error;
      throw new InvalidModuleError(`Could not load the module from ${String(source)}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (typeof Response !== 'undefined' && source instanceof Response) {
    if (!source.ok) throw new InvalidModuleError(`Fetching the module failed: ${source.status} ${source.statusText} for ${source.url || 'the given Response'}.`);
    const where = source.url || 'the given Response';
    if (source.bodyUsed) {
      throw new InvalidModuleError(`The body of ${where} was already read; a Response can be read once. Pass a new Response (call fetch() again, or response.clone() before reading it).`);
    }
    try {
      return { bytes: new Uint8Array(await source.arrayBuffer()), owned: true };
    } catch (error) {
      throw new InvalidModuleError(`Reading the response from ${where} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  throw new InvalidOptionError('module', `The "module" option must be a URL, a path (Node), bytes, a Response or a WebAssembly.Module; got ${source === null ? 'null' : typeof source}.`);
}

/** Why: a detached buffer reads as empty (a view) or throws a bare TypeError (the buffer itself). */
function assertNotDetached(buffer: ArrayBuffer): void {
  if (isDetached(buffer)) {
    throw new InvalidModuleError('The given bytes are in a detached ArrayBuffer (it was transferred to a worker or another context, so it is empty here). Pass a copy, or the bytes before they were transferred.');
  }
}

function isDetached(buffer: ArrayBuffer): boolean {
  const detached = (buffer as { detached?: boolean }).detached;
  if (detached !== undefined) return detached;
  if (buffer.byteLength !== 0) return false;
  // Why: engines without `ArrayBuffer.prototype.detached` (Node 20) refuse a view of a detached buffer.
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

function describeSource(source: unknown): string {
  if (typeof source === 'string' || source instanceof URL) return `"${String(source)}"`;
  if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) return 'The given bytes';
  if (typeof Response !== 'undefined' && source instanceof Response) return `The response from ${source.url || 'the given Response'}`;
  return 'The given bytes';
}

function describePrefix(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'nothing (the data is empty)';
  const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = new TextDecoder().decode(bytes.subarray(0, 16)).replace(/[^\x20-\x7e]/g, '.');
  return `${hex} ("${text}"${/^\s*</.test(text) ? ', which looks like HTML: is the URL right?' : ''})`;
}
