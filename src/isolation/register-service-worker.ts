/**
 * The page's side of weft's isolation service worker (`isolation-sw.js`), for static hosts that
 * cannot send headers (GitHub Pages and the like): register it, reload once so that it serves
 * the page with COOP/COEP, and never more than once.
 *
 * Why each guard, from what users of coi-serviceworker ran into
 * (https://github.com/gzuidhof/coi-serviceworker/issues/5, /issues/24, /issues/30, /pull/25):
 * - an endless reload when the worker cannot isolate the page (no service workers in Firefox
 *   private windows, a worker that does not control the page, a browser that ignores the
 *   headers): weft reloads at most once per tab session, remembered in `sessionStorage`, and
 *   without `sessionStorage` it does not reload at all;
 * - reloads on every worker update: weft never reloads for an update;
 * - `credentialless` in Safari, which does not support it: weft falls back to `require-corp`
 *   where the browser is not known to support `credentialless`;
 * - nothing to do when the page is already isolated (by real headers or by the worker);
 * - a way out: {@link unregisterIsolationServiceWorker}.
 *
 * @module
 */
import { InvalidOptionError } from '../errors/catalogue.js';
import { type CoepValue, COEP_VALUES, DEFAULT_COEP, isCoepValue } from './isolation-headers.js';

/** The file name of weft's isolation service worker, as shipped in `weft/isolation-sw.js`. */
export const SERVICE_WORKER_FILE = 'isolation-sw.js';

/** The `sessionStorage` key prefix that remembers the one reload. */
const RELOAD_KEY = 'weft-isolation-reloaded:';

/** How long to wait for a newly registered worker to activate. */
const ACTIVATION_TIMEOUT_MS = 10_000;

/** Options for {@link registerIsolationServiceWorker}. */
export interface RegisterIsolationServiceWorkerOptions {
  /**
   * Where your site serves `isolation-sw.js` (copied from `weft/isolation-sw.js`), e.g.
   * `'/isolation-sw.js'`; relative URLs resolve against the page. The worker controls only pages
   * at or below its folder, so serve it from your site's root (or the app's folder).
   */
  url: string | URL;
  /**
   * The COEP value the worker sends; default `require-corp`. `credentialless` lets the page embed
   * cross-origin images and scripts that send no CORP header (loaded without cookies); where the
   * browser is not known to support it (Safari), `require-corp` is used instead.
   */
  coep?: CoepValue;
  /** The registration's scope; default the folder of `url`. */
  scope?: string;
  /** Reload the page once the worker is active (needed to become isolated); default true. */
  reload?: boolean;
}

/**
 * What {@link registerIsolationServiceWorker} did:
 * - `'isolated'`: the page is already cross-origin isolated; nothing else to do;
 * - `'reloading'`: the worker is active and the page is reloading (once) to be served by it;
 * - `'registered'`: the worker is active; the page becomes isolated when next loaded
 *   (`reload: false`, or no `sessionStorage` to guard a reload with);
 * - `'unsupported'`: this browser or context cannot do it (no service workers, not a secure context);
 * - `'failed'`: registration failed, or the page is still not isolated after the one reload; `reason` says why.
 */
export type IsolationServiceWorkerStatus = 'isolated' | 'reloading' | 'registered' | 'unsupported' | 'failed';

/** The outcome of {@link registerIsolationServiceWorker}. */
export interface IsolationServiceWorkerResult {
  status: IsolationServiceWorkerStatus;
  /** One sentence that says what happened and, when it did not work, what to do. */
  reason: string;
  /** The COEP value the worker was registered with (absent when nothing was registered). */
  coep?: CoepValue;
  /** The registration, when one was made. */
  registration?: ServiceWorkerRegistration;
  /** The error that made registration fail. */
  error?: unknown;
}

/**
 * Makes the page cross-origin isolated with weft's service worker where the host cannot send
 * the headers. Call it before anything that needs isolation, and go on only when it resolves to
 * `status: 'isolated'`; on `'reloading'` the page is about to reload.
 *
 * Nothing happens when the page is already isolated. Otherwise the worker is registered, and
 * once active the page reloads once; after that reload the worker serves every page in its scope
 * with COOP/COEP, for good (see {@link unregisterIsolationServiceWorker}). A page that is still
 * not isolated after its one reload in this tab resolves to `'failed'` instead of reloading again.
 *
 * @throws InvalidOptionError when an option has the wrong type or value.
 */
