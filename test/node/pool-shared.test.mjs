// The same checks as the browser suite runs in Chromium (test/shared/pool-checks.mjs).
import { test } from 'node:test';
import * as weft from '../../dist/node.js';
import { wasmUrl } from '../fixtures/paths.mjs';
import { runtimeLimit } from '../fixtures/runtime-limits.mjs';
import { poolChecks } from '../shared/pool-checks.mjs';

for (const [name, check] of Object.entries(poolChecks)) {
  test(name, { skip: runtimeLimit(name) }, () => check({ createPool: weft.createPool, errors: weft, wasm: wasmUrl }));
}
