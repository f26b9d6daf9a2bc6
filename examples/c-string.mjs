/** Reads a NUL-terminated UTF-8 string out of a wasm memory. */
export function readCString(memory, pointer) {
  const bytes = new Uint8Array(memory.buffer);
  let end = pointer;
  while (bytes[end] !== 0) end++;
  // Why: TextDecoder refuses views of a SharedArrayBuffer; copy the bytes out first.
  return new TextDecoder().decode(bytes.slice(pointer, end));
}
