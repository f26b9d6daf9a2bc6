// comlink peer over worker_threads that exposes a wasm-bindgen glue (the test fixture's, over
// its own shared memory), for the bindgen-calls family: what a caller gets without weft.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import * as glue from '../../test/fixtures/wasm-bindgen/bindgen_fixture.js';

await glue.default({ module_or_path: await readFile(new URL('../../wasm/bindgen_fixture_bg.wasm', import.meta.url)) });
Comlink.expose(glue, nodeEndpoint(parentPort));
