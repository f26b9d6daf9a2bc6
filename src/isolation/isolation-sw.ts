/**
 * `isolation-sw.js` (shipped as `weft/isolation-sw.js`): the opt-in service worker that makes
 * pages cross-origin isolated on static hosts that cannot send headers. Built into one classic
 * script (no imports) that the site serves at its root, because a service worker controls only
 * the pages at or below its own folder.
 *
 * The same file works two ways:
 * - as the service worker: it answers navigations and worker scripts of its origin with the
 *   COOP/COEP/CORP headers added; the COEP value comes from its own URL (`?coep=credentialless`),
 *   which survives the browser stopping and restarting the worker, unlike a value posted to it;
 * - as a page script, `<script src="/isolation-sw.js"></script>` (optionally with
 *   `data-coep="credentialless"`): it calls `registerIsolationServiceWorker` for its own URL and
 *   leaves the outcome's promise in `window.weftIsolation`.
 *
 * @module
 */
import { type CoepValue, DEFAULT_COEP, isCoepValue, isolationHeaders } from './isolation-headers.js';
import { registerIsolationServiceWorker, type IsolationServiceWorkerResult } from './register-service-worker.js';
import { needsIsolationHeaders, withIsolationHeaders } from './service-worker-response.js';

/** The part of `ExtendableEvent` used here (the DOM library has no service worker types). */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

/** The part of `FetchEvent` used here. */
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}

/** The part of `ServiceWorkerGlobalScope` used here. */
interface ServiceWorkerScope {
  readonly location: { readonly href: string; readonly origin: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

/** Runs as the service worker. */
function serveIsolated(scope: ServiceWorkerScope): void {
  const requested = new URL(scope.location.href).searchParams.get('coep');
  const headers = isolationHeaders({ coep: isCoepValue(requested) ? requested : DEFAULT_COEP });

  // Why skipWaiting and claim: the page reloads once to be served by this worker; without them
  // a new worker would wait until every tab of the site closed.
  scope.addEventListener('install', () => {
    void scope.skipWaiting();
  });
  scope.addEventListener('activate', (event) => {
    event.waitUntil(scope.clients.claim());
  });
  scope.addEventListener('fetch', (event) => {
    if (!needsIsolationHeaders(event.request, scope.location.origin)) return;
    // A failed fetch rejects, which the page sees as the same network error it would see without
    // the worker (coi-serviceworker resolved it to undefined, a TypeError in the page instead).
    event.respondWith(fetch(event.request).then((response) => withIsolationHeaders(response, headers)));
  });
}

/** Runs as `<script src="/isolation-sw.js">` in a page. */
function registerFromPage(): void {
  const script = document.currentScript;
  if (!(script instanceof HTMLScriptElement) || script.src === '') {
    console.warn('weft: load isolation-sw.js with a classic <script src="/isolation-sw.js">, not as a module or inline.');
    return;
  }
  const url = new URL(script.src);
  const coep = script.dataset['coep'] ?? url.searchParams.get('coep') ?? undefined;
  url.search = '';
  const outcome = registerIsolationServiceWorker({
    url,
    ...(coep === undefined ? {} : { coep: coep as CoepValue }),
    ...(script.dataset['scope'] === undefined ? {} : { scope: script.dataset['scope'] }),
  });
  (globalThis as { weftIsolation?: Promise<IsolationServiceWorkerResult> }).weftIsolation = outcome;
  outcome.then(
    (result) => {
      if (result.status === 'failed' || result.status === 'unsupported') console.warn(`weft isolation: ${result.reason}`);
    },
    (error: unknown) => console.error('weft isolation:', error),
  );
}

if (typeof document !== 'undefined') {
  registerFromPage();
} else if (typeof (globalThis as Partial<ServiceWorkerScope>).skipWaiting === 'function') {
  serveIsolated(globalThis as unknown as ServiceWorkerScope);
}
