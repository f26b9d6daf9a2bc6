/**
 * `weft/middleware`: cross-origin isolation for Node.js servers, as one function that works as
 * a Connect and Express middleware and inside a plain `node:http` handler.
 *
 * ```js
 * app.use(createIsolationMiddleware());                     // Express, Connect
 * http.createServer((req, res) => { isolate(req, res); … }) // node:http
 * ```
 *
 * @module
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { InvalidOptionError } from '../errors/catalogue.js';
import { checkIsolationHeaderOptions, isolationHeaders } from '../isolation/isolation-headers.js';
import type { IsolationHeaderOptions } from '../isolation/isolation-headers.js';
import { DEFAULT_CONTENT_TYPE, essentialContentTypeFor } from './content-types.js';

export {
  COEP_VALUES, CORP_VALUES, ISOLATION_POLICIES, isolationHeaders,
  type CoepValue, type CorpValue, type IsolationHeaderOptions, type IsolationPolicy,
} from '../isolation/isolation-headers.js';

/** Options for {@link createIsolationMiddleware}. */
export interface IsolationMiddlewareOptions extends IsolationHeaderOptions {
  /**
   * Repair the content type of `.wasm`, `.js` and `.mjs` responses that go out with none or as
   * `application/octet-stream` (which stop `WebAssembly.compileStreaming` and module workers);
   * a type set on purpose is never changed. Default true.
   */
  contentTypes?: boolean;
}

/**
 * A Connect / Express middleware, also callable as `isolate(req, res)` at the top of a
 * `node:http` handler (then `next` is left out).
 */
export type IsolationMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * Creates a middleware that sends the cross-origin isolation headers (COOP `same-origin`, COEP
 * `require-corp` and CORP `same-origin` by default; see {@link IsolationHeaderOptions}) with
 * every response, so the pages it serves can run weft pools.
 *
 * The headers are set before the rest of the chain runs, so a later middleware or route may
 * still change them for its own responses.
 *
 * @throws InvalidOptionError when an option is not one of its values.
 */
export function createIsolationMiddleware(options: IsolationMiddlewareOptions = {}): IsolationMiddleware {
  const headers = Object.entries(isolationHeaders(checkIsolationHeaderOptions(options)));
  const { contentTypes = true } = options;
  if (typeof contentTypes !== 'boolean') {
    throw new InvalidOptionError('contentTypes', `"contentTypes" must be a boolean; got ${String(contentTypes)}.`);
  }
  return function isolationMiddleware(req, res, next) {
    if (!res.headersSent) {
      for (const [name, value] of headers) res.setHeader(name, value);
      if (contentTypes) repairContentType(req, res);
    }
    next?.();
  };
}

/**
 * Makes sure a `.wasm`, `.js` or `.mjs` response that succeeds leaves with its real content type
 * when whatever answers it sets none or the generic one.
 *
 * Why at `writeHead`: the type is only known once the handler down the chain chose it; Node calls
 * `res.writeHead` for every response, also implicitly from the first `write` or `end`.
 */
function repairContentType(req: IncomingMessage, res: ServerResponse): void {
  const pathname = (req.url ?? '/').split(/[?#]/, 1)[0]!;
  const type = essentialContentTypeFor(pathname);
  if (type === undefined) return;
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithType(this: ServerResponse, ...args: unknown[]) {
    const status = typeof args[0] === 'number' ? args[0] : this.statusCode;
    const given = args.find((arg): arg is OutgoingHttpHeaders | unknown[] => typeof arg === 'object' && arg !== null);
    if ((status === 200 || status === 206) && !setsContentType(given) && isGeneric(this.getHeader('content-type'))) {
      this.setHeader('Content-Type', type);
    }
    return (writeHead as (...rest: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
}

/** Whether headers passed to `writeHead` (an object or a flat name/value array) name a content type. */
function setsContentType(headers: OutgoingHttpHeaders | unknown[] | undefined): boolean {
  if (headers === undefined) return false;
  const names = Array.isArray(headers)
    ? headers.filter((_, index) => index % 2 === 0)
    : Object.keys(headers);
  return names.some((name) => String(name).toLowerCase() === 'content-type');
}

function isGeneric(type: ReturnType<ServerResponse['getHeader']>): boolean {
  return type === undefined || type === '' || String(type).toLowerCase().startsWith(DEFAULT_CONTENT_TYPE);
}
