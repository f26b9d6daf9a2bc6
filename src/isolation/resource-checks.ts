/**
 * Which cross-origin resources of a page an embedder policy blocks, for {@link explainIsolation}.
 *
 * Why probe with fetch: nothing in the page tells which request COEP blocked (the blocked
 * resource's timing entry looks like any opaque one, and COEP reports reach only the server's
 * report endpoint). But a no-cors `fetch()` from the page is held to the page's policy: under
 * `require-corp` it rejects exactly when the resource lacks a CORP header that admits this origin
 * (or cannot be reached at all, which a CORS request then tells apart where the server speaks CORS).
 *
 * @module
 */
import type { ResourceCheck, ResourceStatus } from './isolation-report.js';

/** The embedder policy in force on the page, as far as is known. */
export type EnforcedPolicy = 'require-corp' | 'credentialless' | 'none' | 'unknown';

/** One cross-origin URL the page loads, and how. */
interface Candidate {
  url: string;
  loadedBy: string;
  /** Whether it is requested in CORS mode (which COEP never blocks). */
  cors: boolean;
}

/** Elements that load a resource, and the attribute that names it. */
const LOADING_ELEMENTS: ReadonlyArray<readonly [selector: string, attribute: string]> = [
  ['img[src]', 'src'],
  ['script[src]', 'src'],
  ['link[href]', 'href'],
  ['iframe[src]', 'src'],
  ['frame[src]', 'src'],
  ['video[src]', 'src'],
  ['video[poster]', 'poster'],
  ['audio[src]', 'src'],
  ['source[src]', 'src'],
  ['track[src]', 'src'],
  ['embed[src]', 'src'],
  ['object[data]', 'data'],
  ['input[type=image][src]', 'src'],
];

/** `<link rel>` values that load what they name. */
const LOADING_LINK_RELS = /\b(stylesheet|icon|preload|modulepreload|manifest|apple-touch-icon)\b/i;

/** Resource-timing initiators that are CORS requests made by scripts, never blocked by COEP. */
const SCRIPTED_INITIATORS: ReadonlySet<string> = new Set(['fetch', 'xmlhttprequest', 'beacon', 'navigation']);

/**
 * Checks the page's cross-origin no-cors resources (from its elements and its resource timing
 * entries) against `policy`; at most `limit` are probed, at once, each within `timeoutMs`.
 */
export async function checkResources(policy: EnforcedPolicy, timeoutMs: number, limit: number): Promise<ResourceCheck[]> {
  const candidates = [...collectCandidates().values()].filter((candidate) => !candidate.cors);
  return Promise.all(candidates.map((candidate, index) =>
    index < limit ? checkResource(candidate, policy, timeoutMs) : check(candidate, 'unchecked', 'was not checked (too many resources).')));
}

/** The page's cross-origin resources by URL; what its elements say wins over timing entries. */
function collectCandidates(): Map<string, Candidate> {
  const found = new Map<string, Candidate>();
  const add = (raw: string, loadedBy: string, cors: boolean): void => {
    let url: URL;
    try {
      url = new URL(raw, document.baseURI);
    } catch {
      return;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin === location.origin) return;
    url.hash = '';
    if (!found.has(url.href)) found.set(url.href, { url: url.href, loadedBy, cors });
  };
  if (typeof document !== 'undefined') {
    for (const [selector, attribute] of LOADING_ELEMENTS) {
      for (const element of Array.from(document.querySelectorAll(selector))) {
        const name = element.localName;
        if (name === 'link' && !LOADING_LINK_RELS.test(element.getAttribute('rel') ?? '')) continue;
        add(element.getAttribute(attribute)!, name, isCorsRequest(element));
      }
    }
  }
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    if (SCRIPTED_INITIATORS.has(entry.initiatorType)) continue;
    add(entry.name, entry.initiatorType || 'other', false);
  }
  return found;
}

/**
 * Whether an element requests its resource in CORS mode: with a `crossorigin` attribute, or as a
 * module script or module preload (always CORS).
 */
function isCorsRequest(element: Element): boolean {
  if (element.hasAttribute('crossorigin')) return true;
  if (element.localName === 'script') return element.getAttribute('type') === 'module';
  return element.localName === 'link' && /\bmodulepreload\b/i.test(element.getAttribute('rel') ?? '');
}

async function checkResource(candidate: Candidate, policy: EnforcedPolicy, timeoutMs: number): Promise<ResourceCheck> {
  const framed = candidate.loadedBy === 'iframe' || candidate.loadedBy === 'frame';
  const frameNote = framed ? ' A framed page also needs its own Cross-Origin-Embedder-Policy.' : '';
  if (policy === 'none') {
    return check(candidate, 'unchecked',
      'is loaded without CORS: once COEP require-corp is on, it needs "Cross-Origin-Resource-Policy: cross-origin" from its server.',
      `Have its server send that header, load it with the crossorigin attribute (if its server answers CORS requests), or use COEP credentialless.${frameNote}`);
  }
  if (policy === 'credentialless' && framed) {
    return check(candidate, 'unchecked',
      'is a cross-origin frame: under COEP credentialless it needs "Cross-Origin-Resource-Policy: cross-origin" and its own COEP.',
      'Have its server send both headers, or give the iframe the credentialless attribute (Chromium).');
  }
  if (policy === 'credentialless') {
    return check(candidate, 'allowed', 'loads without credentials under COEP credentialless.');
  }
  if (await loads(candidate.url, 'no-cors', timeoutMs)) {
    return check(candidate, 'allowed', 'sends a Cross-Origin-Resource-Policy header that admits this page.');
  }
  const reachable = await loads(candidate.url, 'cors', timeoutMs);
  const hedge = policy === 'unknown' ? ' (the page\'s embedder policy is presumed to be require-corp)' : '';
  return check(candidate, 'blocked',
    reachable
      ? `is blocked by COEP require-corp${hedge}: it sends no Cross-Origin-Resource-Policy header that admits this origin.`
      : `could not be loaded under COEP require-corp${hedge}: it sends no Cross-Origin-Resource-Policy header that admits this origin, or its server cannot be reached.`,
    (reachable
      ? 'Have its server send "Cross-Origin-Resource-Policy: cross-origin", or load it with the crossorigin attribute (its server answers CORS requests), or use COEP credentialless.'
      : 'Have its server send "Cross-Origin-Resource-Policy: cross-origin", serve it from this origin, or use COEP credentialless.') + frameNote);
}

function check(candidate: Candidate, status: ResourceStatus, reason: string, fix?: string): ResourceCheck {
  return { url: candidate.url, loadedBy: candidate.loadedBy, status, reason, ...(fix === undefined ? {} : { fix }) };
}

/** Whether a GET of `url` in `mode` succeeds from this page within `timeoutMs`. */
async function loads(url: string, mode: RequestMode, timeoutMs: number): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { mode, credentials: mode === 'cors' ? 'omit' : 'include', signal: controller.signal });
    void response.body?.cancel().catch(() => {});
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
