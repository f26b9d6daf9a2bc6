import { Clockid } from './constants.js';

interface ProcessLike {
  readonly hrtime?: { bigint(): bigint };
  cpuUsage?(): { readonly user: number; readonly system: number };
}

// Why not `import process from 'node:process'`: this file runs in browsers too; Node, Deno and
// Bun expose `process` as a global, and where it is absent the web clocks stand in.
const nodeProcess = (globalThis as { process?: ProcessLike }).process;
const hrtime = typeof nodeProcess?.hrtime?.bigint === 'function' ? nodeProcess.hrtime : undefined;
const cpuUsage = typeof nodeProcess?.cpuUsage === 'function' ? () => nodeProcess.cpuUsage!() : undefined;

/** Nanoseconds from a double of milliseconds. */
function fromMillis(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

/** The monotonic clock in nanoseconds (process.hrtime where present, else performance.now). */
export function monotonicNow(): bigint {
  return hrtime ? hrtime.bigint() : fromMillis(performance.now());
}

/** The realtime clock in nanoseconds since 1970-01-01T00:00:00Z, finer than `Date.now()`. */
export function realtimeNow(): bigint {
  return fromMillis(performance.timeOrigin + performance.now());
}

/**
 * The time of a preview1 clock in nanoseconds, or undefined for a clock this host cannot read
 * (the caller answers EINVAL, as `clock_res_get`'s spec asks for unsupported clocks).
 *
 * - process CPU time: `process.cpuUsage()` (user + system, whole process) where present;
 *   otherwise the time since the page or worker started, an upper bound of it.
 * - thread CPU time: unsupported. Why: every thread's call is answered on the host thread, which
 *   cannot see the CPU time of the worker that asked.
 */
export function clockNow(id: number): bigint | undefined {
  switch (id) {
    case Clockid.REALTIME:
      return realtimeNow();
    case Clockid.MONOTONIC:
      return monotonicNow();
    case Clockid.PROCESS_CPUTIME_ID: {
      if (!cpuUsage) return fromMillis(performance.now());
      const usage = cpuUsage();
      return BigInt(usage.user + usage.system) * 1000n;
    }
    default:
      return undefined;
  }
}

/** The resolution of a preview1 clock in nanoseconds, or undefined where {@link clockNow} is. */
export function clockResolution(id: number): bigint | undefined {
  switch (id) {
    case Clockid.REALTIME:
      return 1_000n;
    case Clockid.MONOTONIC:
      return hrtime ? 1n : 1_000n;
    case Clockid.PROCESS_CPUTIME_ID:
      return 1_000n;
    default:
      return undefined;
  }
}
