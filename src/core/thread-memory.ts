import { MemoryExhaustedError, MemoryImportError, MemoryMismatchError } from '../errors/catalogue.js';
import type { MemoryImportName, ThreadRegion } from '../protocol/messages.js';
import { encodeUleb as uleb, type MemoryImportInfo } from './wasm-binary.js';

const PAGE_BYTES = 65536;
const REGION_ALIGN = 16;

/** The caller's memory, checked against the import, or a new one with the import's limits. */
export function provideMemory(memoryImport: MemoryImportInfo | MemoryImportName, given: WebAssembly.Memory | undefined): WebAssembly.Memory {
  if (given !== undefined) {
    checkMemoryMatchesImport(given, memoryImport);
    return given;
  }
  // Limits are unknown only when a compiled Module came with a memory (see inspectModule).
  if (!('initial' in memoryImport)) throw new MemoryImportError('The memory import\'s limits are unknown: pass `memory`.');
  return createSharedMemory(memoryImport);
}

/** Creates a shared memory with the import's limits. */
export function createSharedMemory(memoryImport: MemoryImportInfo): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: memoryImport.initial, maximum: memoryImport.maximum!, shared: true });
}

/**
 * Checks that a caller's memory satisfies the module's import, by linking it to a tiny module
 * with the same import type: that is the engine's own check, and it runs no user code.
 */
export function checkMemoryMatchesImport(memory: unknown, memoryImport: MemoryImportInfo | MemoryImportName): asserts memory is WebAssembly.Memory {
  const expected = 'initial' in memoryImport
    ? `new WebAssembly.Memory({ initial: ${memoryImport.initial}, maximum: ${memoryImport.maximum}, shared: true })`
    : 'new WebAssembly.Memory({ initial, maximum, shared: true }) with the limits of the import';
  const where = `${memoryImport.module}.${memoryImport.name}`;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new MemoryMismatchError(`The "memory" option must be a WebAssembly.Memory; the module imports ${where}, e.g. ${expected}.`);
  }
  if (!((memory.buffer as unknown) instanceof SharedArrayBuffer)) {
    throw new MemoryMismatchError(`The "memory" option is not shared; the module imports the shared memory ${where}: create it as ${expected}.`);
  }
  if (!('initial' in memoryImport)) return;
  try {
    new WebAssembly.Instance(new WebAssembly.Module(memoryProbeModule(memoryImport) as Uint8Array<ArrayBuffer>), { m: { m: memory } });
  } catch (error) {
    const pages = (memory.buffer as ArrayBufferLike).byteLength / PAGE_BYTES;
    throw new MemoryMismatchError(
      `The "memory" option (${pages} pages now) does not match the module's import ${where} ` +
        `(at least ${memoryImport.initial} pages, maximum ${memoryImport.maximum}, shared): create it as ${expected}.`,
      { cause: error },
    );
  }
}

/** A module whose only content is an import of a memory of the given type, as "m"."m". */
function memoryProbeModule(limits: MemoryImportInfo): Uint8Array {
  const body = [1, 1, 0x6d, 1, 0x6d, 0x02, 0x03, ...uleb(limits.initial), ...uleb(limits.maximum!)];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, ...uleb(body.length), ...body]);
}


/**
 * Gives `count` threads a private region each (shadow stack on top, TLS at the bottom), taken
 * from new pages at the end of the memory.
 * Why: growing the memory is the one allocation that cannot collide with the module's own
 * heap, which only ever extends past the current end with memory.grow as well.
 */
export function allocateThreadRegions(memory: WebAssembly.Memory, count: number, regionBytes: number): ThreadRegion[] {
  const size = Math.ceil(regionBytes / REGION_ALIGN) * REGION_ALIGN;
  const pages = Math.ceil((size * count) / PAGE_BYTES);
  let firstPage: number;
  try {
    firstPage = memory.grow(pages);
  } catch (error) {
    const current = memory.buffer.byteLength / PAGE_BYTES;
    throw new MemoryExhaustedError(
      `The memory cannot grow by ${pages} pages (it has ${current}) to hold ${count} thread stacks of ${size} bytes. ` +
        'Raise the maximum (link with a larger --max-memory) or pass a smaller `stackSize`.',
      { cause: error },
    );
  }
  const start = firstPage * PAGE_BYTES;
  return Array.from({ length: count }, (_, i) => ({ base: start + i * size, size }));
}
