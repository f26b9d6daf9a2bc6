// CPU time of a browser under test, from Linux's /proc: the sum over every thread of every
// process descended from this one (the browser and all its helpers), leaving out the given
// PIDs (the CPU burners) and this process itself. A browser's own counters do not reach the
// page; schedstat's first field is a thread's time on a CPU in nanoseconds (utime/stime tick
// at 10 ms, too coarse for a block of round trips).
import { readdir, readFile } from 'node:fs/promises';

async function parentsByPid() {
  const parents = new Map();
  const entries = await readdir('/proc');
  await Promise.all(entries.filter((name) => /^\d+$/.test(name)).map(async (name) => {
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
    if (stat === null) return;
    // Why after the last ')': the command name in parentheses may itself hold spaces or ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(Number(name), ppid);
  }));
  return parents;
}

async function threadsCpuNs(pid) {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => []);
  const times = await Promise.all(tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').then((text) => Number(text.split(' ')[0]), () => 0)));
  return times.reduce((sum, ns) => sum + ns, 0);
}

/**
 * Nanoseconds of CPU used so far by every live thread of this process's descendants, except
 * `excluded` PIDs and theirs; null where /proc cannot be read (not Linux). Threads that ended
 * take their time with them: read it around work during which the browser starts and ends none.
 */
export async function descendantsCpuNs(excluded = new Set()) {
  let parents;
  try {
    parents = await parentsByPid();
  } catch {
    return null;
  }
  const children = new Map();
  for (const [pid, ppid] of parents) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const found = [];
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop();
    if (excluded.has(pid)) continue;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  const times = await Promise.all(found.map(threadsCpuNs));
  return times.reduce((sum, ns) => sum + ns, 0);
}
