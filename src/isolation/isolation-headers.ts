/**
 * The HTTP response headers that make a page cross-origin isolated, so that it may use
 * `SharedArrayBuffer` and a shared `WebAssembly.Memory`. Plain data and one pure function: the
 * Node server, the middleware, the Vite plugin and the service worker all build their headers
 * here.
 *
 * Why: browsers hide `SharedArrayBuffer` unless `globalThis.crossOriginIsolated` is true, which
 * takes COOP `same-origin` plus COEP `require-corp` or `credentialless` on the document (and COEP
 * on every worker script), or, in Chromium 137+ alone, `Document-Isolation-Policy` on the
 * document. See https://web.dev/articles/coop-coep,
 * https://developer.mozilla.org/en-US/docs/Web/API/Window/crossOriginIsolated and
 * https://github.com/WICG/document-isolation-policy
 *
 * @module
 */
import { InvalidOptionError } from '../errors/catalogue.js';

/** Name of the Cross-Origin-Opener-Policy header. */
export const COOP_HEADER = 'Cross-Origin-Opener-Policy';
/** Name of the Cross-Origin-Embedder-Policy header. */
export const COEP_HEADER = 'Cross-Origin-Embedder-Policy';
/** Name of the Cross-Origin-Resource-Policy header. */
export const CORP_HEADER = 'Cross-Origin-Resource-Policy';
/** Name of the Document-Isolation-Policy header (Chromium 137+). */
export const DIP_HEADER = 'Document-Isolation-Policy';

/** The COOP value required for cross-origin isolation. */
export const COOP_SAME_ORIGIN = 'same-origin';

/**
 * The COEP values that give cross-origin isolation.
 *
 * Why: `require-corp` works in every browser with `SharedArrayBuffer`, but blocks cross-origin
 * subresources that do not send CORP or CORS headers. `credentialless` loads them without
 * credentials instead; Chrome 96+ and Firefox 119+ support it, Safari does not (as of 2025), so
 * `require-corp` stays the default. See
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Embedder-Policy
 */
export const COEP_VALUES = ['require-corp', 'credentialless'] as const;

/** A COEP value that gives cross-origin isolation. */
export type CoepValue = (typeof COEP_VALUES)[number];

/** The COEP value used when none is given. */
export const DEFAULT_COEP: CoepValue = 'require-corp';

/** The Cross-Origin-Resource-Policy values. */
export const CORP_VALUES = ['same-origin', 'same-site', 'cross-origin'] as const;

/** Who may embed a response: a Cross-Origin-Resource-Policy value. */
export type CorpValue = (typeof CORP_VALUES)[number];

/** The CORP value used when none is given: only pages of the same origin may embed the response. */
export const DEFAULT_CORP: CorpValue = 'same-origin';

/** The Document-Isolation-Policy value that matches each COEP value. */
export const DIP_VALUES: Readonly<Record<CoepValue, string>> = {
  'require-corp': 'isolate-and-require-corp',
  credentialless: 'isolate-and-credentialless',
};

/**
 * Which headers isolate a document:
 * - `'coop-coep'`: COOP and COEP, understood by every browser with `SharedArrayBuffer`;
 * - `'document-isolation-policy'`: `Document-Isolation-Policy` alone, which isolates only the
 *   document itself (popups, OAuth windows and the opener keep working), in Chromium 137+ only;
 * - `'both'`: all three, so Chromium uses Document-Isolation-Policy and other browsers COOP/COEP.
 */
export const ISOLATION_POLICIES = ['coop-coep', 'document-isolation-policy', 'both'] as const;

/** See {@link ISOLATION_POLICIES}. */
export type IsolationPolicy = (typeof ISOLATION_POLICIES)[number];

/** The isolation policy used when none is given. */
export const DEFAULT_ISOLATION_POLICY: IsolationPolicy = 'coop-coep';

/** What {@link isolationHeaders} sends. */
export interface IsolationHeaderOptions {
  /** The Cross-Origin-Embedder-Policy value (and the flavour of Document-Isolation-Policy); default `require-corp`. */
  coep?: CoepValue;
  /** Which headers isolate documents; default `'coop-coep'`. See {@link ISOLATION_POLICIES}. */
  policy?: IsolationPolicy;
  /**
   * The Cross-Origin-Resource-Policy sent with every response; default `same-origin`. Use
   * `cross-origin` for a server whose files pages of other origins embed (a CDN, an API).
   */
  corp?: CorpValue;
}

/** Whether `value` is one of {@link COEP_VALUES}. */
export function isCoepValue(value: unknown): value is CoepValue {
  return (COEP_VALUES as readonly unknown[]).includes(value);
}

/** Whether `value` is one of {@link CORP_VALUES}. */
export function isCorpValue(value: unknown): value is CorpValue {
  return (CORP_VALUES as readonly unknown[]).includes(value);
}

/** Whether `value` is one of {@link ISOLATION_POLICIES}. */
export function isIsolationPolicy(value: unknown): value is IsolationPolicy {
  return (ISOLATION_POLICIES as readonly unknown[]).includes(value);
}

/**
 * The headers (name to value) that a server sends with every response to make its pages
 * cross-origin isolated: COOP and COEP and/or Document-Isolation-Policy, and CORP.
 *
 * @throws InvalidOptionError when an option is not one of its listed values.
 */
export function isolationHeaders(options: IsolationHeaderOptions = {}): Record<string, string> {
  const { coep, policy, corp } = checkIsolationHeaderOptions(options);
  const headers: Record<string, string> = {};
  if (policy !== 'document-isolation-policy') {
    headers[COOP_HEADER] = COOP_SAME_ORIGIN;
    headers[COEP_HEADER] = coep;
  }
  if (policy !== 'coop-coep') headers[DIP_HEADER] = DIP_VALUES[coep];
  headers[CORP_HEADER] = corp;
  return headers;
}

/**
 * Checks the options of {@link isolationHeaders} and fills in the defaults.
 *
 * @throws InvalidOptionError naming the first option that is not one of its listed values.
 */
export function checkIsolationHeaderOptions(options: IsolationHeaderOptions): Required<IsolationHeaderOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', `The isolation header options must be an object; got ${String(options)}.`);
  }
  const { coep = DEFAULT_COEP, policy = DEFAULT_ISOLATION_POLICY, corp = DEFAULT_CORP } = options;
  if (!isCoepValue(coep)) {
    throw new InvalidOptionError('coep', `"coep" must be one of ${COEP_VALUES.join(', ')}; got ${JSON.stringify(coep)}.`);
  }
  if (!isIsolationPolicy(policy)) {
    throw new InvalidOptionError('policy', `"policy" must be one of ${ISOLATION_POLICIES.join(', ')}; got ${JSON.stringify(policy)}.`);
  }
  if (!isCorpValue(corp)) {
    throw new InvalidOptionError('corp', `"corp" must be one of ${CORP_VALUES.join(', ')}; got ${JSON.stringify(corp)}.`);
  }
  return { coep, policy, corp };
}

/**
 * The first token of a structured header value, lower-cased: `same-origin; report-to="x"`
 * gives `same-origin`. Undefined for a missing header.
 */
export function headerToken(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value.split(';')[0]!.trim().toLowerCase();
}