export async function registerIsolationServiceWorker(
  options: RegisterIsolationServiceWorkerOptions,
): Promise<IsolationServiceWorkerResult> {
  const { url, scope, reload = true } = checkOptions(options);
  const container = globalThis.navigator?.serviceWorker;
  const scriptUrl = parseUrl(url);
  const key = `${RELOAD_KEY}${scriptUrl.pathname}`;
  const storage = sessionStorageOrUndefined();
  const coep = options.coep === 'credentialless' && !supportsCredentiallessCoep() ? 'require-corp' : (options.coep ?? DEFAULT_COEP);
  if (coep !== DEFAULT_COEP) scriptUrl.searchParams.set('coep', coep);

  if (globalThis.crossOriginIsolated === true) {
    storage?.removeItem(key);
    const controller = container?.controller ?? null;
    if (controller !== null && controller.scriptURL !== scriptUrl.href && new URL(controller.scriptURL).pathname === scriptUrl.pathname) {
      // The worker serving the page was registered with another COEP: switch it over without a
      // reload; the next page load gets the new value.
      container!.register(scriptUrl.href, scope === undefined ? undefined : { scope }).catch(() => {});
    }
    return { status: 'isolated', reason: 'The page is cross-origin isolated.' };
  }
  if (typeof globalThis.crossOriginIsolated !== 'boolean' || typeof document === 'undefined') {
    return { status: 'unsupported', reason: 'This is not a browser page that knows cross-origin isolation (crossOriginIsolated is undefined).' };
  }
  if (!globalThis.isSecureContext) {
    return { status: 'unsupported', reason: `Service workers need a secure context (https, or http://localhost); ${location.origin} is not one.` };
  }
  if (container === undefined) {
    return { status: 'unsupported', reason: 'This browser offers no service workers here (e.g. a Firefox private window), so it cannot be isolated without server headers.' };
  }

  let registration: ServiceWorkerRegistration;
  try {
    registration = await container.register(scriptUrl.href, scope === undefined ? undefined : { scope });
  } catch (error) {
    return { status: 'failed', coep, error, reason: `Registering the service worker ${scriptUrl.href} failed: ${describe(error)}` };
  }
  if (!location.href.startsWith(registration.scope)) {
    return {
      status: 'failed', coep, registration,
      reason: `The service worker's scope ${registration.scope} does not cover this page; serve ${SERVICE_WORKER_FILE} from a folder at or above ${location.pathname}.`,
    };
  }
  if (storage !== undefined && storage.getItem(key) !== null) {
    // Why: the one reload already happened in this tab and did not isolate the page; reloading
    // again is how coi-serviceworker loops forever.
    const reason = container.controller === null
      ? 'The page reloaded once but the service worker does not control it (a hard reload bypasses service workers): reload normally.'
      : 'The page reloaded once under the service worker and is still not cross-origin isolated: call explainIsolation() to see why.';
    return { status: 'failed', coep, registration, reason };
  }
  try {
    await whenActive(registration);
  } catch (error) {
    return { status: 'failed', coep, registration, error, reason: describe(error) };
  }
  if (!reload || storage === undefined) {
    return {
      status: 'registered', coep, registration,
      reason: reload
        ? 'The service worker is active, but without sessionStorage weft does not reload (it could not guard against a reload loop): reload the page to isolate it.'
        : 'The service worker is active: the page is isolated from its next load.',
    };
  }
  storage.setItem(key, String(Date.now()));
  location.reload();
  return { status: 'reloading', coep, registration, reason: 'The service worker is active; the page reloads once to be served by it.' };
}

/** Options for {@link unregisterIsolationServiceWorker}. */
export interface UnregisterIsolationServiceWorkerOptions {
  /** The worker's URL as registered; default: any registration whose script is named `isolation-sw.js`. */
  url?: string | URL;
}

/**
 * Removes weft's isolation service worker (e.g. once the host sends real headers). Pages it
 * serves now stay isolated until they are loaded again.
 *
 * @returns how many registrations were removed.
 * @throws InvalidOptionError when the options are not an object or `url` is not a URL.
 */
