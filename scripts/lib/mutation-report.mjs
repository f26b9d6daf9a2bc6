// mutation/REPORT.md and results.json of scripts/mutate.mjs, and the survivors judged by hand.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeMutant } from './mutation-operators.mjs';

/**
 * Survivors judged by hand, matched by file, the trimmed source line and the mutant's text (not
 * the line number, which moves). `equivalent`: no program can tell the mutant apart. `known`:
 * a missing test that another engineer is writing now (issue 12).
 */
export const JUDGED_SURVIVORS = [
  ...['1024 → 1025', '1024 → 1023', '> → >=', '&& → ||', '2 → 3', '2 → 1', 'this.head > 1024 && this.head * 2 > this.items.length → !(this.head > 1024 && this.head * 2 > this.items.length)']
    .map((mutant) => ({
      file: 'src/core/task-queue.ts',
      context: 'if (this.head > 1024 && this.head * 2 > this.items.length) {',
      mutant: describeMutant({ original: mutant.split(' → ')[0], replacement: mutant.split(' → ')[1] }),
      kind: 'equivalent',
      reason: 'only when the array is compacted changes (memory use); compaction keeps the items and their order, which test/unit/task-queue.test.mjs checks',
    })),
  {
    file: 'src/core/task-queue.ts',
    context: 'if (this.head >= this.items.length) return undefined;',
    mutant: '>= → >',
    kind: 'equivalent',
    reason: 'at head === length the mutant reads items[head], which is undefined too, and moves head past a slot it appends: length stays 0 and the next push is still the next shift',
  },
  {
    file: 'src/core/dispatcher.ts',
    context: 'Atomics.store(i32, Header.STOP, 1);',
    mutant: '1 → 2',
    kind: 'equivalent',
    reason: 'threads only test STOP !== 0 (thread-loop.ts)',
  },
  {
    file: 'src/core/dispatcher.ts',
    context: 'Atomics.store(this.i32, slotWordIndex(this.layout, threadId) + Slot.MAILBOX, 1);',
    mutant: '1 → 2',
    kind: 'equivalent',
    reason: 'threads only test the MAILBOX word !== 0 (thread-loop.ts)',
  },
  {
    file: 'src/core/dispatcher.ts',
    context: 'Atomics.notify(i32, Header.EPOCH);',
    mutant: 'Atomics.notify(i32, Header.EPOCH); → ;',
    kind: 'equivalent',
    reason: "stop()'s only caller, Pool.shutDown, terminates every worker right after it, which ends a parked thread too",
  },
  {
    file: 'src/core/dispatcher.ts',
    context: 'this.published = 0;',
    mutant: '0 → 1',
    kind: 'equivalent',
    reason: 'after stop() nothing reads `published`: wakeUp and ensureWaiting return once stopped, and no entry is pending, so failTask and harvest never reach it',
  },
  {
    file: 'src/core/dispatcher.ts',
    context: 'Atomics.store(i32, Header.HOST_WAITING, 0);',
    mutant: '0 → 1',
    kind: 'equivalent',
    reason: 'in the completion-already-ready path a wakeUp is queued anyway; a HOST_WAITING left at 1 costs at most one extra wake from the next finishing thread, and wakeUp re-arms it itself',
  },
  {
    file: 'src/core/dispatcher.ts',
    context: 'if (backlog.length > 0 && this.pending[mailboxEntry(this.layout, threadId)] === undefined) {',
    mutant: '=== → !==',
    kind: 'known',
    reason: 'issue 12: a second concurrent runOn/broadcast to a busy thread (its mailbox backlog) is untested; another engineer is writing that test',
  },
];

/** How a survivor was judged in JUDGED_SURVIVORS, if it was. */
export function judge(path, context, mutant) {
  return JUDGED_SURVIVORS.find((entry) => entry.file === path && entry.context === context && entry.mutant === describeMutant(mutant));
}

