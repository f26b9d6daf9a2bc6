/**
 * `explainIsolation()`: says in words why a page is not cross-origin isolated, or that it is.
 *
 * @module
 */
import { MAX_TIMER_MS } from '../core/option-checks.js';
import { InvalidOptionError } from '../errors/catalogue.js';
import {
  COEP_HEADER, COEP_VALUES, COOP_HEADER, COOP_SAME_ORIGIN, CORP_HEADER, DIP_HEADER, DIP_VALUES, headerToken,
  type CoepValue,
} from './isolation-headers.js';
import {
  type DocumentHeaders, formatIsolationReport, type IsolationMechanism, type IsolationProblem, type IsolationReport,
} from './isolation-report.js';
import { SERVICE_WORKER_FILE, supportsCredentiallessCoep } from './register-service-worker.js';
import { checkResources, type EnforcedPolicy } from './resource-checks.js';

/** Options for {@link explainIsolation}. */
export interface ExplainIsolationOptions {
  /** Check the page's cross-origin resources against its embedder policy; default true. */
  resources?: boolean;
  /** How long each request it makes may take, in ms, up to 2^31 - 1 (what a timer can wait); default 5,000. */
  timeout?: number;
  /** The most cross-origin resources it requests; default 50. */
  maxResources?: number;
}

/**
 * Explains the page's cross-origin isolation: whether it is isolated and how; if not, which
 * header its document lacks or has wrong and what else stands in the way (not a secure context,
 * a frame, a permissions policy, a service worker that was bypassed); and which cross-origin
 * resources its embedder policy blocks. `text` says it all in words:
 *
 * ```js
 * import { explainIsolation } from 'weft/isolation';
 * console.log((await explainIsolation()).text);
 * ```
 *
 * It requests the page's URL again (a `HEAD`, or a `GET` where that is refused) to read the
 * headers, and each cross-origin resource the page loads without CORS, in no-cors mode, to see
 * whether the page's policy admits it.
 *
 * @throws InvalidOptionError when an option has the wrong type or range.
 */
export async function explainIsolation(options: ExplainIsolationOptions = {}): Promise<IsolationReport> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', `explainIsolation() takes an options object such as { timeout: 5000 }, or nothing; got ${String(options)}.`);
  }
  const { resources: checkTheResources = true, timeout = 5_000, maxResources = 50 } = options;
  if (typeof checkTheResources !== 'boolean') {
    throw new InvalidOptionError('resources', `"resources" must be a boolean; got ${String(checkTheResources)}.`);
  }
  if (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMER_MS) {
    throw new InvalidOptionError('timeout', `"timeout" must be a positive number of milliseconds up to ${MAX_TIMER_MS} (what a timer can wait); got ${String(timeout)}.`);
  }
  if (!Number.isInteger(maxResources) || maxResources < 0) {
    throw new InvalidOptionError('maxResources', `"maxResources" must be a non-negative integer; got ${String(maxResources)}.`);
  }
  const isolated = globalThis.crossOriginIsolated === true;
  const base = {
    isolated,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    secureContext: globalThis.isSecureContext === true,
  };
  if (typeof document === 'undefined' || typeof location === 'undefined') {
    const report = {
      ...base,
      document: { url: '', read: false, error: 'not a page' },
      controlledByServiceWorker: false,
      servedByServiceWorker: false,
      resources: [],
      problems: [{ code: 'not-a-page', message: 'explainIsolation() explains a browser page; this is not one.', fix: 'Call it in the page (its main thread).' }],
    } satisfies Omit<IsolationReport, 'text'>;
    return { ...report, text: formatIsolationReport(report) };
  }

  const headers = await readDocumentHeaders(timeout);
  const controller = globalThis.navigator?.serviceWorker?.controller ?? null;
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const servedByServiceWorker = (navigation?.workerStart ?? 0) > 0;
  const mechanism = isolated ? findMechanism(headers, controller !== null && servedByServiceWorker) : undefined;
  const policy = enforcedPolicy(isolated, mechanism, headers, controller);
  const resources = checkTheResources ? await checkResources(policy, timeout, maxResources) : [];

  const problems = isolated ? [] : await findProblems(headers, controller, servedByServiceWorker);
  for (const resource of resources) {
    if (resource.status !== 'blocked') continue;
    problems.push({ code: 'resource-blocked', message: `${resource.url} (${resource.loadedBy}) ${resource.reason}`, fix: resource.fix ?? '' });
  }
  const report = {
    ...base,
    ...(mechanism === undefined ? {} : { mechanism }),
    document: headers,
    controlledByServiceWorker: controller !== null,
    servedByServiceWorker,
    resources,
    problems,
  };
  return { ...report, text: formatIsolationReport(report) };
}