export async function unregisterIsolationServiceWorker(options: UnregisterIsolationServiceWorkerOptions = {}): Promise<number> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', `unregisterIsolationServiceWorker takes an options object such as { url: '/isolation-sw.js' }, or nothing; got ${String(options)}.`);
  }
  if (options.url !== undefined && typeof options.url !== 'string' && !(options.url instanceof URL)) {
    throw new InvalidOptionError('url', `"url" must be the URL the worker was registered with, e.g. '/isolation-sw.js'; got ${String(options.url)}.`);
  }
  // Why before looking for service workers: a bad URL is the caller's mistake wherever this runs.
  const wanted = options.url === undefined ? undefined : parseUrl(options.url).pathname;
  const container = globalThis.navigator?.serviceWorker;
  if (container === undefined) return 0;
  const storage = sessionStorageOrUndefined();
  let removed = 0;
  for (const registration of await container.getRegistrations()) {
    const script = (registration.active ?? registration.waiting ?? registration.installing)?.scriptURL;
    if (script === undefined) continue;
    const { pathname } = new URL(script);
    if (wanted === undefined ? !pathname.endsWith(`/${SERVICE_WORKER_FILE}`) : pathname !== wanted) continue;
    if (await registration.unregister()) removed += 1;
    storage?.removeItem(`${RELOAD_KEY}${pathname}`);
  }
  return removed;
}

/**
 * Whether this browser is known to support `Cross-Origin-Embedder-Policy: credentialless`:
 * Chromium 96+ and Firefox 119+. Safari is not (as of 2025).
 *
 * Why guess: there is no feature test for a header value. Chromium 110+ exposes
 * `HTMLIFrameElement.prototype.credentialless`; Firefox is recognised by its user agent.
 */
export function supportsCredentiallessCoep(): boolean {
  if (typeof HTMLIFrameElement !== 'undefined' && 'credentialless' in HTMLIFrameElement.prototype) return true;
  const firefox = /\bFirefox\/(\d+)/.exec(globalThis.navigator?.userAgent ?? '');
  return firefox !== null && Number(firefox[1]) >= 119;
}

function checkOptions(options: RegisterIsolationServiceWorkerOptions): RegisterIsolationServiceWorkerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'registerIsolationServiceWorker needs an options object: { url: \'/isolation-sw.js\' }.');
  }
  const { url, coep, scope, reload } = options;
  if (typeof url !== 'string' && !(url instanceof URL)) {
    throw new InvalidOptionError('url', `"url" must be the URL your site serves isolation-sw.js at, e.g. '/isolation-sw.js'; got ${String(url)}.`);
  }
  if (coep !== undefined && !isCoepValue(coep)) {
    throw new InvalidOptionError('coep', `"coep" must be one of ${COEP_VALUES.join(', ')}; got ${JSON.stringify(coep)}.`);
  }
  if (scope !== undefined && typeof scope !== 'string') {
    throw new InvalidOptionError('scope', `"scope" must be a string; got ${String(scope)}.`);
  }
  if (reload !== undefined && typeof reload !== 'boolean') {
    throw new InvalidOptionError('reload', `"reload" must be a boolean; got ${String(reload)}.`);
  }
  return options;
}

/** Resolves once the registration has an active worker; rejects if it turns redundant or takes too long. */
function whenActive(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active !== null) return Promise.resolve();
  const worker = registration.installing ?? registration.waiting;
  if (worker === null) return Promise.reject(new Error('The service worker registration has no worker.'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.removeEventListener('statechange', onChange);
      reject(new Error(`The service worker did not activate within ${ACTIVATION_TIMEOUT_MS / 1000} s.`));
    }, ACTIVATION_TIMEOUT_MS);
    function onChange(): void {
      if (worker!.state !== 'activated' && worker!.state !== 'redundant') return;
      clearTimeout(timer);
      worker!.removeEventListener('statechange', onChange);
      if (worker!.state === 'activated') resolve();
      else reject(new Error('The service worker failed to install (it turned redundant): check that the URL serves isolation-sw.js as JavaScript.'));
    }
    worker.addEventListener('statechange', onChange);
    onChange();
  });
}

/**
 * `sessionStorage`, or undefined where reading it throws.
 *
 * Why: storage access throws in sandboxed frames and where the user blocks site data.
 */
function sessionStorageOrUndefined(): Storage | undefined {
  try {
    const storage = globalThis.sessionStorage;
    storage.getItem(RELOAD_KEY);
    return storage;
  } catch {
    return undefined;
  }
}

/** `url` resolved against the page; InvalidOptionError when it is not a URL. */
function parseUrl(url: string | URL): URL {
  try {
    return new URL(url, baseUrl());
  } catch (error) {
    throw new InvalidOptionError('url', `"url" ${JSON.stringify(String(url))} is not a valid URL (${(error as Error).message}); pass the path your site serves isolation-sw.js at, e.g. '/isolation-sw.js'.`);
  }
}

function baseUrl(): string | undefined {
  return typeof document !== 'undefined' ? document.baseURI : globalThis.location?.href;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
