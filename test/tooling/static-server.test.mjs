// The static server from the built package (run `npm run build` first): isolation headers,
// content types, folders, refusing paths outside the root, and closing with keep-alive clients.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fsPromises, { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startStaticServer } from '../../dist/tooling/static-server.js';

const WASM_HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const ODD_NAME = 'a b&<c>.txt';

/** Temporary folder: `site/` is served; `package.json` and `secret.txt` sit beside it, outside. */
let fixture;
let siteRoot;
let canSymlink = true;
const servers = [];

before(async () => {
  fixture = await mkdtemp(path.join(os.tmpdir(), 'weft-static-'));
  siteRoot = path.join(fixture, 'site');
  const files = {
    'package.json': '{"name":"outside"}',
    'secret.txt': 'outside the root',
    'site/index.html': '<!doctype html><title>root index</title>',
    'site/app.js': 'export {};',
    'site/mod.mjs': 'export {};',
    'site/module.wasm': WASM_HEADER,
    'site/style.css': 'body {}',
    'site/data.json': '{}',
    'site/image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    'site/icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'site/app.js.map': '{"version":3}',
    'site/types.d.ts': 'export {};',
    'site/blob.bin': new Uint8Array([1, 2, 3]),
    'site/docs/index.html': '<!doctype html><title>docs index</title>',
    [`site/listed/${ODD_NAME}`]: 'odd',
    'site/listed/sub/file.txt': 'sub',
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(fixture, name)), { recursive: true });
    await writeFile(path.join(fixture, name), content);
  }
  try {
    await symlink(path.join(fixture, 'secret.txt'), path.join(siteRoot, 'link-out.txt'));
    await symlink(fixture, path.join(siteRoot, 'dir-out'), 'dir');
    await symlink(path.join(siteRoot, 'app.js'), path.join(siteRoot, 'link-in.js'));
    await mkdir(path.join(siteRoot, 'trap'));
    await symlink(path.join(fixture, 'secret.txt'), path.join(siteRoot, 'trap', 'index.html'));
  } catch {
    canSymlink = false; // e.g. Windows without developer mode
  }
});

after(async () => {
  await Promise.allSettled(servers.map((server) => server.close()));
  if (fixture) await rm(fixture, { recursive: true, force: true });
});

/** Starts a server on the fixture's site folder; after() closes it. */
async function serve(options = {}) {
  const server = await startStaticServer({ root: siteRoot, ...options });
  servers.push(server);
  return server;
}

/**
 * Runs `action` and counts the `node:fs/promises` calls made meanwhile (the server runs in this
 * process, so its calls are counted; the tests of this file run one at a time).
 */
async function countFsCalls(action) {
  const names = ['realpath', 'stat', 'lstat', 'readdir', 'open', 'access'];
  const originals = Object.fromEntries(names.map((name) => [name, fsPromises[name]]));
  let calls = 0;
  for (const name of names) {
    fsPromises[name] = (...args) => {
      calls += 1;
      return originals[name](...args);
    };
  }
  // Why: the server imported these by name; this makes its bindings see the counting versions.
  syncBuiltinESMExports();
  try {
    await action();
  } finally {
    Object.assign(fsPromises, originals);
    syncBuiltinESMExports();
  }
  return calls;
}

/** A raw request: the path goes on the wire exactly as given (no URL normalization). */
function request(server, requestPath, { method = 'GET', agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: requestPath, method, agent },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

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
    await assert.rejects(startStaticServer({ root: siteRoot, coep: 'unsafe-none' }), { code: 'WEFT_INVALID_OPTION', option: 'coep' });
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
    if (!canSymlink) return t.skip('cannot create symbolic links here');
    const server = await serve();
    assert.equal((await request(server, '/link-out.txt')).status, 403);
    assert.equal((await request(server, '/dir-out/package.json')).status, 403);
    assert.equal((await request(server, '/dir-out/')).status, 403);
    assert.equal((await request(server, '/trap/index.html')).status, 403);
    const trap = await request(server, '/trap/');
    assert.doesNotMatch(trap.body.toString(), /outside the root/, 'an index.html link was followed out');
  });

  test('a symbolic link that stays inside is served', async (t) => {
    if (!canSymlink) return t.skip('cannot create symbolic links here');
    const server = await serve();
    const { status, headers } = await request(server, '/link-in.js');
    assert.equal(status, 200);
    assert.equal(headers['content-type'], 'text/javascript; charset=utf-8');
  });
});

