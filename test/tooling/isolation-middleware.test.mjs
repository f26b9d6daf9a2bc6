// createIsolationMiddleware from the built package (run `npm run build` first) in real node:http,
// Connect and Express servers: the isolation headers, content types, and how it composes with
// other middleware; and the README's Express example, run as a user would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import connect from 'connect';
import express from 'express';
import { NotCrossOriginIsolatedError } from '../../dist/errors/index.js';
import { createIsolationMiddleware } from '../../dist/tooling/middleware.js';

const WASM_HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const ISOLATED = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

let site;
const servers = [];

before(async () => {
  site = await mkdtemp(path.join(os.tmpdir(), 'weft-middleware-'));
  const files = {
    'index.html': '<!doctype html><title>site</title>',
    'app.js': 'export {};',
    'worker.mjs': 'export {};',
    'module.wasm': WASM_HEADER,
    'style.css': 'body {}',
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(site, name)), { recursive: true });
    await writeFile(path.join(site, name), content);
  }
});

after(async () => {
  await Promise.allSettled(servers.map((server) => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  })));
  if (site) await rm(site, { recursive: true, force: true });
});

/** Listens with `handler` (a function or an app) on a free port; after() closes it. */
async function listen(handler) {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

/** GET (or `method`) `url`; resolves to status, headers (lower-case names) and body text. */
async function get(url, method = 'GET') {
  const response = await fetch(url, { method });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

function assertIsolated(headers, expected = ISOLATED) {
  for (const [name, value] of Object.entries(expected)) assert.equal(headers[name], value, name);
}

/** A node:http handler that sends files from the site with no content type, as some servers do. */
function untypedFiles(req, res) {
  const file = path.join(site, new URL(req.url, 'http://x').pathname);
  if (!file.startsWith(site)) return res.writeHead(403).end();
  const stream = createReadStream(file);
  stream.on('error', () => res.writeHead(404).end('missing'));
  stream.once('open', () => stream.pipe(res));
}

describe('createIsolationMiddleware in a node:http handler', () => {
  test('sends COOP, COEP and CORP, and gives .wasm and .mjs their real content type', async () => {
    const isolate = createIsolationMiddleware();
    const url = await listen((req, res) => {
      isolate(req, res);
      untypedFiles(req, res);
    });
    const wasm = await get(`${url}/module.wasm`);
    assert.equal(wasm.status, 200);
    assertIsolated(wasm.headers);
    assert.equal(wasm.headers['content-type'], 'application/wasm');
    assert.equal((await get(`${url}/worker.mjs?v=2`)).headers['content-type'], 'text/javascript; charset=utf-8');
    const missing = await get(`${url}/nope.wasm`);
    assert.equal(missing.status, 404);
    assertIsolated(missing.headers);
    assert.notEqual(missing.headers['content-type'], 'application/wasm', 'an error is not typed as wasm');
  });

  test('without it the same handler sends neither the headers nor the types (the baseline)', async () => {
    const url = await listen(untypedFiles);
    const { headers } = await get(`${url}/module.wasm`);
    assert.equal(headers['cross-origin-opener-policy'], undefined);
    assert.notEqual(headers['content-type'], 'application/wasm');
  });

  test('repairs application/octet-stream but keeps a content type chosen on purpose', async () => {
    const isolate = createIsolationMiddleware();
    const url = await listen((req, res) => {
      isolate(req, res);
      if (req.url === '/generic.wasm') {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(Buffer.from(WASM_HEADER));
      } else if (req.url === '/config.js') {
        res.setHeader('Content-Type', 'application/json');
        res.end('{}');
      } else if (req.url === '/given.mjs') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('source');
      } else {
        res.writeHead(200, ['Content-Type', 'text/x-raw']).end('raw');
      }
    });
    assert.equal((await get(`${url}/generic.wasm`)).headers['content-type'], 'application/wasm');
    assert.equal((await get(`${url}/config.js`)).headers['content-type'], 'application/json');
    assert.equal((await get(`${url}/given.mjs`)).headers['content-type'], 'text/plain');
    assert.equal((await get(`${url}/raw.js`)).headers['content-type'], 'text/x-raw');
  });

  test('contentTypes: false leaves content types alone', async () => {
    const isolate = createIsolationMiddleware({ contentTypes: false });
    const url = await listen((req, res) => {
      isolate(req, res);
      untypedFiles(req, res);
    });
    const { headers } = await get(`${url}/module.wasm`);
    assertIsolated(headers);
    assert.notEqual(headers['content-type'], 'application/wasm');
  });

  test('coep, corp and policy choose the headers', async () => {
    const cases = [
      [{ coep: 'credentialless' }, { ...ISOLATED, 'cross-origin-embedder-policy': 'credentialless', 'document-isolation-policy': undefined }],
      [{ corp: 'cross-origin' }, { ...ISOLATED, 'cross-origin-resource-policy': 'cross-origin' }],
      [{ policy: 'document-isolation-policy' }, {
        'document-isolation-policy': 'isolate-and-require-corp',
        'cross-origin-opener-policy': undefined,
        'cross-origin-embedder-policy': undefined,
        'cross-origin-resource-policy': 'same-origin',
      }],
      [{ policy: 'both', coep: 'credentialless' }, {
        ...ISOLATED,
        'cross-origin-embedder-policy': 'credentialless',
        'document-isolation-policy': 'isolate-and-credentialless',
      }],
    ];
    for (const [options, expected] of cases) {
      const isolate = createIsolationMiddleware(options);
      const url = await listen((req, res) => {
        isolate(req, res);
        res.end('ok');
      });
      assertIsolated((await get(`${url}/`)).headers, expected);
    }
  });

  test('a wrong option is an InvalidOptionError naming it', () => {
    for (const [options, option] of [
      [{ coep: 'unsafe-none' }, 'coep'],
      [{ corp: 'anyone' }, 'corp'],
      [{ policy: 'coop' }, 'policy'],
      [{ contentTypes: 'yes' }, 'contentTypes'],
    ]) {
      assert.throws(() => createIsolationMiddleware(options), { name: 'InvalidOptionError', code: 'WEFT_INVALID_OPTION', option });
    }
  });
});

describe('createIsolationMiddleware in Connect', () => {
  test('runs between other middleware, calls next once, and covers static files and 404s', async () => {
    const seen = [];
    const app = connect();
    app.use((req, res, next) => {
      seen.push('before');
      res.setHeader('X-Before', '1');
      next();
    });
    app.use(createIsolationMiddleware());
    app.use((req, res, next) => {
      seen.push(`after saw COEP ${res.getHeader('Cross-Origin-Embedder-Policy')}`);
      next();
    });
    app.use('/embeddable', (req, res) => {
      // A later middleware may loosen CORP for what other origins embed.
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      res.end('shared');
    });
    app.use(express.static(site));
    const url = await listen(app);

    const page = await get(`${url}/`);
    assert.equal(page.status, 200);
    assertIsolated(page.headers);
    assert.equal(page.headers['x-before'], '1');
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.deepEqual(seen, ['before', 'after saw COEP require-corp']);

    for (const [file, type] of [['module.wasm', 'application/wasm'], ['worker.mjs', 'text/javascript; charset=utf-8'], ['app.js', 'text/javascript; charset=utf-8'], ['style.css', 'text/css; charset=utf-8']]) {
      const { status, headers } = await get(`${url}/${file}`);
      assert.equal(status, 200, file);
      assert.equal(headers['content-type'], type, file);
      assertIsolated(headers);
    }
    const missing = await get(`${url}/nope.js`);
    assert.equal(missing.status, 404);
    assertIsolated(missing.headers);
    const shared = await get(`${url}/embeddable`);
    assert.equal(shared.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(shared.headers['cross-origin-opener-policy'], 'same-origin');
  });
});

describe('createIsolationMiddleware in Express', () => {
  test('app.use() puts the headers on static files, routes, HEAD requests and 404s', async () => {
    const app = express();
    app.use(createIsolationMiddleware());
    app.get('/config.js', (req, res) => res.json({ threads: 4 }));
    app.use(express.static(site));
    const url = await listen(app);

    for (const [file, type] of [['', 'text/html; charset=utf-8'], ['module.wasm', 'application/wasm'], ['worker.mjs', 'text/javascript; charset=utf-8']]) {
      const { status, headers } = await get(`${url}/${file}`);
      assert.equal(status, 200, file);
      assert.equal(headers['content-type'], type, file);
      assertIsolated(headers);
    }
    const head = await get(`${url}/module.wasm`, 'HEAD');
    assertIsolated(head.headers);
    assert.equal(head.headers['content-type'], 'application/wasm');
    const route = await get(`${url}/config.js`);
    assert.equal(route.headers['content-type'], 'application/json; charset=utf-8', 'a route keeps its own type');
    assert.deepEqual(JSON.parse(route.body), { threads: 4 });
    assertIsolated(route.headers);
    const missing = await get(`${url}/nope.wasm`);
    assert.equal(missing.status, 404);
    assertIsolated(missing.headers);
  });

  test('the README example (examples/isolation/express.mjs) serves the examples isolated', async (t) => {
    const example = fileURLToPath(new URL('../../examples/isolation/express.mjs', import.meta.url));
    const child = spawn(process.execPath, [example], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => child.kill());
    let output = '';
    const url = await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /at (http:\/\/\S+)\/examples\//.exec(output);
        if (match) resolve(match[1]);
      });
      child.stderr.on('data', (chunk) => (output += chunk));
      child.once('exit', (code) => reject(new Error(`the example exited with ${code}: ${output}`)));
    });
    const page = await get(`${url}/examples/classic/`);
    assert.equal(page.status, 200);
    assert.match(page.body, /The classic three steps/);
    assertIsolated(page.headers);
    const entry = await get(`${url}/dist/worker/browser-entry.js`);
    assert.equal(entry.headers['content-type'], 'text/javascript; charset=utf-8');
    assertIsolated(entry.headers);
    assert.equal((await get(`${url}/wasm/hello.wasm`)).headers['content-type'], 'application/wasm');
  });
});

test('NotCrossOriginIsolatedError points at explainIsolation and the ways to send the headers', () => {
  const { message } = new NotCrossOriginIsolatedError();
  assert.match(message, /explainIsolation\(\) from "weft\/isolation"/);
  assert.match(message, /weft\/middleware/);
  assert.match(message, /weft\/isolation-sw\.js/);
});
