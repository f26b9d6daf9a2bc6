/**
 * `weft/web-worker` in a browser: browsers have web workers already, so installing does nothing.
 * @packageDocumentation
 */

/** Does nothing in a browser, which has the web's `Worker` already. */
export function installWebWorkers(): void {}
