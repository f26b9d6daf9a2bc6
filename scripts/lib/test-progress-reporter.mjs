// The TAP reporter of `npm test` (scripts/lib/node-test-file.mjs): node:test's own TAP output,
// and besides, one line in the file named by WEFT_TEST_PROGRESS as each test begins and one as it
// ends, written at once. TAP and spec name a test only once it has finished, so they cannot say
// which test a hung file was running; this file can.
// Why not a third reporter of its own: Node 20 warns (MaxListenersExceededWarning) with three.
//
// Lines: "start<TAB>nesting<TAB>name" and "end<TAB>nesting<TAB>name".
import { appendFileSync } from 'node:fs';
import { tap } from 'node:test/reporters';

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
