/**
 * `weft/vite`: a Vite plugin that makes the dev server (`vite`) and the preview server
 * (`vite preview`) send the cross-origin isolation headers.
 *
 * ```js
 * // vite.config.js
 * import { createIsolationPlugin } from 'weft/vite';
 * export default { plugins: [createIsolationPlugin()] };
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
  middlewares: { use(handler: IsolationMiddleware): unknown };
}

/** The plugin object {@link createIsolationPlugin} returns; it fits Vite's `plugins` array. */
export interface IsolationPlugin {
  /** `'weft:isolation'`. */
  name: string;
  /** Adds the middleware to `vite` (the dev server) before Vite's own. */
  configureServer(server: MiddlewareServer): void;
  /** Adds the middleware to `vite preview` before Vite's own. */
  configurePreviewServer(server: MiddlewareServer): void;
}

/**
 * Creates the Vite plugin. It adds {@link createIsolationMiddleware}'s middleware ahead of Vite's
 * own on the dev and preview servers, so every response (pages, modules, workers, `.wasm`)
 * carries the headers; builds are not changed (a host serves those: see weft's README).
 *
 * @param options - the headers to send, as for {@link createIsolationMiddleware}.
 * @throws InvalidOptionError when an option is not one of its values.
 */
export function createIsolationPlugin(options: IsolationMiddlewareOptions = {}): IsolationPlugin {
  const middleware = createIsolationMiddleware(options);
  return {
    name: 'weft:isolation',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
