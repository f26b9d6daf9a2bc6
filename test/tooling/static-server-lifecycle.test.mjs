// The static server from the built package (run `npm run build` first): the isolation service
// worker it serves, its generated pages, closing with keep-alive clients, and its options.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { startStaticServer } from '../../dist/tooling/static-server.js';
import { request, useStaticSite } from './static-site.mjs';

const site = useStaticSite();
const serve = site.serve;

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
    const server = await startStaticServer({ root: site.root });
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
    await assert.rejects(startStaticServer({ root: path.join(site.root, 'app.js') }), { name: 'InvalidOptionError', option: 'root', message: /not a folder/ });
    await assert.rejects(startStaticServer({ root: path.join(site.fixture, 'nope') }), { name: 'InvalidOptionError', option: 'root', message: /cannot serve .*no such folder/ });
  });

  test('every option is checked before listening, with an InvalidOptionError naming it', async () => {
    // Why a path: server.listen() takes a string port as a UNIX socket's path, and listened there.
    const socketPath = path.join(site.fixture, 'port-as-socket');
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
      await assert.rejects(startStaticServer({ root: site.root, ...options }), { name: 'InvalidOptionError', code: 'WEFT_INVALID_OPTION', option }, JSON.stringify(options));
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
      await assert.rejects(startStaticServer({ root: site.root }), /address failed/);
    } finally {
      http.Server.prototype.address = address;
      http.Server.prototype.close = close;
    }
    assert.equal(closed, 1, 'the server that listened was not closed');
  });
});
