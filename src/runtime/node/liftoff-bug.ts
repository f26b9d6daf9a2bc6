/**
 * Whether this Node.js version's V8 has the Liftoff bug with threaded wasm (a local set before
 * `memory.atomic.wait32` with a timeout reads back 0). Fixed in Node 22.23 and 24.21.
 */
export function hasLiftoffAtomicsBug(nodeVersion: string): boolean {
  const [major = 0, minor = 0] = nodeVersion.split('.').map((part) => Number.parseInt(part, 10));
  if (major < 22) return true;
  if (major === 22) return minor < 23;
  if (major === 23) return true;
  if (major === 24) return minor < 21;
  return false;
}
