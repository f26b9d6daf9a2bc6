/**
 * A small static file server for development and tests that can make its pages cross-origin
 * isolated (see {@link isolationHeaders}). Node.js only; it uses nothing but `node:http`,
 * `node:fs` and `node:path`. What `weft serve` runs.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isolationHeaders } from '../isolation/isolation-headers.js';
import { contentTypeFor, HTML_CONTENT_TYPE } from './content-types.js';
import { checkStaticServerOptions } from './static-server-options.js';
import type { StaticServerOptions } from './static-server-options.js';

export { contentTypeFor } from './content-types.js';
export type { StaticServerOptions } from './static-server-options.js';

/** A running server started by {@link startStaticServer}. */
export interface StaticServer {
  /** The server's origin, e.g. `http://127.0.0.1:8080` (no trailing slash). */
  readonly url: string;
  /** The port the server listens on. */
  readonly port: number;
  /** The real path of the folder being served. */
  readonly root: string;
  /** Stops listening and ends every open connection, keep-alive ones included. Idempotent. */
  close(): Promise<void>;
  /** Same as {@link StaticServer.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const INDEX_FILE = 'index.html';

/** Where {@link StaticServerOptions.isolationServiceWorker} serves weft's service worker. */
const SERVICE_WORKER_PATH = '/isolation-sw.js';

/** weft's built service worker, next to this file's folder in dist/. */
const SERVICE_WORKER_FILE = fileURLToPath(new URL('../isolation/isolation-sw.js', import.meta.url));

/**
 * Starts a static file server.
 *
 * It answers GET and HEAD, sends `Cache-Control: no-store` and (unless `isolation` is false) the
 * cross-origin isolation headers, serves `index.html` for a folder or else a generated listing,
 * answers `/isolation-sw.js` with weft's isolation service worker where `root` has no such file
 * (see {@link StaticServerOptions.isolationServiceWorker}), and refuses with 403 any path that
 * leaves `root`, by `..` (plain or percent-encoded) or by a symbolic link.
 *
 * @returns once the server listens.
 * @throws InvalidArgumentError when `options` is not an object; InvalidOptionError naming the
 *   option when one has the wrong type or value, or `root` is not an existing folder (all checked
 *   before listening); the listen error (e.g. `EADDRINUSE`) when the port cannot be bound.
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const { root, port, host, isolation, isolationServiceWorker, headerOptions } = await checkStaticServerOptions(options);
  const baseHeaders: Record<string, string> = {
    ...(isolation ? isolationHeaders(headerOptions) : {}),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };

  const server = createServer((req, res) => {
    handleRequest(root, baseHeaders, isolationServiceWorker, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
      } else {
        sendPage(req, res, baseHeaders, 500, 'Internal Server Error', escapeHtml(String(error)));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Why: server.close() waits for keep-alive connections (browsers and fetch keep them),
      // which would leave tests and Ctrl-C hanging.
      server.closeAllConnections();
    });
    return closing;
  };
  try {
    const address = server.address() as AddressInfo;
    return {
      url: `http://${urlHost(address.address)}:${address.port}`,
      port: address.port,
      root,
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    // Nobody gets a handle on a server that failed here, so nobody else could close it.
    await close().catch(() => {});
    throw error;
  }
}

/** Answers one request. */
async function handleRequest(
  root: string,
  baseHeaders: Record<string, string>,
  isolationServiceWorker: boolean,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendPage(req, res, { ...baseHeaders, Allow: 'GET, HEAD' }, 405, 'Method Not Allowed',
      `${escapeHtml(req.method ?? '')} is not supported; use GET or HEAD.`);
    return;
  }
  const rawUrl = req.url ?? '/';
  const queryStart = rawUrl.search(/[?#]/);
  const pathname = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const decoded = decodePath(pathname);
  if (decoded === undefined) {
    sendPage(req, res, baseHeaders, 400, 'Bad Request', `Malformed path ${escapeHtml(pathname)}`);
    return;
  }
  const forbidden = (reason: string): void =>
    sendPage(req, res, baseHeaders, 403, 'Forbidden', `${escapeHtml(decoded)} ${reason}.`);

  // Why: resolve the decoded path ourselves instead of through `new URL()`, which would quietly
  // turn `/../x` and `/%2e%2e/x` into `/x`; a request that tries to climb out gets a 403.
  const target = await locate(root, path.resolve(root, `.${decoded}`));
  if (target === 'outside') {
    forbidden('is outside the served folder');
    return;
  }
  if (target === 'missing' && isolationServiceWorker && decoded === SERVICE_WORKER_PATH) {
    const stats = await stat(SERVICE_WORKER_FILE).catch(() => undefined);
    if (stats?.isFile() === true) {
      sendFile(req, res, baseHeaders, SERVICE_WORKER_FILE, stats.size);
      return;
    }
  }
  if (target === 'missing') {
    sendPage(req, res, baseHeaders, 404, 'Not Found', await renderNotFound(root, decoded));
    return;
  }

  if (target.stats.isDirectory()) {
    if (!pathname.endsWith('/')) {
      // Why: relative URLs in the folder's page resolve against the folder only with the
      // trailing slash. Collapse leading slashes so `//host` cannot become an open redirect.
      const location = `/${pathname.replace(/^\/+/, '')}/${rawUrl.slice(pathname.length)}`;
      res.writeHead(301, { ...baseHeaders, Location: location }).end();
      return;
    }
    const index = await locate(root, path.join(target.realPath, INDEX_FILE));
    if (typeof index === 'object' && index.stats.isFile()) {
      sendFile(req, res, baseHeaders, index.realPath, index.stats.size);
    } else {
      sendPage(req, res, baseHeaders, 200, `Index of ${escapeHtml(decoded)}`,
        await renderListing(target.realPath, decoded === '/'));
    }
    return;
  }
  if (!target.stats.isFile()) {
    forbidden('is not a regular file');
    return;
  }
  sendFile(req, res, baseHeaders, target.realPath, target.stats.size);
}

/**
 * Finds what `lexicalPath` really names: 'outside' when it, or the target of a symbolic link on
 * the way, lies outside `root`; 'missing' when it does not exist.
 */
async function locate(
  root: string,
  lexicalPath: string,
): Promise<'outside' | 'missing' | { realPath: string; stats: Stats }> {
  if (!isInside(root, lexicalPath)) return 'outside';
  try {
    const realPath = await realpath(lexicalPath);
    // A symbolic link inside root may point anywhere; judge where it really leads.
    if (!isInside(root, realPath)) return 'outside';
    return { realPath, stats: await stat(realPath) };
  } catch {
    return 'missing';
  }
}

/** Percent-decodes a path; undefined when it is malformed or holds a NUL. */
function decodePath(pathname: string): string | undefined {
  try {
    const decoded = decodeURIComponent(pathname);
    return decoded.startsWith('/') && !decoded.includes('\0') ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `candidate` is `root` or lies below it. */
function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Streams a file (or only its headers, for HEAD). */
function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  baseHeaders: Record<string, string>,
  filePath: string,
  size: number,
): void {
  res.writeHead(200, {
    ...baseHeaders,
    'Content-Type': contentTypeFor(filePath),
    'Content-Length': String(size),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // pipeline destroys the response if the file cannot be read midway.
  pipeline(createReadStream(filePath), res, () => {});
}

/** Sends a small HTML page; `bodyHtml` must already be escaped. */
function sendPage(
  req: IncomingMessage,
  res: ServerResponse,
  baseHeaders: Record<string, string>,
  status: number,
  title: string,
  bodyHtml: string,
): void {
  // Why the icon link: without one, browsers ask for /favicon.ico after every listing and 404 page.
  const html = `<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n<title>${title}</title>\n` +
    `<h1>${status === 200 ? '' : `${status} `}${title}</h1>\n${bodyHtml}\n`;
  res.writeHead(status, {
    ...baseHeaders,
    'Content-Type': HTML_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(html)),
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}

/**
 * The body of a 404 page: what was asked for, and the entries of the nearest folder above it
 * that exists, so a typo or a file that was never built is plain to see.
 */
async function renderNotFound(root: string, decoded: string): Promise<string> {
  const asked = `<p>Nothing was found at <code>${escapeHtml(decoded)}</code> in the served folder.</p>`;
  const { href, realPath } = await findNearestFolder(root, decoded);
  const listing = await renderListing(realPath, href === '/', href);
  return `${asked}\n<p>The nearest folder that exists, <a href="${escapeHtml(encodePath(href))}">${escapeHtml(href)}</a>, holds:</p>\n${listing}`;
}

/**
 * The deepest folder inside `root` on the way to the decoded request path (its last segment left
 * out), `root` itself at the least: its URL path, ending in `/`, and its real path.
 *
 * Why downwards, one segment at a time from the real path of the one before: walking up from the
 * deepest folder took one `realpath` per segment of the request, each through every segment above
 * it, so a made-up path of thousands of segments took seconds. Going down stops at the first
 * segment that does not exist, and each `realpath` resolves one segment below a real path.
 */
async function findNearestFolder(root: string, decoded: string): Promise<{ href: string; realPath: string }> {
  // Lexically, as the request itself was resolved: `/a/../b/c` looks in `/b`.
  const segments = path.posix.normalize(decoded).split('/').filter((segment) => segment !== '' && segment !== '..');
  segments.pop();
  let nearest = { href: '/', realPath: root };
  let href = '/';
  let realPath = root;
  for (const segment of segments) {
    href = `${href}${segment}/`;
    try {
      realPath = await realpath(path.join(realPath, segment));
    } catch {
      break; // nothing exists below a path that does not exist
    }
    // A link that leads outside (or a file) is passed over: a link further down may lead back.
    if (isInside(root, realPath) && (await stat(realPath)).isDirectory()) nearest = { href, realPath };
  }
  return nearest;
}

/** Percent-encodes each segment of a decoded URL path. */
function encodePath(decoded: string): string {
  return decoded.split('/').map(encodeURIComponent).join('/');
}

/** The HTML list of a folder's entries, folders first. */
async function renderListing(folder: string, isRoot: boolean, base = ''): Promise<string> {
  const entries = await readdir(folder, { withFileTypes: true });
  const items = await Promise.all(entries.map(async (entry) => {
    const isFolder = entry.isDirectory() ||
      (entry.isSymbolicLink() &&
        ((await stat(path.join(folder, entry.name)).catch(() => undefined))?.isDirectory() ?? false));
    return { name: entry.name, isFolder };
  }));
  items.sort((a, b) => Number(b.isFolder) - Number(a.isFolder) || a.name.localeCompare(b.name));
  const links = items.map(({ name, isFolder }) => {
    const suffix = isFolder ? '/' : '';
    return `<li><a href="${escapeHtml(encodePath(base))}${encodeURIComponent(name)}${suffix}">${escapeHtml(name)}${suffix}</a></li>`;
  });
  if (!isRoot) links.unshift(`<li><a href="${escapeHtml(encodePath(base))}../">../</a></li>`);
  if (items.length === 0) links.push('<li>(empty)</li>');
  return `<ul>\n${links.join('\n')}\n</ul>`;
}

/** The host part of a URL for a listening address. */
function urlHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
