import { eachSection, hasWasmHeader, Reader, SECTION_CODE } from '../core/wasm-binary.js';

/** Prefix byte of the atomic (threads proposal) instructions. */
const ATOMIC_PREFIX = 0xfe;
/** `memory.atomic.wait32` and `memory.atomic.wait64`, after the prefix. */
const WAIT32 = 0x01;
const WAIT64 = 0x02;

/**
 * Whether the module's code may contain `memory.atomic.wait32` or `memory.atomic.wait64`, the
 * instructions around which Node 20's Liftoff loses values. Errs towards true: the function bodies
 * are scanned for the prefix byte followed by either opcode without decoding instructions, so an
 * immediate that happens to hold those bytes counts too, and bytes that are not a readable module
 * count as waiting.
 */
export function usesAtomicWait(bytes: Uint8Array): boolean {
  if (!hasWasmHeader(bytes)) return true;
  try {
    for (const section of eachSection(bytes)) if (section.id === SECTION_CODE) return containsWait(section.body);
    return false;
  } catch {
    return true;
  }
}

function containsWait(code: Uint8Array): boolean {
  for (let at = code.indexOf(ATOMIC_PREFIX); at !== -1; at = code.indexOf(ATOMIC_PREFIX, at + 1)) {
    // The opcode after the prefix is an unsigned LEB128, which a producer may pad (0x81 0x00 is 1).
    const reader = new Reader(code);
    reader.offset = at + 1;
    let opcode: number;
    try {
      opcode = reader.uleb();
    } catch {
      return true;
    }
    if (opcode === WAIT32 || opcode === WAIT64) return true;
  }
  return false;
}
