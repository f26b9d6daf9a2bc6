// comlink peer over worker_threads (node adapter).
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';

Comlink.expose(
  {
    nothing() {},
    echo(x) {
      return x;
    },
  },
  nodeEndpoint(parentPort),
);
