// Layout of the Int32Array that the isolation page shares with wait-worker.js (one cell each).

/** Progress of the worker: one of the STATE_* values. */
export const STATE = 0;
/** The cell the worker blocks on with Atomics.wait; it stays 0, the page only notifies. */
export const WAKE = 1;
/** What the worker's Atomics.wait returned, as an index into WAIT_RESULTS. */
export const WAIT_RESULT = 2;
/** Number of cells. */
export const CELLS = 3;

export const STATE_STARTED = 0;
/** The worker is about to call Atomics.wait on WAKE. */
export const STATE_READY = 1;
/** The worker returned from Atomics.wait and wrote WAIT_RESULT. */
export const STATE_DONE = 2;

/** The strings Atomics.wait returns, by the code stored in WAIT_RESULT. */
export const WAIT_RESULTS = ['none', 'ok', 'not-equal', 'timed-out'];
