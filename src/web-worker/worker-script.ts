import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';

/** What a web worker runs: sent from `new Worker()` to the new thread. */
export interface WorkerScript {
  readonly url: string;
  readonly type: 'classic' | 'module';
  readonly name: string;
  /** The blob behind a `blob:` URL, read when the worker was made. */
  readonly blob: Blob | null;
}

/**
 * wasm-bindgen-rayon 1.0's worker (`snippets/wasm-bindgen-rayon-<hash>/src/workerHelpers.worker.js`)
 * imports its glue as `'../../../'`, a directory only bundlers resolve (through the folder's
 * package.json); Node, Deno and browsers without a bundler refuse it.
 */
const RAYON_SNIPPET = /\/snippets\/wasm-bindgen-rayon-[0-9a-f]+\/src\/[^/]+\.js$/;
const DIRECTORY_IMPORT = /(['"])\.\.\/\.\.\/\.\.\/?\1/;

/** Runs the worker's script: imports a module worker, or runs a classic one in the global scope. */
export async function runWorkerScript(script: WorkerScript): Promise<void> {
  if (script.type === 'module') {
    await import(/* @vite-ignore */ await moduleUrl(script));
    return;
  }
  const source = script.blob !== null ? await script.blob.text() : script.url.startsWith('data:') ? await (await fetch(script.url)).text() : await readFile(fileURLToPath(script.url), 'utf8');
  runClassicScript(source, script.url);
}

async function moduleUrl(script: WorkerScript): Promise<string> {
  if (script.blob !== null) return dataUrlOf(await script.blob.text());
  if (!script.url.startsWith('file:') || !RAYON_SNIPPET.test(script.url)) return script.url;
  const source = await readFile(fileURLToPath(script.url), 'utf8');
  if (!DIRECTORY_IMPORT.test(source)) return script.url;
  const glue = await packageEntry(new URL('../../../', script.url));
  // Why a data: URL: the rewritten worker imports only the glue's absolute URL, and data: modules
  // may import file: URLs in Node, Deno and Bun alike.
  return dataUrlOf(source.replace(new RegExp(DIRECTORY_IMPORT.source, 'g'), JSON.stringify(glue)));
}

/** The module a bundler would load for `import '<folder>/'`: package.json's module, else main, else index.js. */
async function packageEntry(folder: URL): Promise<string> {
  let manifest: { module?: unknown; main?: unknown } = {};
  try {
    manifest = JSON.parse(await readFile(new URL('package.json', folder), 'utf8')) as typeof manifest;
  } catch {
    // No package.json: index.js, as bundlers do.
  }
  const entry = typeof manifest.module === 'string' ? manifest.module : typeof manifest.main === 'string' ? manifest.main : 'index.js';
  return new URL(entry, folder).href;
}

function dataUrlOf(source: string): string {
  return `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`;
}

/** Reads a script for `importScripts`, which must run it before returning: file: and data: URLs only. */
export function readScriptSync(url: URL): string {
  if (url.protocol === 'file:') return readFileSync(fileURLToPath(url), 'utf8');
  if (url.protocol === 'data:') {
    const comma = url.href.indexOf(',');
    const header = url.href.slice(5, comma);
    const body = url.href.slice(comma + 1);
    return header.endsWith(';base64') ? Buffer.from(decodeURIComponent(body), 'base64').toString('utf8') : decodeURIComponent(body);
  }
  throw new DOMException(`importScripts(${url.href}): weft's workers load file: and data: URLs synchronously; ${url.protocol} cannot be read without blocking.`, 'NetworkError');
}

/** Runs a classic script in this thread's global scope, as `importScripts` does. */
export function runClassicScript(source: string, url: string): void {
  runInThisContext(source, { filename: url });
}