/** Requests the page's URL again and reads its isolation headers. */
async function readDocumentHeaders(timeoutMs: number): Promise<DocumentHeaders> {
  const url = location.href.split('#', 1)[0]!;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const init: RequestInit = { cache: 'no-store', credentials: 'same-origin', signal: controller.signal };
  try {
    let response = await fetch(url, { ...init, method: 'HEAD' });
    if (response.status === 405 || response.status === 501) {
      // Why: some servers refuse HEAD; the page itself came with a GET.
      response = await fetch(url, init);
      void response.body?.cancel().catch(() => {});
    }
    const get = (name: string): string | undefined => response.headers.get(name) ?? undefined;
    return {
      url,
      read: true,
      status: response.status,
      coop: get(COOP_HEADER),
      coopReportOnly: get(`${COOP_HEADER}-Report-Only`),
      coep: get(COEP_HEADER),
      coepReportOnly: get(`${COEP_HEADER}-Report-Only`),
      documentIsolationPolicy: get(DIP_HEADER),
      permissionsPolicy: get('Permissions-Policy'),
    };
  } catch (error) {
    return { url, read: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** How an isolated page got isolated, judged from its headers. */
function findMechanism(headers: DocumentHeaders, servedByServiceWorker: boolean): IsolationMechanism | undefined {
  if (headerToken(headers.coop) === COOP_SAME_ORIGIN && isCoep(headerToken(headers.coep))) return 'coop-coep';
  if (dipCoep(headers.documentIsolationPolicy) !== undefined) return 'document-isolation-policy';
  if (servedByServiceWorker) return 'service-worker';
  return undefined;
}

/** The embedder policy the page's subresources are held to. */
function enforcedPolicy(
  isolated: boolean,
  mechanism: IsolationMechanism | undefined,
  headers: DocumentHeaders,
  controller: ServiceWorker | null,
): EnforcedPolicy {
  const coep = headerToken(headers.coep);
  // Why: COEP applies to subresources even on a page without COOP (so not isolated).
  if (isCoep(coep)) return coep;
  if (mechanism === 'document-isolation-policy') return dipCoep(headers.documentIsolationPolicy)!;
  if (mechanism === 'service-worker' && controller !== null && isWeftWorker(controller)) {
    return new URL(controller.scriptURL).searchParams.get('coep') === 'credentialless' ? 'credentialless' : 'require-corp';
  }
  return isolated ? 'unknown' : 'none';
}

/** Why a page that is not isolated is not, most basic first. */
async function findProblems(
  headers: DocumentHeaders,
  controller: ServiceWorker | null,
  servedByServiceWorker: boolean,
): Promise<IsolationProblem[]> {
  const problems: IsolationProblem[] = [];
  if (!globalThis.isSecureContext) {
    problems.push({
      code: 'insecure-context',
      message: `${location.origin} is not a secure context, and browsers ignore COOP and COEP there.`,
      fix: 'Serve the page over https, or open it as http://localhost or http://127.0.0.1 during development.',
    });
  }
  if (!headers.read) {
    problems.push({
      code: 'headers-unreadable',
      message: `The page's headers could not be read (${headers.error}).`,
      fix: 'Check the response headers of the page in the network panel of the developer tools.',
    });
  }
  const coop = headerToken(headers.coop);
  const coep = headerToken(headers.coep);
  const dip = dipCoep(headers.documentIsolationPolicy);
  if (headers.read && dip !== undefined) {
    problems.push({
      code: 'document-isolation-policy-ignored',
      message: `The page sends "${DIP_HEADER}: ${headers.documentIsolationPolicy}", which this browser ignores (only Chromium 137+ knows it).`,
      fix: `Send "${COOP_HEADER}: same-origin" and "${COEP_HEADER}: ${dip}" as well, for the other browsers.`,
    });
  }
  if (headers.read && coop === undefined) {
    const reportOnly = headers.coopReportOnly === undefined ? '' : ` (only ${COOP_HEADER}-Report-Only, which merely reports)`;
    problems.push({
      code: 'coop-missing',
      message: `The page is served without ${COOP_HEADER}${reportOnly}.`,
      fix: `Send "${COOP_HEADER}: ${COOP_SAME_ORIGIN}" with the page.`,
    });
  } else if (headers.read && coop !== COOP_SAME_ORIGIN) {
    problems.push({
      code: 'coop-value',
      message: `The page is served with "${COOP_HEADER}: ${headers.coop}"; isolation needs "${COOP_SAME_ORIGIN}".`,
      fix: `Send "${COOP_HEADER}: ${COOP_SAME_ORIGIN}" (popups to other sites then lose their opener; Document-Isolation-Policy avoids that in Chromium).`,
    });
  }
  if (headers.read && coep === undefined) {
    const reportOnly = headers.coepReportOnly === undefined ? '' : ` (only ${COEP_HEADER}-Report-Only, which merely reports)`;
    problems.push({
      code: 'coep-missing',
      message: `The page is served without ${COEP_HEADER}${reportOnly}.`,
      fix: `Send "${COEP_HEADER}: require-corp" (or "credentialless", which also admits cross-origin images and scripts without ${CORP_HEADER}) with the page and its worker scripts.`,
    });
  } else if (headers.read && !isCoep(coep)) {
    problems.push({
      code: 'coep-value',
      message: `The page is served with "${COEP_HEADER}: ${headers.coep}"; isolation needs ${COEP_VALUES.join(' or ')}.`,
      fix: `Send "${COEP_HEADER}: require-corp" (or "credentialless").`,
    });
  } else if (coep === 'credentialless' && !supportsCredentiallessCoep()) {
    problems.push({
      code: 'credentialless-unsupported',
      message: `The page sends "${COEP_HEADER}: credentialless", which this browser does not support (Safari does not).`,
      fix: `Send "${COEP_HEADER}: require-corp" instead, with "${CORP_HEADER}: cross-origin" on the cross-origin resources.`,
    });
  }
  if (window.self !== window.top) {
    problems.push({
      code: 'framed',
      message: 'The page is in a frame, which is isolated only if the page that embeds it is isolated too and lets it be.',
      fix: 'Isolate the embedding page as well; a cross-origin frame also needs allow="cross-origin-isolated" on its iframe element.',
    });
  }
  const featurePolicy = (document as { featurePolicy?: { allowsFeature?(name: string): boolean } }).featurePolicy;
  if (featurePolicy?.allowsFeature?.('cross-origin-isolated') === false || /cross-origin-isolated=\(\)/.test(headers.permissionsPolicy ?? '')) {
    problems.push({
      code: 'permissions-policy',
      message: 'A permissions policy turns off the cross-origin-isolated feature for this page.',
      fix: 'Remove cross-origin-isolated=() from the Permissions-Policy header (or from the iframe\'s allow attribute).',
    });
  }
  const registration = await globalThis.navigator?.serviceWorker?.getRegistration().catch(() => undefined);
  const weftWorker = controller ?? registration?.active ?? null;
  if (weftWorker !== null && isWeftWorker(weftWorker) && (controller === null || !servedByServiceWorker)) {
    problems.push({
      code: 'service-worker-bypassed',
      message: `weft's isolation service worker is installed, but this page was loaded without it (a hard reload bypasses service workers, and a page loaded before the worker took control is not served by it).`,
      fix: 'Reload the page normally.',
    });
  }
  const headersFine = coop === COOP_SAME_ORIGIN && isCoep(coep);
  if (problems.length === 0 && headersFine) {
    problems.push({
      code: 'headers-not-applied',
      message: 'The server sends COOP and COEP for this URL now, but this document was loaded without them (from the cache, or through a proxy or CDN that drops them).',
      fix: 'Reload with the cache bypassed, and compare the page\'s response headers in the network panel.',
    });
  }
  return problems;
}

function isCoep(value: string | undefined): value is CoepValue {
  return (COEP_VALUES as readonly (string | undefined)[]).includes(value);
}

/** The COEP flavour of a valid Document-Isolation-Policy value; undefined otherwise. */
function dipCoep(value: string | undefined): CoepValue | undefined {
  const token = headerToken(value);
  return COEP_VALUES.find((coep) => DIP_VALUES[coep] === token);
}

function isWeftWorker(worker: ServiceWorker): boolean {
  return new URL(worker.scriptURL).pathname.endsWith(`/${SERVICE_WORKER_FILE}`);
}
