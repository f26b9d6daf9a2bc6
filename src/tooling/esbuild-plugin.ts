import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { findModuleUrls, isScript, replaceModuleUrls } from './module-urls.js';

/** The parts of esbuild's plugin API this plugin uses (esbuild's own types stay optional). */
interface EsbuildBuild {
  readonly initialOptions: { outdir?: string; outfile?: string; format?: string; [option: string]: unknown };
  readonly esbuild: { build(options: Record<string, unknown>): Promise<{ metafile?: { outputs: Record<string, { entryPoint?: string }> } }> };
  onLoad(
    options: { filter: RegExp },
    callback: (args: { path: string }) => Promise<{ contents: string; loader: 'js' | 'ts' | 'jsx' | 'tsx'; resolveDir: string } | undefined>,
  ): void;
  resolve(path: string, options: { kind: 'import-statement' | 'dynamic-import'; resolveDir: string }): Promise<{ path: string; errors: unknown[] }>;
  onEnd(callback: () => Promise<void>): void;
}

/** An esbuild plugin object. */
export interface WeftEsbuildPlugin {
  /** `'weft'`. */
  readonly name: string;
  /** esbuild's plugin entry: hooks the loading of modules and the end of the build. */
  setup(build: EsbuildBuild): void;
}

const LOADERS = { '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.ts': 'ts', '.mts': 'ts', '.tsx': 'tsx' } as const;

/**
 * esbuild leaves `new Worker(new URL('./x.js', import.meta.url))` and
 * `new URL('./file.wasm', import.meta.url)` as they are, so after bundling they point nowhere.
 * This plugin builds each such worker as a bundle of its own and copies each such file into
 * `outdir`, and points the URLs at them. Use it with `bundle: true`, `format: 'esm'` and an
 * `outdir` whose top level holds the entry bundles.
 *
 * ```js
 * import { build } from 'esbuild';
 * import { createEsbuildPlugin } from 'weft/esbuild';
 * await build({ entryPoints: ['src/main.js'], bundle: true, format: 'esm', outdir: 'dist', plugins: [createEsbuildPlugin()] });
 * ```
 */
export function createEsbuildPlugin(): WeftEsbuildPlugin {
  return createPlugin(new Map(), false);
}

/**
 * `workers`: the worker bundles of the whole build, nested builds included, by source path;
 * `nested`: this plugin runs in the build of a worker, not of the caller's entry points.
 */
function createPlugin(workers: Map<string, { name: string; built: Promise<unknown> }>, nested: boolean): WeftEsbuildPlugin {
  return {
    name: 'weft',
    setup(build) {
      const outdir = build.initialOptions.outdir ?? (build.initialOptions.outfile === undefined ? undefined : dirname(build.initialOptions.outfile));
      if (outdir === undefined) throw new Error('weft\'s esbuild plugin needs `outdir` (or `outfile`): it writes workers and files there.');

      // Why the name comes before the bundle: a worker may start itself (wasm-bindgen-rayon's
      // 1.2 helper does) or a worker of a worker, so its URL is needed while it is still being
      // built; waiting for that build there would wait for ever.
      const buildWorker = (path: string): string => {
        let worker = workers.get(path);
        if (worker === undefined) {
          const name = `${basename(path, extname(path))}-${createHash('sha256').update(path).digest('hex').slice(0, 8)}.js`;
          const { entryPoints: _entryPoints, outdir: _outdir, outfile: _outfile, splitting: _splitting, metafile: _metafile, plugins: _plugins, ...options } = build.initialOptions;
          const built = build.esbuild.build({ ...options, entryPoints: [path], outfile: join(outdir, name), bundle: true, format: 'esm', write: true, plugins: [createPlugin(workers, true)] });
          // Awaited by the entry build's onEnd; until then a failure must not count as unhandled.
          built.catch(() => {});
          worker = { name, built };
          workers.set(path, worker);
        }
        return worker.name;
      };

      const copyAsset = async (path: string): Promise<string> => {
        const bytes = await readFile(path);
        const name = `${basename(path, extname(path))}-${createHash('sha256').update(bytes).digest('hex').slice(0, 8)}${extname(path)}`;
        await mkdir(outdir, { recursive: true });
        await copyFile(path, join(outdir, name));
        return name;
      };

      // The entry build ends once every worker bundle (started by it or by those) is written.
      // Why only there: a worker's own build waiting for all would wait for itself.
      if (!nested) {
        build.onEnd(async () => {
          let settled = -1;
          while (settled < workers.size) {
            settled = workers.size;
            await Promise.all([...workers.values()].map((worker) => worker.built));
          }
        });
      }

      build.onLoad({ filter: /\.(?:m?js|cjs|jsx|m?ts|tsx)$/ }, async (args) => {
        const code = await readFile(args.path, 'utf8');
        if (!code.includes('import.meta.url')) return undefined;
        const urls = findModuleUrls(code);
        if (urls.length === 0) return undefined;
        const resolveDir = dirname(args.path);
        const names = new Map<number, string>();
        for (const url of urls) {
          const target = resolve(resolveDir, url.specifier.split('?')[0]!);
          if (url.kind === 'worker') {
            const resolved = await build.resolve(url.specifier, { kind: 'dynamic-import', resolveDir });
            if (resolved.errors.length === 0) names.set(url.start, buildWorker(resolved.path));
          } else if (!isScript(target)) {
            names.set(url.start, await copyAsset(target).catch(() => ''));
          }
        }
        // Why: the entry bundles sit at the top of outdir, next to what was written there.
        const contents = replaceModuleUrls(code, urls, (url) => {
          const name = names.get(url.start);
          return name ? `new URL(${JSON.stringify(`./${name}`)}, import.meta.url)` : undefined;
        });
        return { contents, loader: LOADERS[extname(args.path) as keyof typeof LOADERS] ?? 'js', resolveDir };
      });
    },
  };
}
