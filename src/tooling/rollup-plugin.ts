import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { findModuleUrls, isScript, type ModuleUrl, replaceModuleUrls } from './module-urls.js';

/** The part of Rollup's plugin context this plugin uses (Rollup's own types stay optional). */
interface RollupContext {
  resolve(source: string, importer: string): Promise<{ id: string; external?: boolean | string } | null>;
  emitFile(file: { type: 'chunk'; id: string } | { type: 'asset'; name: string; source: Uint8Array }): string;
}

/** A Rollup (and Rolldown) plugin object. */
export interface WeftRollupPlugin {
  /** `'weft'`. */
  readonly name: string;
  /** Rollup's transform hook: builds the workers and copies the files a module points at. */
  transform(this: RollupContext, code: string, id: string): Promise<{ code: string; map: null } | null>;
}

/**
 * Rollup has no notion of workers or of files next to a module: this plugin builds every
 * `new Worker(new URL('./x.js', import.meta.url), …)` as a chunk of its own (weft's workers and
 * yours) and copies every other `new URL('./file.wasm', import.meta.url)` into the output,
 * rewriting the URLs to the emitted files. Output must be ES modules (`format: 'es'`).
 *
 * ```js
 * // rollup.config.js
 * import { nodeResolve } from '@rollup/plugin-node-resolve';
 * import { createRollupPlugin } from 'weft/rollup';
 * export default { input: 'src/main.js', output: { dir: 'dist', format: 'es' }, plugins: [nodeResolve(), createRollupPlugin()] };
 * ```
 */
export function createRollupPlugin(): WeftRollupPlugin {
  return {
    name: 'weft',
    async transform(code, id) {
      if (!code.includes('import.meta.url')) return null;
      const urls = findModuleUrls(code);
      if (urls.length === 0) return null;
      const references = new Map<ModuleUrl, string>();
      for (const url of urls) {
        const resolved = await this.resolve(url.specifier, id);
        // Not found: left as it is (it may be an example inside a string, or served separately).
        if (resolved === null || resolved.external) continue;
        if (url.kind === 'worker') {
          references.set(url, this.emitFile({ type: 'chunk', id: resolved.id }));
        } else if (!isScript(resolved.id)) {
          const path = resolved.id.split('?')[0]!;
          references.set(url, this.emitFile({ type: 'asset', name: basename(path), source: new Uint8Array(await readFile(path)) }));
        }
      }
      if (references.size === 0) return null;
      // Why: Rollup turns import.meta.ROLLUP_FILE_URL_<id> into the emitted file's URL,
      // relative to the chunk that holds it, whatever the output layout.
      const rewritten = replaceModuleUrls(code, urls, (url) => {
        const reference = references.get(url);
        return reference === undefined ? undefined : `new URL(import.meta.ROLLUP_FILE_URL_${reference})`;
      });
      return { code: rewritten, map: null };
    },
  };
}
