/**
 * The report {@link explainIsolation} returns, and its text.
 *
 * @module
 */
import { COEP_HEADER, COOP_HEADER, DIP_HEADER } from './isolation-headers.js';

/** How an isolated page got isolated. */
export type IsolationMechanism = 'coop-coep' | 'document-isolation-policy' | 'service-worker';

/** The isolation headers of the page's URL, as its server answers a new request for it. */
export interface DocumentHeaders {
  /** The page's URL (without its fragment). */
  url: string;
  /** Whether the headers could be read; when not, `error` says why. */
  read: boolean;
  /** The HTTP status of that request. */
  status?: number;
  /** `Cross-Origin-Opener-Policy`, undefined when missing. */
  coop?: string | undefined;
  /** `Cross-Origin-Opener-Policy-Report-Only` (reports only: it does not isolate). */
  coopReportOnly?: string | undefined;
  /** `Cross-Origin-Embedder-Policy`. */
  coep?: string | undefined;
  /** `Cross-Origin-Embedder-Policy-Report-Only` (reports only: it does not isolate). */
  coepReportOnly?: string | undefined;
  /** `Document-Isolation-Policy`. */
  documentIsolationPolicy?: string | undefined;
  /** `Permissions-Policy`. */
  permissionsPolicy?: string | undefined;
  error?: string;
}

/**
 * What is known of a cross-origin resource the page loads without CORS:
 * - `'blocked'`: the page's embedder policy blocks it (it could not be loaded in no-cors mode);
 * - `'allowed'`: it loads under the page's policy (CORS, a fitting CORP, or COEP credentialless);
 * - `'unchecked'`: the page enforces no embedder policy yet, so it cannot be checked; `reason`
 *   says what it will need.
 */
export type ResourceStatus = 'blocked' | 'allowed' | 'unchecked';

/** One cross-origin resource of the page. */
export interface ResourceCheck {
  url: string;
  /** What loads it: an element name (`img`, `script`, `iframe`, …) or a resource-timing initiator type. */
  loadedBy: string;
  status: ResourceStatus;
  reason: string;
  /** What to change, for `blocked` and `unchecked` resources. */
  fix?: string;
}

/** Why a page is not isolated, or what else is wrong. */
export type IsolationProblemCode =
  | 'not-a-page'
  | 'insecure-context'
  | 'coop-missing'
  | 'coop-value'
  | 'coep-missing'
  | 'coep-value'
  | 'document-isolation-policy-ignored'
  | 'credentialless-unsupported'
  | 'framed'
  | 'permissions-policy'
  | 'service-worker-bypassed'
  | 'headers-unreadable'
  | 'headers-not-applied'
  | 'resource-blocked';

/** One finding of {@link explainIsolation}, with what to change. */
export interface IsolationProblem {
  code: IsolationProblemCode;
  message: string;
  fix: string;
}

/** What {@link explainIsolation} found. */
export interface IsolationReport {
  /** `globalThis.crossOriginIsolated`. */
  isolated: boolean;
  /** How the page is isolated, where that is known. */
  mechanism?: IsolationMechanism;
  /** Whether `SharedArrayBuffer` exists here. */
  sharedArrayBuffer: boolean;
  /** `globalThis.isSecureContext`. */
  secureContext: boolean;
  /** The page's isolation headers. */
  document: DocumentHeaders;
  /** Whether a service worker controls the page now. */
  controlledByServiceWorker: boolean;
  /** Whether the page itself was loaded through a service worker. */
  servedByServiceWorker: boolean;
  /** The cross-origin resources the page loads without CORS, and whether its policy lets them in. */
  resources: ResourceCheck[];
  /** Every finding, most important first; empty for an isolated page that loads everything. */
  problems: IsolationProblem[];
  /** All of the above in words, for the console. */
  text: string;
}

/** How to send the headers, appended to every explanation of a page that is not isolated. */
const HOW_TO =
  'Ways to send them: `weft serve` for development; createIsolationMiddleware() from "weft/middleware" ' +
  '(Node http, Connect, Express); createVitePlugin() from "weft/vite" (vite dev and preview); your ' +
  'host\'s header settings; or, where the host cannot set headers (GitHub Pages), the service worker ' +
  '"weft/isolation-sw.js". In Chromium 137+ alone, "Document-Isolation-Policy: isolate-and-require-corp" ' +
  'isolates the page without COOP/COEP.';

/** The text of a report, from its other fields. */
export function formatIsolationReport(report: Omit<IsolationReport, 'text'>): string {
  const lines: string[] = [];
  const blocked = report.resources.filter((resource) => resource.status === 'blocked');
  if (report.isolated) {
    lines.push(`This page is cross-origin isolated${describeMechanism(report.mechanism)}: SharedArrayBuffer and wasm threads are available.`);
    if (blocked.length > 0) {
      lines.push('', `Its embedder policy blocks ${blocked.length} cross-origin resource(s):`);
      for (const resource of blocked) lines.push(formatResource(resource));
    }
    return lines.join('\n');
  }

  lines.push('This page is not cross-origin isolated, so the browser withholds SharedArrayBuffer and wasm threads cannot run.');
  const { document } = report;
  if (document.read) {
    lines.push('', `Response headers of ${document.url} (requested again just now, status ${document.status}):`);
    lines.push(`  ${COOP_HEADER}: ${document.coop ?? '(missing)'}`);
    lines.push(`  ${COEP_HEADER}: ${document.coep ?? '(missing)'}`);
    lines.push(`  ${DIP_HEADER}: ${document.documentIsolationPolicy ?? '(missing)'}`);
  }
  const problems = report.problems.filter((problem) => problem.code !== 'resource-blocked');
  if (problems.length > 0) {
    lines.push('', 'What to change:');
    for (const problem of problems) lines.push(`  - ${problem.message} ${problem.fix}`);
  }
  if (blocked.length > 0) {
    lines.push('', `The page's embedder policy blocks ${blocked.length} cross-origin resource(s):`);
    for (const resource of blocked) lines.push(formatResource(resource));
  }
  const unchecked = report.resources.filter((resource) => resource.status === 'unchecked');
  if (unchecked.length > 0) {
    lines.push('', `Cross-origin resources to check once COEP is on (${unchecked.length}):`);
    for (const resource of unchecked) lines.push(formatResource(resource));
  }
  lines.push('', HOW_TO);
  return lines.join('\n');
}

function describeMechanism(mechanism: IsolationMechanism | undefined): string {
  switch (mechanism) {
    case 'coop-coep': return ` (by its ${COOP_HEADER} and ${COEP_HEADER} headers)`;
    case 'document-isolation-policy': return ` (by its ${DIP_HEADER} header)`;
    case 'service-worker': return ' (by a service worker that adds the headers)';
    default: return '';
  }
}

function formatResource(resource: ResourceCheck): string {
  return `  - ${resource.url} (${resource.loadedBy}): ${resource.reason}${resource.fix === undefined ? '' : ` ${resource.fix}`}`;
}
