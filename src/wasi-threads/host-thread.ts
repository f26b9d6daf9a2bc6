import { eachSection, hasWasmHeader, Reader, SECTION_CUSTOM, SECTION_IMPORT } from '../core/wasm-binary.js';
import type { WasiExit } from './options.js';
import type { PreparedProgram } from './prepare-program.js';

const PREVIEW1 = 'wasi_snapshot_preview1';
/** Import kinds, as the binary encodes them. */
const IMPORT_FUNC = 0;
const IMPORT_MEMORY = 2;
/**
 * Preview1 calls whose answer may have to wait (for stdin, for a clock): the thread that makes
 * them must be able to block, and the host thread must stay free to answer them.
 */
const CALLS_THAT_WAIT: ReadonlySet<string> = new Set(['fd_read', 'poll_oneoff']);

/** What a program imports, by module and name. */
interface ImportName {
  readonly module: string;
  readonly name: string;
}

/**
 * Whether a program with these imports can run on the calling thread, with no worker: it spawns
 * no threads and makes no call that may wait, so every call is answered at once.
 */
export function fitsHostThread(imports: readonly ImportName[]): boolean {
  return imports.every(({ module, name }) => !(module === 'wasi' && name === 'thread-spawn') && !(module === PREVIEW1 && CALLS_THAT_WAIT.has(name)));
}

/**
 * {@link fitsHostThread} from the bytes, without compiling them (cheap enough to decide before
 * starting anything). `bytes` may be the start of the file only: the import section comes early.
 * False where it cannot tell: bytes that are not a module, that end before the import section
 * does, or imports other than functions and memories.
 */
export function bytesFitHostThread(bytes: Uint8Array): boolean {
  if (!hasWasmHeader(bytes)) return false;
  try {
    for (const { id, body } of eachSection(bytes)) {
      if (id === SECTION_IMPORT) return fitsHostThread(readImportNames(new Reader(body)) ?? [{ module: 'wasi', name: 'thread-spawn' }]);
      if (id !== SECTION_CUSTOM && id > SECTION_IMPORT) return true;
    }
    return true;
  } catch {
    return false;
  }
}

/** Function and memory imports of an import section; undefined if it has other kinds. */
function readImportNames(reader: Reader): ImportName[] | undefined {
  const names: ImportName[] = [];
  const count = reader.uleb();
  for (let i = 0; i < count; i++) {
    const module = reader.name();
    const name = reader.name();
    const kind = reader.byte();
    if (kind === IMPORT_FUNC) reader.uleb();
    else if (kind === IMPORT_MEMORY) reader.limits();
    else return undefined;
    names.push({ module, name });
  }
  return names;
}

/** Thrown by proc_exit to unwind `_start`. */
class ProgramExit {
  constructor(readonly code: number) {}
}

/**
 * Runs a program that {@link fitsHostThread} on the calling thread: instantiates it and calls
 * `_start`, answering its calls from the program's WASI state directly. Blocks the thread until
 * the program ends, so it is for callers with nothing else to do (`weft run`). Returns the exit
 * code; throws what `_start` throws (a trap), with `threadId` 0 as a worker reports it.
 */
export function runOnHostThread(program: PreparedProgram): WasiExit {
  const { module, memory, host } = program;
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    const namespace = (imports[from] ??= {});
    if (kind === 'memory') {
      namespace[name] = memory;
    } else if (from === PREVIEW1 && name === 'proc_exit') {
      namespace[name] = (code: number) => {
        throw new ProgramExit(code >>> 0);
      };
    } else if (from === PREVIEW1 && name === 'sched_yield') {
      namespace[name] = () => 0;
    } else {
      namespace[name] = (...args: (number | bigint)[]) => {
        const errno = host.call(name, args, memory);
        if (typeof errno !== 'number') throw new Error(`weft: ${name} had to wait on the host thread, which cannot block`);
        return errno;
      };
    }
  }
  try {
    const instance = new WebAssembly.Instance(module, imports);
    (instance.exports as { _start: () => void })._start();
    return { exitCode: 0 };
  } catch (error) {
    if (error instanceof ProgramExit) return { exitCode: error.code };
    if (typeof error === 'object' && error !== null) Object.assign(error, { threadId: 0 });
    throw error;
  } finally {
    host.close();
  }
}