/** `text` as a Markdown code span, also when it holds backticks itself. */
function code(text) {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function stamp(date) {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Writes the report to `reportPath` and its results.json (what `--recheck` and `--rewrite`
 * read) next to it; `timeoutExtraMs` is the runner's constant part of each time bound.
 */
export function writeReport(reportPath, run, timeoutExtraMs) {
  const results = run.results.slice().sort((a, b) => a.path.localeCompare(b.path) || a.mutant.start - b.mutant.start);
  const byFile = new Map();
  for (const result of results) {
    if (!byFile.has(result.path)) byFile.set(result.path, []);
    byFile.get(result.path).push(result);
  }
  const count = (list, ...statuses) => list.filter((result) => statuses.includes(result.status)).length;
  const survivors = results.filter((result) => result.status === 'survived');
  for (const survivor of survivors) survivor.judged = judge(survivor.path, survivor.context, survivor.mutant);
  const rechecked = results.filter((result) => result.killedOnRecheck);
  const recheck = run.recheck === undefined ? [] : [
    `Survivors not judged equivalent were re-checked with the tests added since, last by \`${run.recheck.command}\` on ${stamp(new Date(run.recheck.startedAt))}` +
      ` (${run.recheck.killed} of ${run.recheck.tried} killed then); ${rechecked.length} in all are now killed (listed at the end).`,
    '',
  ];
  const lines = [
    '# Mutation report',
    '',
    `Generated by \`${run.command}\` on ${stamp(new Date(run.startedAt))} at commit ${run.commit}, in ${run.minutes.toFixed(1)} min`,
    `(seed ${run.seed}; a test file's time bound is ${run.timeoutFactor} × its unmutated time + ${timeoutExtraMs / 1000} s, and a timeout counts as killed).`,
    `${results.length} of ${run.planned} planned mutants were run${run.total > run.planned ? ` (a seeded sample of the ${run.total} these files give)` : ''}.`,
    '',
    ...recheck,
    `**${results.length} mutants: ${count(results, 'killed', 'timeout')} killed (${count(results, 'timeout')} by timeout), ${survivors.length} survived** ` +
      `(${survivors.filter((r) => r.judged?.kind === 'equivalent').length} equivalent, ${survivors.filter((r) => r.judged?.kind === 'known').length} known and being tested elsewhere, ` +
      `${survivors.filter((r) => r.judged === undefined).length} not judged).`,
    '',
    '| file | tried | killed | survived |',
    '| --- | ---: | ---: | ---: |',
    ...[...byFile].map(([path, list]) => `| ${path} | ${list.length} | ${count(list, 'killed', 'timeout')} | ${count(list, 'survived')} |`),
    '',
    '## Survivors',
    '',
  ];
  if (survivors.length === 0) lines.push('None.', '');
  for (const [path, list] of byFile) {
    const left = list.filter((result) => result.status === 'survived');
    if (left.length === 0) continue;
    lines.push(`### ${path}`, '');
    for (const { mutant, context, judged } of left) {
      const verdict = judged === undefined ? '' : ` — **${judged.kind}**: ${judged.reason}`;
      lines.push(`- ${code(`${path}:${mutant.line}: ${describeMutant(mutant)}`)} (${mutant.operator})${verdict}`, `  ${code(context)}`);
    }
    lines.push('');
  }
  if (rechecked.length > 0) {
    lines.push('## Killed on recheck', '', 'Survivors of the first run that the tests added since then kill.', '');
    for (const { path, mutant, context, by, status } of rechecked) {
      lines.push(`- ${code(`${path}:${mutant.line}: ${describeMutant(mutant)}`)} (${mutant.operator}) — ${status} by ${by}`, `  ${code(context)}`);
    }
    lines.push('');
  }
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, `${lines.join('\n')}\n`);
  const stored = { ...run, results: results.map(({ judged, ...result }) => result) };
  writeFileSync(join(dirname(reportPath), 'results.json'), `${JSON.stringify(stored, null, 1)}\n`);
  return reportPath;
}

/** The results.json beside `reportPath`, as the last run (and recheck) left it. */
export function readResults(reportPath) {
  const file = join(dirname(reportPath), 'results.json');
  if (!existsSync(file)) throw new Error(`mutate: ${file} is missing: run the mutants first`);
  return JSON.parse(readFileSync(file, 'utf8'));
}
