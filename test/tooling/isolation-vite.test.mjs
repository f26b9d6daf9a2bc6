// createVitePlugin (weft/vite) in a real Vite dev server and preview server, started
// programmatically on free ports with the README's config (examples/isolation/vite.config.mjs).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createServer, preview } from 'vite';
import { createVitePlugin } from '../../dist/tooling/vite-isolation.js';

const CONFIG = fileURLToPath(new URL('../../examples/isolation/vite.config.mjs', import.meta.url));
const WASM_HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const ISOLATED = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/** A Vite app: index.html, a module, a worker and a wasm file; `dist/` holds a "built" copy for preview. */
let app;
const servers = [];

before(async () => {
  app = await mkdtemp(path.join(os.tmpdir(), 'weft-vite-'));
  const files = {
    'index.html': '<!doctype html><title>app</title><script type="module" src="/main.js"></script>',
    'main.js': 'new Worker(new URL("./worker.js", import.meta.url), { type: "module" });',
    'worker.js': 'self.postMessage("ready");',
    'public/module.wasm': WASM_HEADER,
    'dist/index.html': '<!doctype html><title>built app</title><script type="module" src="/assets/main.js"></script>',
    'dist/assets/main.js': 'export {};',
    'dist/module.wasm': WASM_HEADER,
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(app, name)), { recursive: true });
    await writeFile(path.join(app, name), content);
  }
});

after(async () => {
  await Promise.allSettled(servers.map((server) => server.close()));
  if (app) await rm(app, { recursive: true, force: true });
});

/** Common inline config: the app folder, a free port on 127.0.0.1, no output, no browser. */
function inline(extra = {}) {
  const listen = { port: 0, strictPort: false, host: '127.0.0.1', open: false };
  return { root: app, logLevel: 'silent', server: listen, preview: listen, ...extra };
}

async function startDev(config) {
  const server = await createServer(config);
  servers.push(server);
  await server.listen();
  return `http://127.0.0.1:${server.httpServer.address().port}`;
}

async function startPreview(config) {
  const server = await preview(config);
  servers.push(server);
  return `http://127.0.0.1:${server.httpServer.address().port}`;
}

async function headersOf(url) {
  const response = await fetch(url);
  await response.arrayBuffer();
  return { status: response.status, headers: Object.fromEntries(response.headers) };
}

function assertIsolated(headers, expected = ISOLATED) {
  for (const [name, value] of Object.entries(expected)) assert.equal(headers[name], value, name);
}

describe('the Vite dev server', () => {
  test('with the README config: the page, modules, the worker and .wasm carry the headers', async () => {
    const url = await startDev(inline({ configFile: CONFIG, configLoader: 'native' }));
    for (const [file, type] of [
      ['/', /^text\/html/],
      ['/main.js', /^text\/javascript/],
      ['/worker.js?worker_file&type=module', /^text\/javascript/],
      ['/worker.js', /^text\/javascript/],
      ['/module.wasm', /^application\/wasm$/],
      ['/@vite/client', /^text\/javascript/],
    ]) {
      const { status, headers } = await headersOf(`${url}${file}`);
      assert.equal(status, 200, file);
      assert.match(headers['content-type'], type, file);
      assertIsolated(headers);
    }
  });

  test('without the plugin it sends no isolation headers (the baseline)', async () => {
    const url = await startDev(inline({ configFile: false }));
    const { status, headers } = await headersOf(`${url}/`);
    assert.equal(status, 200);
    assert.equal(headers['cross-origin-opener-policy'], undefined);
    assert.equal(headers['cross-origin-embedder-policy'], undefined);
  });

  test('options reach the headers: credentialless, with Document-Isolation-Policy', async () => {
    const url = await startDev(inline({ configFile: false, plugins: [createVitePlugin({ coep: 'credentialless', policy: 'both' })] }));
    const { headers } = await headersOf(`${url}/main.js`);
    assertIsolated(headers, {
      ...ISOLATED,
      'cross-origin-embedder-policy': 'credentialless',
      'document-isolation-policy': 'isolate-and-credentialless',
    });
  });
});

describe('the Vite preview server', () => {
  test('with the README config: the built page and its files carry the headers', async () => {
    const url = await startPreview(inline({ configFile: CONFIG, configLoader: 'native' }));
    for (const [file, type] of [['/', /^text\/html/], ['/assets/main.js', /^text\/javascript/], ['/module.wasm', /^application\/wasm$/]]) {
      const { status, headers } = await headersOf(`${url}${file}`);
      assert.equal(status, 200, file);
      assert.match(headers['content-type'], type, file);
      assertIsolated(headers);
    }
  });

  test('without the plugin it sends no isolation headers (the baseline)', async () => {
    const url = await startPreview(inline({ configFile: false }));
    const { headers } = await headersOf(`${url}/`);
    assert.equal(headers['cross-origin-opener-policy'], undefined);
  });
});
