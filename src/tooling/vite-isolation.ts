/**
 * `weft/vite`: a Vite plugin that makes the dev server (`vite`) and the preview server
 * (`vite preview`) send the cross-origin isolation headers, builds workers as ES modules, and
 * keeps weft out of Vite's dependency pre-bundling.
 *
 * ```js
 * // vite.config.js
 * import { createVitePlugin } from 'weft/vite';
 * export default { plugins: [createVitePlugin()] };
 * ```
 *
 * @module
 */
import { createIsolationMiddleware, type IsolationMiddleware, type IsolationMiddlewareOptions } from './middleware.js';

export type {
  CoepValue, CorpValue, IsolationHeaderOptions, IsolationMiddlewareOptions, IsolationPolicy,
} from './middleware.js';

/**
 * The part of Vite's dev and preview servers the plugin uses: their Connect middleware stack.
 *
 * Why structural: weft does not depend on Vite's types; every Vite since 3 passes a server with
 * `middlewares.use` to `configureServer` and `configurePreviewServer`.
 */
export interface MiddlewareServer {
  middlewares: {
    /** Adds a Connect middleware to the server's stack. */
    use(handler: IsolationMiddleware): unknown;
  };
}

/** The plugin object {@link createVitePlugin} returns; it fits Vite's `plugins` array. */
export interface WeftVitePlugin {
  /** `'weft'`. */
  name: string;
  /** Vite settings weft needs, merged into the user's. */
  config(): { worker: { format: 'es' }; optimizeDeps: { exclude: string[] } };
  /** Adds the middleware to `vite` (the dev server) before Vite's own. */
  configureServer(server: MiddlewareServer): void;
  /** Adds the middleware to `vite preview` before Vite's own. */
  configurePreviewServer(server: MiddlewareServer): void;
}

/**
 * Creates the Vite plugin. It adds {@link createIsolationMiddleware}'s middleware ahead of Vite's
 * own on the dev and preview servers, so every response (pages, modules, workers, `.wasm`)
 * carries the headers (a host serves built files: see weft's README), and sets
 * `worker.format: 'es'` and `optimizeDeps.exclude: ['weft']`.
 *
 * @param options - the headers to send, as for {@link createIsolationMiddleware}.
 * @throws InvalidOptionError when an option is not one of its values.
 */
export function createVitePlugin(options: IsolationMiddlewareOptions = {}): WeftVitePlugin {
  const middleware = createIsolationMiddleware(options);
  return {
    name: 'weft',
    config() {
      // Why: weft's workers and wasm-bindgen threads are module workers (Vite's default worker
      // format is 'iife', which cannot hold `import`); and Vite's dev-time pre-bundling moves
      // dependencies into .vite/deps, after which `new URL('../../worker/browser-entry.js',
      // import.meta.url)` inside weft points at nothing.
      return { worker: { format: 'es' }, optimizeDeps: { exclude: ['weft'] } };
    },
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
