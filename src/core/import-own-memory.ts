import {
  encodeName, encodeUleb as uleb, IMPORT_MEMORY, LIMITS_HAS_MAX, LIMITS_SHARED, Reader, readImportSection, readSections,
  SECTION_CUSTOM, SECTION_IMPORT, SECTION_MEMORY, SECTION_TYPE,
} from './wasm-binary.js';

const MAX_PAGES = 65536;

/**
 * Bytes a loader may leave free in a module's buffer before the module, so that
 * {@link rewriteOwnMemory} can rewrite it in place: more than the module can grow by (the import
 * entry, at most 19 bytes, and a new import section's header, less the memory section).
 */
export const REWRITE_HEADROOM = 64;

/** A module rewritten by {@link rewriteOwnMemory}. */
export interface OwnMemoryRewrite {
  /** The module with its memory imported; after an in-place rewrite it shares the input's buffer. */
  readonly bytes: Uint8Array;
  /** Puts the input back as it was (it was overwritten only by an in-place rewrite) and returns it. */
  restore(): Uint8Array;
}

/**
 * Rewrites a module that defines its own memory into one that imports that memory, shared, as
 * `env.memory`, with the same limits (a maximum of 65536 pages when it had none). Nothing else
 * changes: memory index 0 is the import now, so every instruction, data segment and export that
 * named the memory names the import.
 * Why: a plain wasm32-wasip1 program keeps its memory to itself, but the host answers its
 * system calls from another thread and must read that memory; a shared import lets it.
 * Returns undefined when the module is not of that shape (it imports a memory, or defines none
 * or several). The input is not changed; see {@link rewriteOwnMemory} for a rewrite in place.
 *
 * Cost: one pass over the section headers, one read of the import and memory sections, and one
 * copy of the module into an output allocated once at its final size (`Uint8Array.set` per
 * section). Nothing grows with the module but the output: no spread into arguments (V8 refuses
 * about 125,000, so a section of 125 KB overflowed the stack) and no per-byte JavaScript loop.
 */
export function importOwnMemory(bytes: Uint8Array): Uint8Array | undefined {
  return rewriteOwnMemory(bytes, { inPlace: false })?.bytes;
}

/**
 * {@link importOwnMemory}, in place when `inPlace` is set and the buffer has room before
 * `bytes.byteOffset` for what the module grows by ({@link REWRITE_HEADROOM} is always enough).
 * Everything the rewrite changes lies before the end of the memory section, which precedes the
 * code and data; so in place only that prefix is rewritten (into the input's buffer, ending where
 * it ended) and the rest of the module stays where it is: the cost does not depend on the size of
 * the code and data. Otherwise the rewritten prefix and the rest are copied into a new buffer.
 */
export function rewriteOwnMemory(bytes: Uint8Array, options: { readonly inPlace: boolean }): OwnMemoryRewrite | undefined {
  const sections = readSections(bytes);
  const imports = sections.find((s) => s.id === SECTION_IMPORT);
  const existing = imports === undefined ? undefined : readImportSection(imports.body);
  if (existing !== undefined && existing.memories.length > 0) return undefined;
  const memoryIndex = sections.findIndex((s) => s.id === SECTION_MEMORY);
  const memory = sections[memoryIndex];
  if (memory === undefined) return undefined;
  const memoryReader = new Reader(memory.body);
  if (memoryReader.uleb() !== 1) return undefined;
  const limits = memoryReader.limits();
  if (limits.index64) return undefined;
  const memoryImport = [
    ...encodeName('env'), ...encodeName('memory'), IMPORT_MEMORY, LIMITS_HAS_MAX | LIMITS_SHARED,
    ...uleb(limits.initial), ...uleb(limits.maximum ?? MAX_PAGES),
  ];
  const entries = imports !== undefined && existing !== undefined ? imports.body.subarray(existing.entriesOffset) : new Uint8Array(0);
  const importSection = { id: SECTION_IMPORT, parts: [uleb((existing?.count ?? 0) + 1), entries, memoryImport] };

  // The prefix: every section up to the memory section. The import section goes right after the
  // type section, before every other known one, so it is in the prefix too.
  const prefix = new ModuleWriter(bytes.subarray(0, 8));
  let importWritten = false;
  for (const section of sections.slice(0, memoryIndex + 1)) {
    if (!importWritten && section.id !== SECTION_CUSTOM && section.id !== SECTION_TYPE && section.id !== SECTION_IMPORT) {
      prefix.add(importSection);
      importWritten = true;
    }
    if (section.id === SECTION_IMPORT) {
      prefix.add(importSection);
      importWritten = true;
    } else if (section.id !== SECTION_MEMORY) {
      prefix.add({ id: section.id, parts: [section.body] });
    }
  }
  const newPrefix = prefix.finish();
  const prefixEnd = memory.body.byteOffset + memory.body.length - bytes.byteOffset;
  const rest = bytes.subarray(prefixEnd);
  const start = bytes.byteOffset + prefixEnd - newPrefix.length;

  if (options.inPlace && start >= 0) {
    const oldPrefix = bytes.slice(0, prefixEnd);
    const out = new Uint8Array(bytes.buffer, start, newPrefix.length + rest.length);
    out.set(newPrefix);
    return {
      bytes: out,
      restore: () => {
        bytes.set(oldPrefix);
        return bytes;
      },
    };
  }
  const out = new Uint8Array(newPrefix.length + rest.length);
  out.set(newPrefix);
  out.set(rest, newPrefix.length);
  return { bytes: out, restore: () => bytes };
}

interface SectionParts {
  readonly id: number;
  readonly parts: readonly (Uint8Array | readonly number[])[];
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
