// CPU burners for the "busy" halves of the benchmarks: one process per core spinning beside the
// benchmark, as a browser has other tabs and a server other requests. Each ends itself after
// `maxMs` even if the bench dies, and is killed by PID when the half ends.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

const runningBurners = new Set();

/** PIDs of the burners running now (left out of a browser's CPU: lib/process-cpu.mjs). */
export function burnerPids() {
  return runningBurners;
}

/** Runs `fn` with one burner per core (availableParallelism) running; ends them whatever happens. */
export async function withBurners(maxMs, fn) {
  const code = `const end = Date.now() + ${maxMs}; while (Date.now() < end) {}`;
  const burners = Array.from({ length: os.availableParallelism() }, () => spawn(process.execPath, ['-e', code], { stdio: 'ignore' }));
  for (const child of burners) runningBurners.add(child.pid);
  try {
    await sleep(200); // let them reach their loops
    return await fn(burners.length);
  } finally {
    await Promise.all(burners.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGKILL');
    })));
    for (const child of burners) runningBurners.delete(child.pid);
  }
}