describe('the isolation service worker', () => {
  const builtWorker = new URL('../../dist/isolation/isolation-sw.js', import.meta.url);

  test('is weft\'s own at /isolation-sw.js, with or without the isolation headers', async () => {
    const expected = await readFile(builtWorker);
    for (const isolation of [false, true]) {
      const server = await serve({ isolation });
      const { status, headers, body } = await request(server, '/isolation-sw.js');
      assert.equal(status, 200, `isolation: ${isolation}`);
      assert.equal(headers['content-type'], 'text/javascript; charset=utf-8');
      assert.deepEqual(body, expected);
    }
  });

  test('is only served at the root, and not with isolationServiceWorker: false', async () => {
    const server = await serve();
    assert.equal((await request(server, '/docs/isolation-sw.js')).status, 404);
    const without = await serve({ isolationServiceWorker: false });
    assert.equal((await request(without, '/isolation-sw.js')).status, 404);
  });

  test('gives way to a file of that name in the root', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'weft-static-sw-'));
    try {
      await writeFile(path.join(root, 'isolation-sw.js'), '// the site\'s own copy');
      const server = await serve({ root });
      assert.equal((await request(server, '/isolation-sw.js')).body.toString(), '// the site\'s own copy');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('generated pages', () => {
  test('name an icon, so browsers do not ask for /favicon.ico', async () => {
    const server = await serve();
    for (const requestPath of ['/listed/', '/missing.js']) {
      assert.match((await request(server, requestPath)).body.toString(), /<link rel="icon" href="data:,">/, requestPath);
    }
  });
});

describe('lifecycle', () => {
  test('port 0 picks a free port and url names it', async () => {
    const server = await serve();
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  });

  test('close() ends keep-alive connections at once and may be called twice', async () => {
    const server = await startStaticServer({ root: siteRoot });
    const agent = new http.Agent({ keepAlive: true });
    try {
      assert.equal((await request(server, '/app.js', { agent })).status, 200);
      const started = performance.now();
      await Promise.all([server.close(), server.close()]);
      assert.ok(performance.now() - started < 1000, 'close waited for the keep-alive socket');
      await assert.rejects(request(server, '/app.js'), { code: 'ECONNREFUSED' });
    } finally {
      agent.destroy();
    }
  });

  test('a root that is not a folder is refused', async () => {
    await assert.rejects(startStaticServer({ root: path.join(siteRoot, 'app.js') }), { name: 'InvalidOptionError', option: 'root', message: /not a folder/ });
    await assert.rejects(startStaticServer({ root: path.join(fixture, 'nope') }), { name: 'InvalidOptionError', option: 'root', message: /cannot serve .*no such folder/ });
  });

  test('every option is checked before listening, with an InvalidOptionError naming it', async () => {
    // Why a path: server.listen() takes a string port as a UNIX socket's path, and listened there.
    const socketPath = path.join(fixture, 'port-as-socket');
    for (const [options, option] of [
      [{ port: socketPath }, 'port'],
      [{ port: -1 }, 'port'],
      [{ port: 65536 }, 'port'],
      [{ port: 80.5 }, 'port'],
      [{ port: Number.NaN }, 'port'],
      [{ host: '' }, 'host'],
      [{ host: 127 }, 'host'],
      [{ isolation: 'no' }, 'isolation'],
      [{ isolationServiceWorker: 1 }, 'isolationServiceWorker'],
      [{ corp: 'anyone' }, 'corp'],
      [{ policy: 'coop' }, 'policy'],
      [{ root: 42 }, 'root'],
      [{ root: '' }, 'root'],
    ]) {
      await assert.rejects(startStaticServer({ root: siteRoot, ...options }), { name: 'InvalidOptionError', code: 'WEFT_INVALID_OPTION', option }, JSON.stringify(options));
    }
    assert.equal(existsSync(socketPath), false, 'a string port listened on a UNIX socket');
    for (const options of [undefined, null, 'public']) {
      await assert.rejects(startStaticServer(options), { name: 'InvalidOptionError', option: 'options', message: /options object/ });
    }
  });

  test('a failure after listening closes the server', async () => {
    const { address, close } = http.Server.prototype;
    let closed = 0;
    http.Server.prototype.address = function addressThatFails() {
      throw new Error('address failed');
    };
    http.Server.prototype.close = function countedClose(...args) {
      closed += 1;
      return close.apply(this, args);
    };
    try {
      await assert.rejects(startStaticServer({ root: siteRoot }), /address failed/);
    } finally {
      http.Server.prototype.address = address;
      http.Server.prototype.close = close;
    }
    assert.equal(closed, 1, 'the server that listened was not closed');
  });
});
