/**
 * What weft's isolation service worker does to a response, usable in a site's own service worker
 * too (a scope has one service worker, so a site that already has one adds the headers there).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors/catalogue.js';

/**
 * Request destinations whose responses decide isolation: documents (top-level and framed) and
 * worker scripts.
 *
 * Why only these: same-origin images, scripts and `.wasm` need no header under COEP, so leaving
 * them to the browser keeps range requests, streaming and caching exactly as without a worker.
 */
const ISOLATING_DESTINATIONS: ReadonlySet<string> = new Set(['document', 'iframe', 'frame', 'worker', 'sharedworker']);

/**
 * Whether a service worker must answer `request` itself to add the isolation headers: a
 * navigation or a worker script of its own `origin`.
 *
 * Why not cross-origin requests: a service worker cannot add headers to an opaque response, and
 * fetching it itself changes how it is fetched: with `COEP: credentialless` the page's own no-cors
 * requests go out without credentials, but the same request re-made by a worker carried them and
 * was blocked (https://github.com/whatwg/html/issues/7745; coi-serviceworker since strips
 * credentials itself). Left alone, the browser fetches them for the page as if there were no
 * worker, in every browser and version.
 */
export function needsIsolationHeaders(request: Request, origin: string): boolean {
  if (typeof request !== 'object' || request === null || typeof (request as { url?: unknown }).url !== 'string') {
    throw new InvalidArgumentError(`needsIsolationHeaders(request, origin): "request" must be the fetch event's Request, got ${describe(request)}.`);
  }
  if (typeof origin !== 'string') {
    throw new InvalidArgumentError(`needsIsolationHeaders(request, origin): "origin" must be the service worker's origin, e.g. self.location.origin, got ${describe(origin)}.`);
  }
  if (new URL(request.url).origin !== origin) return false;
  // Why: Chrome DevTools issues `only-if-cached` requests that throw when fetched in any other
  // mode than same-origin (https://bugs.chromium.org/p/chromium/issues/detail?id=823392).
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return false;
  return request.mode === 'navigate' || ISOLATING_DESTINATIONS.has(request.destination);
}

/**
 * A copy of `response` with `headers` set (e.g. from `isolationHeaders()`); opaque and
 * opaque-redirect responses come back unchanged, since nothing can be read from or added to them.
 *
 * Why a new Response: the headers of a fetched response are immutable. The copy is never
 * `redirected`, which Safari refuses for navigations ("Response served by service worker has
 * redirections"); a navigation's redirect arrives as an opaque redirect and the browser follows it.
 */
export function withIsolationHeaders(response: Response, headers: Readonly<Record<string, string>>): Response {
  if (!(response instanceof Response)) {
    throw new InvalidArgumentError(`withIsolationHeaders(response, headers): "response" must be a Response, got ${describe(response)}.`);
  }
  if (typeof headers !== 'object' || headers === null) {
    throw new InvalidArgumentError(`withIsolationHeaders(response, headers): "headers" must be an object of header names to values, e.g. isolationHeaders(), got ${describe(headers)}.`);
  }
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: merged });
}

function describe(value: unknown): string {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return typeof value === 'string' ? JSON.stringify(value) : String(value);
  return Object.prototype.toString.call(value);
}
