import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Why a content type: WebAssembly.instantiateStreaming, which glue tries first, accepts only
// responses typed application/wasm.
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.wasm': 'application/wasm',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
};

/** The file: URL a fetch asks for, if it asks for one. */
function fileUrlOf(input: unknown): URL | undefined {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : typeof Request === 'function' && input instanceof Request ? input.url : undefined;
  if (href === undefined || !href.startsWith('file:')) return undefined;
  return new URL(href);
}

/**
 * Wraps `fetch` so that it reads `file:` URLs (Node's fetch refuses them): wasm-bindgen glue's
 * `init()` with no argument fetches `new URL('<crate>_bg.wasm', import.meta.url)`, a file URL
 * outside the browser. Every other request goes to the runtime's own fetch.
 */
export function fetchWithFiles(runtimeFetch: typeof fetch): typeof fetch {
  return async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = fileUrlOf(input);
    if (url === undefined) return runtimeFetch(input, init);
    const path = fileURLToPath(url);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new TypeError(`fetch(${url.href}) failed: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { cause: error });
    }
    return new Response(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' } });
  };
}
