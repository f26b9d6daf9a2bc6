// Small statistics helpers shared by every benchmark family, in Node and in the browser page
// (no node: imports; uses the global `performance`).

/** Median of an array of numbers (does not modify the input). NaN for an empty array. */
export function median(values) {
  return percentile(values, 50);
}

/**
 * Percentile p (0..100) with linear interpolation between closest ranks.
 * Does not modify the input. NaN for an empty array.
 */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 1) return sorted[0];
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function mean(values) {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** CPU time of this whole process (every thread) in µs, where the runtime tells it (Node; not a page). */
function processCpu() {
  const usage = globalThis.process?.cpuUsage?.();
  return usage === undefined ? undefined : usage.user + usage.system;
}

/**
 * `cpuPerCall` (µs of process CPU, all threads, per timed call) and `cpuShare` (that CPU over the
 * wall time: 1 = one core busy all along), from a `processCpu()` reading taken when timing began.
 */
function cpuPer(cpuAtStart, timedStart, calls) {
  const cpuAtEnd = processCpu();
  if (cpuAtStart === undefined || cpuAtEnd === undefined || calls === 0) return {};
  const cpu = cpuAtEnd - cpuAtStart;
  return { cpuPerCall: cpu / calls, cpuShare: cpu / ((performance.now() - timedStart) * 1000) };
}

function isThenable(x) {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof x.then === 'function';
}

/**
 * Warm up, then collect timed samples of `fn`, in several rounds.
 *
 * Each sample times `batch` consecutive calls of `fn` and records the time per call, so
 * `batch > 1` is for clocks too coarse to time one call (browsers). `fn` may be sync or
 * async: it is awaited only when it returns a thenable, so sync operations (a blocking
 * Atomics.wait round trip) pay no microtask per call.
 *
 * Returns times in microseconds:
 *   { median, p90, p99, min, mean, roundMedians, samplesPerRound, rounds, batch }
 * where median / p90 / p99 are medians over rounds of each round's statistic
 * ("median of medians"), which damps a round disturbed by other load on the machine.
 */
export async function measure(fn, {
  warmup = 100,
  samples = 1000,
  rounds = 5,
  batch = 1,
  deadlineMs = Infinity,
  between = null,
} = {}) {
  const start = performance.now();
  for (let i = 0; i < warmup; i++) {
    const r = fn(i);
    if (isThenable(r)) await r;
  }
  const cpu = processCpu();
  const timedStart = performance.now();
  let calls = 0;
  const roundMedians = [];
  const roundP90 = [];
  const roundP99 = [];
  const roundMins = [];
  const roundMeans = [];
  const times = new Float64Array(samples);
  let roundsDone = 0;
  for (let round = 0; round < rounds; round++) {
    if (between) await between(round);
    let n = 0;
    for (; n < samples; n++) {
      const t0 = performance.now();
      for (let b = 0; b < batch; b++) {
        const r = fn(b);
        if (isThenable(r)) await r;
      }
      times[n] = ((performance.now() - t0) * 1000) / batch;
      calls += batch;
      // Keep a run bounded: stop a round early (after some samples) once past the deadline.
      if ((n & 255) === 255 && performance.now() - start > deadlineMs) { n++; break; }
    }
    const slice = times.subarray(0, n);
    roundMedians.push(median(slice));
    roundP90.push(percentile(slice, 90));
    roundP99.push(percentile(slice, 99));
    roundMins.push(Math.min(...slice));
    roundMeans.push(mean(slice));
    roundsDone++;
    if (performance.now() - start > deadlineMs) break;
  }
  return {
    ...cpuPer(cpu, timedStart, calls),
    median: median(roundMedians),
    p90: median(roundP90),
    p99: median(roundP99),
    min: Math.min(...roundMins),
    mean: median(roundMeans),
    roundMedians,
    samplesPerRound: samples,
    rounds: roundsDone,
    batch,
    warmupCalls: warmup,
    calls,
  };
}

/**
 * Time a whole operation (e.g. "submit 100,000 tasks and await them all") several times after
 * `warmup` untimed runs. Returns milliseconds: { median, min, max, runs: [...] }.
 */
export async function measureRuns(fn, { warmup = 1, runs = 5, deadlineMs = Infinity } = {}) {
  const start = performance.now();
  for (let i = 0; i < warmup; i++) await fn(i, true);
  const times = [];
  const cpu = processCpu();
  const timedStart = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i, false);
    times.push(performance.now() - t0);
    if (performance.now() - start > deadlineMs) break;
  }
  return { ...cpuPer(cpu, timedStart, times.length), median: median(times), min: Math.min(...times), max: Math.max(...times), runs: times };
}

/** Reject with a clear message if `promise` takes longer than `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
