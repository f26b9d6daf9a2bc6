// The same checks as the browser suite runs in Chromium (test/shared/wasi-checks.mjs).
import { test } from 'node:test';
import * as weft from '../../dist/node.js';
import { runtimeLimit } from '../fixtures/runtime-limits.mjs';
import { wasiChecks } from '../shared/wasi-checks.mjs';

const wasm = (name) => new URL(`../../wasm/wasi/${name}.wasm`, import.meta.url);
for (const [name, check] of Object.entries(wasiChecks)) {
  test(name, { skip: runtimeLimit(name) }, () => check({ runWasi: weft.runWasi, errors: weft, wasm }));
}
