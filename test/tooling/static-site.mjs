// The site the static-server tests serve, and their raw-request helpers: a temporary folder
// whose `site/` is served, with `package.json` and `secret.txt` beside it (outside the root),
// symbolic links out of and inside the root where the platform allows them.
import fsPromises, { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { startStaticServer } from '../../dist/tooling/static-server.js';

export const WASM_HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
export const ODD_NAME = 'a b&<c>.txt';

/**
 * Makes the site before the calling file's tests and removes it (and closes every server
 * `serve` started) after them. Returns `{ fixture, root, canSymlink, serve(options) }`, filled
 * in once the file's before() hook has run.
 */
export function useStaticSite() {
  const servers = [];
  const site = {
    fixture: '',
    root: '',
    canSymlink: true,
    /** Starts a server on the site folder; the after() hook closes it. */
    async serve(options = {}) {
      const server = await startStaticServer({ root: site.root, ...options });
      servers.push(server);
      return server;
    },
  };

  before(async () => {
    site.fixture = await mkdtemp(path.join(os.tmpdir(), 'weft-static-'));
    site.root = path.join(site.fixture, 'site');
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
      await mkdir(path.dirname(path.join(site.fixture, name)), { recursive: true });
      await writeFile(path.join(site.fixture, name), content);
    }
    try {
      await symlink(path.join(site.fixture, 'secret.txt'), path.join(site.root, 'link-out.txt'));
      await symlink(site.fixture, path.join(site.root, 'dir-out'), 'dir');
      await symlink(path.join(site.root, 'app.js'), path.join(site.root, 'link-in.js'));
      await mkdir(path.join(site.root, 'trap'));
      await symlink(path.join(site.fixture, 'secret.txt'), path.join(site.root, 'trap', 'index.html'));
    } catch {
      site.canSymlink = false; // e.g. Windows without developer mode
    }
  });

  after(async () => {
    await Promise.allSettled(servers.map((server) => server.close()));
    if (site.fixture) await rm(site.fixture, { recursive: true, force: true });
  });

  return site;
}

/**
 * Runs `action` and counts the `node:fs/promises` calls made meanwhile (the server runs in this
 * process, so its calls are counted; the tests of this file run one at a time).
 */
export async function countFsCalls(action) {
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
export function request(server, requestPath, { method = 'GET', agent } = {}) {
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
