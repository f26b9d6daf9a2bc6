import {
  encodeName, encodeUleb as uleb, IMPORT_MEMORY, LIMITS_HAS_MAX, LIMITS_SHARED, Reader, readImportSection, readSections,
  SECTION_CUSTOM, SECTION_IMPORT, SECTION_MEMORY, SECTION_TYPE, type WasmSection,
} from './wasm-binary.js';

const MAX_PAGES = 65536;

/**
 * Rewrites a module that defines its own memory into one that imports that memory, shared, as
 * `env.memory`, with the same limits (a maximum of 65536 pages when it had none). Nothing else
 * changes: memory index 0 is the import now, so every instruction, data segment and export that
 * named the memory names the import.
 * Why: a plain wasm32-wasip1 program keeps its memory to itself, but the host answers its
 * system calls from another thread and must read that memory; a shared import lets it.
 * Returns undefined when the module is not of that shape (it imports a memory, or defines none
 * or several).
 *
 * Cost: one pass over the section headers, one read of the import and memory sections, and one
 * copy of the module into an output allocated once at its final size (`Uint8Array.set` per
 * section). Nothing grows with the module but the output: no spread into arguments (V8 refuses
 * a few hundred thousand) and no per-byte JavaScript loop.
 */
export function importOwnMemory(bytes: Uint8Array): Uint8Array | undefined {
  const sections = readSections(bytes);
  const imports = sections.find((s) => s.id === SECTION_IMPORT);
  const existing = imports === undefined ? undefined : readImportSection(imports.body);
  if (existing !== undefined && existing.memories.length > 0) return undefined;
  const memory = sections.find((s) => s.id === SECTION_MEMORY);
  if (memory === undefined) return undefined;
  const memoryReader = new Reader(memory.body);
  if (memoryReader.uleb() !== 1) return undefined;
  const limits = memoryReader.limits();
  if (limits.index64) return undefined;
  const memoryImport = [
    ...encodeName('env'), ...encodeName('memory'), IMPORT_MEMORY, LIMITS_HAS_MAX | LIMITS_SHARED,
    ...uleb(limits.initial), ...uleb(limits.maximum ?? MAX_PAGES),
  ];
  const entries = imports === undefined || existing === undefined ? new Uint8Array(0) : imports.body.subarray(existing.entriesOffset);
  const importSection = {
    id: SECTION_IMPORT,
    parts: [uleb((existing?.count ?? 0) + 1), entries, memoryImport],
  };

  const out = new ModuleWriter(bytes.subarray(0, 8));
  let importWritten = false;
  for (const section of sections) {
    // The import section comes right after the type section, before every other known one.
    if (!importWritten && section.id !== SECTION_CUSTOM && section.id !== SECTION_TYPE && section.id !== SECTION_IMPORT) {
      out.add(importSection);
      importWritten = true;
    }
    if (section.id === SECTION_IMPORT) {
      out.add(importSection);
      importWritten = true;
    } else if (section.id !== SECTION_MEMORY) {
      out.add(asParts(section));
    }
  }
  if (!importWritten) out.add(importSection);
  return out.finish();
}

interface SectionParts {
  readonly id: number;
  readonly parts: readonly (Uint8Array | readonly number[])[];
}

function asParts(section: WasmSection): SectionParts {
  return { id: section.id, parts: [section.body] };
}

/** Collects sections as views and small arrays, then copies them once into one buffer. */
class ModuleWriter {
  readonly #chunks: (Uint8Array | readonly number[])[] = [];
  #length = 0;

  constructor(header: Uint8Array) {
    this.#push(header);
  }

  add(section: SectionParts): void {
    let size = 0;
    for (const part of section.parts) size += part.length;
    this.#push([section.id, ...uleb(size)]);
    for (const part of section.parts) this.#push(part);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  #push(chunk: Uint8Array | readonly number[]): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }
}
