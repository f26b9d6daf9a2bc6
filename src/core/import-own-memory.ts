import { encodeName, encodeUleb as uleb, Reader, readMemoryImports } from './wasm-binary.js';

/**
 * Rewrites a module that defines its own memory into one that imports that memory, shared, as
 * `env.memory`, with the same limits (a maximum of 65536 pages when it had none). Nothing else
 * changes: memory index 0 is the import now, so every instruction, data segment and export that
 * named the memory names the import.
 * Why: a plain wasm32-wasip1 program keeps its memory to itself, but the host answers its
 * system calls from another thread and must read that memory; a shared import lets it.
 * Returns undefined when the module is not of that shape (it imports a memory, or defines none
 * or several).
 */
export function importOwnMemory(bytes: Uint8Array): Uint8Array | undefined {
  if (readMemoryImports(bytes).length > 0) return undefined;
  const sections = splitSections(bytes);
  const memory = sections.find((s) => s.id === SECTION_MEMORY);
  if (memory === undefined) return undefined;
  const memoryReader = new Reader(memory.body);
  if (memoryReader.uleb() !== 1) return undefined;
  const limits = memoryReader.limits();
  if (limits.index64) return undefined;
  const maximum = limits.maximum ?? MAX_PAGES;
  const importEntry = [...encodeName('env'), ...encodeName('memory'), IMPORT_MEMORY, LIMITS_HAS_MAX | LIMITS_SHARED, ...uleb(limits.initial), ...uleb(maximum)];

  const out: number[] = [...bytes.subarray(0, 8)];
  let importWritten = false;
  const writeImports = (existing: Uint8Array | undefined): void => {
    let count = 0;
    let rest: Uint8Array = new Uint8Array();
    if (existing !== undefined) {
      const reader = new Reader(existing);
      count = reader.uleb();
      rest = existing.subarray(reader.offset);
    }
    const body = [...uleb(count + 1), ...rest, ...importEntry];
    out.push(SECTION_IMPORT, ...uleb(body.length), ...body);
    importWritten = true;
  };
  for (const section of sections) {
    // The import section comes right after the type section, before every other known one.
    if (!importWritten && section.id !== SECTION_CUSTOM && section.id !== SECTION_TYPE && section.id !== SECTION_IMPORT) {
      writeImports(undefined);
    }
    if (section.id === SECTION_IMPORT) {
      writeImports(section.body);
    } else if (section.id !== SECTION_MEMORY) {
      out.push(section.id, ...uleb(section.body.length), ...section.body);
    }
  }
  if (!importWritten) writeImports(undefined);
  return new Uint8Array(out);
}

const SECTION_CUSTOM = 0;
const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const IMPORT_MEMORY = 2;
const LIMITS_HAS_MAX = 1;
const LIMITS_SHARED = 2;
const MAX_PAGES = 65536;

interface Section {
  readonly id: number;
  readonly body: Uint8Array;
}

function splitSections(bytes: Uint8Array): Section[] {
  const reader = new Reader(bytes);
  reader.offset = 8;
  const sections: Section[] = [];
  while (!reader.done) {
    const id = reader.byte();
    const size = reader.uleb();
    sections.push({ id, body: bytes.subarray(reader.offset, reader.offset + size) });
    reader.offset += size;
  }
  return sections;
}
