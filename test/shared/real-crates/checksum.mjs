/** A checksum of bytes, enough to tell two keys or two PNGs apart; the same in every runtime. */
export function checksum(bytes) {
  return bytes.reduce((sum, byte) => (Math.imul(sum, 31) + byte) >>> 0, 7);
}
