/**
 * The content types weft's tooling sends, by file extension: the static server uses the whole
 * table; the middleware only repairs the types that break wasm threads when wrong.
 *
 * @module
 */
import path from 'node:path';

/** Content types by lower-case file extension. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
  // Why: `.ts` (so also `.d.ts`) is registered as video/mp2t; show TypeScript and other sources
  // as text so a browser displays them instead of downloading them.
  '.ts': 'text/plain; charset=utf-8',
  '.mts': 'text/plain; charset=utf-8',
  '.cts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.wat': 'text/plain; charset=utf-8',
  '.wast': 'text/plain; charset=utf-8',
  '.c': 'text/plain; charset=utf-8',
  '.h': 'text/plain; charset=utf-8',
  '.rs': 'text/plain; charset=utf-8',
  '.zig': 'text/plain; charset=utf-8',
};

/** What a file with an unknown extension is sent as. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The content type of HTML pages the tooling writes itself (listings, error pages). */
export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

/** The content type the server sends for a file name. */
export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}

/**
 * The extensions whose content type must be right for wasm threads to start.
 *
 * Why: `WebAssembly.compileStreaming` refuses anything but `application/wasm`, and browsers refuse
 * module scripts and module workers sent as `application/octet-stream` (strict MIME checking), a
 * type some servers still default to for `.mjs` and `.wasm`.
 */
export const ESSENTIAL_EXTENSIONS: readonly string[] = ['.wasm', '.js', '.mjs'];

/**
 * The content type a URL path must be sent with, when its extension is one of
 * {@link ESSENTIAL_EXTENSIONS}; undefined otherwise.
 */
export function essentialContentTypeFor(urlPath: string): string | undefined {
  const extension = path.posix.extname(urlPath).toLowerCase();
  return ESSENTIAL_EXTENSIONS.includes(extension) ? CONTENT_TYPES[extension] : undefined;
}
