// The static server from the built package (run `npm run build` first): isolation headers,
// content types, folders, and refusing paths outside the root. Its service worker, generated
// pages, lifecycle and options: static-server-lifecycle.test.mjs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { startStaticServer } from '../../dist/tooling/static-server.js';
import { countFsCalls, ODD_NAME, request, useStaticSite, WASM_HEADER } from './static-site.mjs';

const site = useStaticSite();
const serve = site.serve;

describe('isolation headers', () => {
  test('are sent by default, with COEP require-corp', async () => {
    const server = await serve();
    const { status, headers } = await request(server, '/');
    assert.equal(status, 200);
    assert.equal(headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(headers['cross-origin-embedder-policy'], 'require-corp');
    assert.equal(headers['cross-origin-resource-policy'], 'same-origin');
    assert.equal(headers['cache-control'], 'no-store');
  });

  test('use COEP credentialless when asked', async () => {
    const server = await serve({ coep: 'credentialless' });
    const { headers } = await request(server, '/app.js');
    assert.equal(headers['cross-origin-embedder-policy'], 'credentialless');
    assert.equal(headers['cross-origin-opener-policy'], 'same-origin');
  });

  test('are absent with isolation: false', async () => {
    const server = await serve({ isolation: false });
    const { status, headers } = await request(server, '/app.js');
    assert.equal(status, 200);
    assert.equal(headers['cross-origin-opener-policy'], undefined);
    assert.equal(headers['cross-origin-embedder-policy'], undefined);
    assert.equal(headers['cross-origin-resource-policy'], undefined);
    assert.equal(headers['cache-control'], 'no-store');
  });

  test('are also on error responses', async () => {
    const server = await serve();
    const { status, headers } = await request(server, '/missing.js');
    assert.equal(status, 404);
    assert.equal(headers['cross-origin-embedder-policy'], 'require-corp');
  });

  test('an unknown COEP value is refused', async () => {
    await assert.rejects(startStaticServer({ root: site.root, coep: 'unsafe-none' }), { code: 'WEFT_INVALID_OPTION', option: 'coep' });
  });

  test('policy document-isolation-policy sends Document-Isolation-Policy instead of COOP/COEP', async () => {
    const server = await serve({ policy: 'document-isolation-policy', coep: 'credentialless' });
    const { headers } = await request(server, '/');
    assert.equal(headers['document-isolation-policy'], 'isolate-and-credentialless');
    assert.equal(headers['cross-origin-opener-policy'], undefined);
    assert.equal(headers['cross-origin-embedder-policy'], undefined);
  });

  test('policy both and corp cross-origin', async () => {
    const server = await serve({ policy: 'both', corp: 'cross-origin' });
    const { headers } = await request(server, '/app.js');
    assert.equal(headers['document-isolation-policy'], 'isolate-and-require-corp');
    assert.equal(headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(headers['cross-origin-embedder-policy'], 'require-corp');
    assert.equal(headers['cross-origin-resource-policy'], 'cross-origin');
  });
});

describe('content', () => {
  test('has the right content type per extension', async () => {
    const server = await serve();
    const expected = {
      '/index.html': 'text/html; charset=utf-8',
      '/app.js': 'text/javascript; charset=utf-8',
      '/mod.mjs': 'text/javascript; charset=utf-8',
      '/module.wasm': 'application/wasm',
      '/style.css': 'text/css; charset=utf-8',
      '/data.json': 'application/json; charset=utf-8',
      '/image.png': 'image/png',
      '/icon.svg': 'image/svg+xml',
      '/app.js.map': 'application/json; charset=utf-8',
      '/types.d.ts': 'text/plain; charset=utf-8',
      '/blob.bin': 'application/octet-stream',
    };
    for (const [requestPath, contentType] of Object.entries(expected)) {
      const { status, headers } = await request(server, requestPath);
      assert.equal(status, 200, requestPath);
      assert.equal(headers['content-type'], contentType, requestPath);
    }
  });

  test('sends the file bytes with their length', async () => {
    const server = await serve();
    const { body, headers } = await request(server, '/module.wasm?v=1');
    assert.deepEqual(new Uint8Array(body), WASM_HEADER);
    assert.equal(headers['content-length'], String(WASM_HEADER.length));
  });

  test('HEAD sends the headers only', async () => {
    const server = await serve();
    const { status, headers, body } = await request(server, '/app.js', { method: 'HEAD' });
    assert.equal(status, 200);
    assert.equal(headers['content-length'], String('export {};'.length));
    assert.equal(body.length, 0);
  });

  test('other methods get 405 with Allow', async () => {
    const server = await serve();
    const { status, headers } = await request(server, '/app.js', { method: 'POST' });
    assert.equal(status, 405);
    assert.equal(headers.allow, 'GET, HEAD');
  });

  test('404 says what was asked for', async () => {
    const server = await serve();
    const { status, body } = await request(server, '/no/such<file>.js');
    assert.equal(status, 404);
    assert.match(body.toString(), /\/no\/such&#60;file&#62;\.js/);
  });

  test('404 lists the nearest folder that exists, with working links', async () => {
    const server = await serve();
    const { status, headers, body } = await request(server, '/listed/sub/missing/file.wasm');
    assert.equal(status, 404);
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    const html = body.toString();
    assert.match(html, /Nothing was found at <code>\/listed\/sub\/missing\/file\.wasm<\/code>/);
    assert.match(html, /nearest folder that exists, <a href="\/listed\/sub\/">\/listed\/sub\/<\/a>/);
    assert.match(html, /<a href="\/listed\/sub\/file\.txt">file\.txt<\/a>/);
    assert.match(html, /<a href="\/listed\/sub\/\.\.\/">\.\.\/<\/a>/);
    const root = (await request(server, '/nowhere.js')).body.toString();
    assert.match(root, /<a href="\/app\.js">app\.js<\/a>/, 'a miss at the top lists the root');
    assert.doesNotMatch(root, /"name":"outside"|package\.json/, 'nothing outside the root is listed');
  });

  test('a 404 for a deep path costs file-system calls for the folders that exist, not for its depth', async () => {
    const server = await serve();
    const shallow = await countFsCalls(async () => assert.equal((await request(server, '/a/missing.js')).status, 404));
    // 4,000 segments (8 KB): the walk up from the deepest ancestor took one realpath per segment,
    // each of them through every segment above it.
    const deepPath = `${'/a'.repeat(4000)}/missing.js`;
    let deep;
    const deepCalls = await countFsCalls(async () => {
      deep = await request(server, deepPath);
    });
    assert.equal(deep.status, 404);
    assert.match(deep.body.toString(), /nearest folder that exists, <a href="\/">\/<\/a>/);
    assert.ok(deepCalls <= shallow + 2, `a 404 at depth 4,000 made ${deepCalls} file-system calls, at depth 2 ${shallow}`);
  });

  test('a malformed percent-encoding is a 400', async () => {
    const server = await serve();
    assert.equal((await request(server, '/%zz.js')).status, 400);
  });
});

describe('folders', () => {
  test('serve index.html', async () => {
    const server = await serve();
    assert.match((await request(server, '/')).body.toString(), /root index/);
    assert.match((await request(server, '/docs/')).body.toString(), /docs index/);
  });

  test('without a trailing slash redirect to it, keeping the query', async () => {
    const server = await serve();
    const { status, headers } = await request(server, '/docs?x=1');
    assert.equal(status, 301);
    assert.equal(headers.location, '/docs/?x=1');
  });

  test('a redirect never points at another host', async () => {
    const server = await serve();
    const { status, headers } = await request(server, '//docs');
    assert.equal(status, 301);
    assert.equal(headers.location, '/docs/');
  });

  test('without index.html get a listing with escaped names and encoded links', async () => {
    const server = await serve();
    const { status, headers, body } = await request(server, '/listed/');
    assert.equal(status, 200);
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    const html = body.toString();
    assert.match(html, /href="\.\.\/"/);
    assert.match(html, /href="sub\/">sub\/</);
    assert.ok(html.includes(`href="${encodeURIComponent(ODD_NAME)}">a b&#38;&#60;c&#62;.txt<`), html);
    const file = await request(server, `/listed/${encodeURIComponent(ODD_NAME)}`);
    assert.equal(file.body.toString(), 'odd');
  });
});

describe('paths outside the root', () => {
  for (const requestPath of [
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E%2Fpackage.json',
    '/docs/../../package.json',
    '/..%5cpackage.json',
  ]) {
    test(`${requestPath} is refused with 403`, async () => {
      const server = await serve();
      const { status, body } = await request(server, requestPath);
      // Backslash is no separator on POSIX, so `..\package.json` is just a missing name there.
      const expected = requestPath.includes('%5c') && path.sep === '/' ? 404 : 403;
      assert.equal(status, expected);
      assert.doesNotMatch(body.toString(), /"name":"outside"/);
    });
  }

  test('.. that stays inside the root is fine', async () => {
    const server = await serve();
    assert.equal((await request(server, '/docs/../app.js')).status, 200);
  });

  test('a symbolic link that leads outside is refused with 403', async (t) => {
    if (!site.canSymlink) return t.skip('cannot create symbolic links here');
    const server = await serve();
    assert.equal((await request(server, '/link-out.txt')).status, 403);
    assert.equal((await request(server, '/dir-out/package.json')).status, 403);
    assert.equal((await request(server, '/dir-out/')).status, 403);
    assert.equal((await request(server, '/trap/index.html')).status, 403);
    const trap = await request(server, '/trap/');
    assert.doesNotMatch(trap.body.toString(), /outside the root/, 'an index.html link was followed out');
  });

  test('a symbolic link that stays inside is served', async (t) => {
    if (!site.canSymlink) return t.skip('cannot create symbolic links here');
    const server = await serve();
    const { status, headers } = await request(server, '/link-in.js');
    assert.equal(status, 200);
    assert.equal(headers['content-type'], 'text/javascript; charset=utf-8');
  });
});
