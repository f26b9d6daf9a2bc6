// One node:test file run the way `npm test` runs it: directly (no `node --test` parent), in a
// process group of its own with a time bound, its results in a TAP file. When the file outlives
// its bound, what it was doing is described before its group is killed: the tests that began and
// had not finished, and the JavaScript stack of its main thread and of every worker, from a Node
// diagnostic report asked for with a signal (both prepared by scripts/lib/test-file-reporter.mjs,
// which also writes the TAP).
// Why: a CI log shows only its tail; "still running after 600 s" alone did not say which test of
// the file hung, nor where its threads were waiting, and the hang did not happen again here.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBounded } from './bounded-process.mjs';

const fileReporter = fileURLToPath(new URL('./test-file-reporter.mjs', import.meta.url));
/** How long a hung process gets to write its diagnostic report before it is killed anyway. */
const REPORT_WAIT_MS = 15_000;
/** Stack frames shown per thread: enough to see what it waits in, short enough for a CI log's tail. */
const FRAMES_SHOWN = 4;

/**
 * @typedef {{ outcome: import('./bounded-process.mjs').BoundedOutcome, tap: string, hang: string[] }} NodeTestFileResult
 *   `tap` is the file's TAP report (empty if it wrote none); `hang` describes what was still
 *   running when the bound ended the file (empty unless it timed out).
 */

/**
 * @param {string} nodeBinary
 * @param {string} file the test file, relative to `cwd` or absolute
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, boundMs: number, workDir: string, name: string, echo?: boolean }} options
 *   `workDir` holds the TAP report, progress and diagnostic report, each named after `name`.
 * @returns {Promise<NodeTestFileResult>}
 */
export async function runNodeTestFile(nodeBinary, file, { cwd, env, boundMs, workDir, name, echo = true }) {
  const tapPath = join(workDir, `${name}.tap`);
  const progressPath = join(workDir, `${name}.progress`);
  const reportPath = join(workDir, `${name}.hang.json`);
  for (const path of [tapPath, progressPath, reportPath]) rmSync(path, { force: true });
  const outcome = await runBounded(
    nodeBinary,
    [
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      `--test-reporter=${fileReporter}`, `--test-reporter-destination=${tapPath}`,
      file,
    ],
    { cwd, env: { ...(env ?? process.env), WEFT_TEST_PROGRESS: progressPath, WEFT_TEST_HANG_REPORT: reportPath }, boundMs, echo, onBound: (pid) => askForReport(pid, reportPath) },
  );
  // Node's own words on writing the report would push the file's last lines out of the note.
  outcome.lastLines = outcome.lastLines.filter((line) => !/^(Writing Node\.js report|Node\.js report completed)/.test(line));
  const tap = existsSync(tapPath) ? readFileSync(tapPath, 'utf8') : '';
  const hang = outcome.timedOut ? describeHang(readOptional(progressPath), readOptional(reportPath)) : [];
  return { outcome, tap, hang };
}

/** Signals the process to write its report and waits until the report is whole, or gives up. */
async function askForReport(pid, reportPath) {
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return; // it has just ended
  }
  for (let waited = 0; waited < REPORT_WAIT_MS; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (parseReport(readOptional(reportPath)) !== undefined) return;
  }
}

/**
 * What a hung file was doing, a line per fact: the tests begun and not finished (innermost
 * last), then each thread's top frames.
 * @param {string} progress the progress reporter's lines
 * @param {string} reportText the diagnostic report's JSON, or '' if none was written
 */
export function describeHang(progress, reportText) {
  const lines = [];
  const running = runningTests(progress);
  lines.push(running.length > 0 ? `running: ${running.join(' > ')}` : 'running: no test had begun (the file was still loading)');
  const report = parseReport(reportText);
  if (report === undefined) {
    lines.push('no diagnostic report: the file had not loaded its reporter yet, or did not answer SIGUSR2 in time (a thread blocked outside JavaScript?)');
    return lines;
  }
  lines.push(`main thread: ${describeStack(report.javascriptStack)}`);
  for (const [index, worker] of allWorkers(report).entries()) {
    lines.push(`worker ${index + 1} (thread ${worker.header?.threadId ?? '?'}): ${describeStack(worker.javascriptStack)}`);
  }
  return lines;
}

/** Tests that began and did not end, outermost first. */
function runningTests(progress) {
  /** @type {string[][]} */
  const open = [];
  for (const line of progress.split('\n')) {
    const [mark, nesting, ...name] = line.split('\t');
    const depth = Number(nesting);
    if (!Number.isInteger(depth)) continue;
    if (mark === 'start') (open[depth] ??= []).push(name.join('\t'));
    else if (mark === 'end') {
      const names = open[depth] ?? [];
      const at = names.lastIndexOf(name.join('\t'));
      if (at >= 0) names.splice(at, 1);
    }
  }
  return open.flatMap((names) => names ?? []);
}

function allWorkers(report) {
  return (report.workers ?? []).flatMap((worker) => [worker, ...allWorkers(worker)]);
}

/** A thread's top frames of its own code, or that it was idle in its event loop. */
function describeStack(stack) {
  const frames = (stack?.stack ?? []).map((frame) => String(frame).trim().replace(/^at /, ''));
  if (frames.length === 0) return 'idle (no JavaScript running: waiting in its event loop)';
  const own = frames.filter((frame) => !frame.includes('(node:internal/'));
  const shown = (own.length > 0 ? own : frames).slice(0, FRAMES_SHOWN);
  return shown.join(' < ');
}

function parseReport(text) {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // still being written
  }
}

function readOptional(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
