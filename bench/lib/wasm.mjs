// Helpers for the raw-wasm rows: where the modules are, and what a bare instantiation needs.
// No node: imports at module level, so the browser page can use it too.

/**
 * Read the limits of the first memory import from a wasm binary.
 * `WebAssembly.Module.imports()` reports only `{ module, name, kind }`, so parse the import
 * section directly. Returns { module, name, initial, maximum, shared } or null when the
 * module imports no memory.
 */
export function memoryImportLimits(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength);
  let pos = 8; // magic + version
  const byte = () => {
    if (pos >= u8.length) throw new Error('truncated wasm binary');
    return u8[pos++];
  };
  const leb = () => {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
  };
  const name = () => {
    const len = leb();
    const s = new TextDecoder().decode(u8.subarray(pos, pos + len));
    pos += len;
    return s;
  };
  const limits = () => {
    const flags = byte();
    const initial = leb();
    const maximum = flags & 1 ? leb() : undefined;
    return { initial, maximum, shared: (flags & 2) !== 0 };
  };
  if (u8[0] !== 0 || u8[1] !== 0x61 || u8[2] !== 0x73 || u8[3] !== 0x6d) throw new Error('not a wasm binary');
  while (pos < u8.length) {
    const id = byte();
    const size = leb();
    const end = pos + size;
    if (id !== 2) {
      pos = end;
      continue;
    }
    const count = leb();
    for (let i = 0; i < count; i++) {
      const mod = name();
      const field = name();
      const kind = byte();
      if (kind === 0) leb(); // function: type index
      else if (kind === 1) { byte(); limits(); } // table: reftype + limits
      else if (kind === 2) return { module: mod, name: field, ...limits() };
      else if (kind === 3) { byte(); byte(); } // global: valtype + mutability
      else if (kind === 4) { byte(); leb(); } // tag: attribute + type index
      else throw new Error(`unknown import kind ${kind}`);
    }
    return null;
  }
  return null;
}

/**
 * The shared memory a bare instantiation uses: the import's minimum, maximum 1024 pages
 * (or the import's own maximum when that is lower, since a provided memory may not exceed it).
 */
export function memoryDescriptorFor(limits) {
  const initial = limits?.initial ?? 1;
  const maximum = Math.max(initial, Math.min(1024, limits?.maximum ?? 1024));
  return { initial, maximum, shared: true };
}

export function sharedMemoryFor(limits) {
  return new WebAssembly.Memory(memoryDescriptorFor(limits));
}

/**
 * Imports for a bare instantiation: the shared memory where a memory is imported, a function
 * that throws for every function import (the bare rows call nothing), nothing else.
 */
export function bareImports(module, memory) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const ns = (imports[imp.module] ??= {});
    if (imp.kind === 'memory') ns[imp.name] = memory;
    else if (imp.kind === 'function') ns[imp.name] = () => { throw new Error(`bare import ${imp.module}.${imp.name} called`); };
    else throw new Error(`bare instantiation cannot provide ${imp.kind} import ${imp.module}.${imp.name}`);
  }
  return imports;
}

/**
 * createPool({ module: compiledModule, threads }) as the bench's start rows call it. Some engines
 * (V8 without type reflection) do not reveal a compiled module's memory-import limits, and weft
 * then asks for `memory` (MemoryImportError). In that case this passes a shared memory made from
 * the limits parsed out of the bytes, as the bare rows do, and sets `state.passedMemory`.
 */
export async function createPoolFromCompiled(createPool, module, limits, threads, state) {
  if (!state.passedMemory) {
    try {
      return await createPool({ module, threads });
    } catch (err) {
      if (err?.name !== 'MemoryImportError' || !/does not reveal/.test(String(err.message))) throw err;
      state.passedMemory = true;
    }
  }
  return createPool({ module, memory: sharedMemoryFor(limits), threads });
}
