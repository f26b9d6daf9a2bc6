// Runs one attempt of a WASI program on weft or on the peer in a child process
// (workers/wasi-child.mjs) that is killed past a time limit or a memory limit, so a host that
// hangs is reported as such instead of blocking the bench.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasLiftoffAtomicsBug } from '../../dist/runtime/node/liftoff-bug.js';
import { distDir } from './paths.mjs';

const CHILD = fileURLToPath(new URL('../workers/wasi-child.mjs', import.meta.url));

/**
 * Node versions whose V8 has the Liftoff bug with threaded wasm (a join can wait on address 0 for
 * ever): weft sets --no-liftoff itself (its nodeLiftoffWorkaround option); the peer's child
 * processes get the flag from the bench, so that both hosts run on the same compiler and the
 * peer's rows measure the peer, not the V8 bug.
 */
export const PEER_EXEC_ARGV = hasLiftoffAtomicsBug(process.versions.node) ? ['--no-liftoff'] : [];

function procStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(text)?.[1]);
    const threads = Number(/^Threads:\s+(\d+)/m.exec(text)?.[1]);
    return { rssMb: rssKb / 1024, threads };
  } catch {
    return null; // not Linux, or the process is gone
  }
}

/**
 * Runs `warmup + runs` runs of one program on one host in a child process. Resolves to
 * { runs, loadError, killed, crashed, stdout, stderr, seconds, peakRssMb, maxThreads }, where
 * `killed` is the reason the child was killed (time or memory limit), `crashed` set when it
 * ended without reporting.
 */
export function attempt({ host, wasm, args = [], preopens, warmup = 0, runs = 1, limitS, rssLimitMb }) {
  return new Promise((resolve) => {
    const spec = { host, wasm, args, preopens, warmup, runs, maxThreads: 64, distUrl: distDir.href };
    const execArgv = host === 'emnapi' ? PEER_EXEC_ARGV : [];
    const child = fork(CHILD, [JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], execArgv });
    const t0 = performance.now();
    const seconds = () => (performance.now() - t0) / 1000;
    let stdout = '';
    let stderr = '';
    let report = null;
    let killed = null;
    let baseThreads = null;
    let peakRssMb = 0;
    let maxThreads = 0;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const kill = (why) => {
      if (killed || report) return;
      killed = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`hang (killed after ${limitS} s)`), limitS * 1000);
    const poll = setInterval(() => {
      const s = procStatus(child.pid);
      if (!s) return;
      if (Number.isFinite(s.rssMb)) peakRssMb = Math.max(peakRssMb, s.rssMb);
      if (Number.isFinite(s.threads)) maxThreads = Math.max(maxThreads, s.threads);
      if (rssLimitMb > 0 && s.rssMb > rssLimitMb) {
        const extra = baseThreads === null ? '' : `, ${s.threads - baseThreads} more OS threads than at start`;
        kill(`killed: over ${rssLimitMb} MiB after ${seconds().toFixed(0)} s${extra}`);
      }
    }, 200);
    child.on('message', (m) => {
      if (m?.type === 'ready') baseThreads = procStatus(child.pid)?.threads ?? null;
      else if (m?.type === 'done') report = m;
    });
    child.on('error', (err) => kill(`could not start: ${err.message}`));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({
        runs: report?.runs ?? null,
        loadError: report?.loadError ?? null,
        killed,
        crashed: !report && !killed ? `ended without a report (${signal ?? `exit code ${code}`})` : null,
        stdout,
        stderr,
        seconds: seconds(),
        peakRssMb,
        maxThreads,
        baseThreads,
      });
    });
  });
}
