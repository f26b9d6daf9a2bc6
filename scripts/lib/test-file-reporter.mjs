// The TAP reporter of `npm test` (scripts/lib/node-test-file.mjs), which also prepares the test
// process to say what it is doing if it hangs:
// - node:test's own TAP output, and besides, one line in the file named by WEFT_TEST_PROGRESS as
//   each test begins and one as it ends, written at once. TAP and spec name a test only once it
//   has finished, so they cannot say which test a hung file was running; this file can.
// - a Node diagnostic report (every thread's JavaScript stack) written to WEFT_TEST_HANG_REPORT
//   on SIGUSR2.
// Why here and not command-line flags: Worker threads inherit the process's execArgv, and some
// (parcel's) refuse --report-directory there. Why not a reporter of its own for the progress:
// Node 20 warns (MaxListenersExceededWarning) with three reporters.
//
// Progress lines: "start<TAB>nesting<TAB>name" and "end<TAB>nesting<TAB>name".
import { appendFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { tap } from 'node:test/reporters';

const hangReport = process.env.WEFT_TEST_HANG_REPORT;
if (hangReport) {
  process.report.directory = dirname(hangReport);
  process.report.filename = basename(hangReport);
  process.report.signal = 'SIGUSR2';
  process.report.reportOnSignal = true;
}

/** @param {AsyncIterable<{ type: string, data: { nesting: number, name: string } }>} source */
export default async function* tapWithProgress(source) {
  yield* tap(recordProgress(source, process.env.WEFT_TEST_PROGRESS));
}

async function* recordProgress(source, progressPath) {
  for await (const event of source) {
    const mark = event.type === 'test:dequeue' ? 'start' : event.type === 'test:pass' || event.type === 'test:fail' ? 'end' : undefined;
    if (mark && progressPath) appendFileSync(progressPath, `${mark}\t${event.data.nesting}\t${String(event.data.name).replace(/\s+/g, ' ')}\n`);
    yield event;
  }
}
