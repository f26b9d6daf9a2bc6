/**
 * The HTTP response headers that make a page cross-origin isolated, so that it may use
 * `SharedArrayBuffer` and a shared `WebAssembly.Memory`.
 *
 * Why: browsers hide `SharedArrayBuffer` unless `globalThis.crossOriginIsolated` is true, which
 * takes COOP `same-origin` plus COEP `require-corp` or `credentialless` on the document (and COEP
 * on every worker script). See https://web.dev/articles/coop-coep and
 * https://developer.mozilla.org/en-US/docs/Web/API/Window/crossOriginIsolated
 *
 * @module
 */

/** Name of the Cross-Origin-Opener-Policy header. */
export const COOP_HEADER = 'Cross-Origin-Opener-Policy';
/** Name of the Cross-Origin-Embedder-Policy header. */
export const COEP_HEADER = 'Cross-Origin-Embedder-Policy';
/** Name of the Cross-Origin-Resource-Policy header. */
export const CORP_HEADER = 'Cross-Origin-Resource-Policy';

/** The COOP value required for cross-origin isolation. */
export const COOP_SAME_ORIGIN = 'same-origin';
/** The CORP value a server sends so its own isolated pages may load its resources. */
export const CORP_SAME_ORIGIN = 'same-origin';

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

/** Whether `value` is one of {@link COEP_VALUES}. */
export function isCoepValue(value: unknown): value is CoepValue {
  return (COEP_VALUES as readonly unknown[]).includes(value);
}

/**
 * The headers (name to value) that a server sends with every response to make its pages
 * cross-origin isolated: COOP, COEP and CORP.
 *
 * @param coep - the Cross-Origin-Embedder-Policy value; default `require-corp`.
 * @throws TypeError when `coep` is not one of {@link COEP_VALUES}.
 */
export function isolationHeaders(coep: CoepValue = DEFAULT_COEP): Record<string, string> {
  if (!isCoepValue(coep)) {
    throw new TypeError(`COEP must be one of ${COEP_VALUES.join(', ')}; got ${String(coep)}`);
  }
  return {
    [COOP_HEADER]: COOP_SAME_ORIGIN,
    [COEP_HEADER]: coep,
    [CORP_HEADER]: CORP_SAME_ORIGIN,
  };
}
