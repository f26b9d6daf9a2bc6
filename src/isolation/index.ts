/**
 * `weft/isolation`: cross-origin isolation in the browser. `explainIsolation()` says why a page
 * is not isolated; `registerIsolationServiceWorker()` isolates pages on hosts that cannot send
 * headers, with the service worker `weft/isolation-sw.js`; the header values and the response
 * rewrite serve a site's own server or service worker.
 *
 * @module
 */
export { explainIsolation, type ExplainIsolationOptions } from './explain-isolation.js';
export type {
  DocumentHeaders, IsolationMechanism, IsolationProblem, IsolationProblemCode, IsolationReport, ResourceCheck,
  ResourceStatus,
} from './isolation-report.js';
export {
  registerIsolationServiceWorker, SERVICE_WORKER_FILE, supportsCredentiallessCoep, unregisterIsolationServiceWorker,
  type IsolationServiceWorkerResult, type IsolationServiceWorkerStatus, type RegisterIsolationServiceWorkerOptions,
  type UnregisterIsolationServiceWorkerOptions,
} from './register-service-worker.js';
export { needsIsolationHeaders, withIsolationHeaders } from './service-worker-response.js';
export {
  COEP_HEADER, COEP_VALUES, COOP_HEADER, CORP_HEADER, CORP_VALUES, DIP_HEADER, ISOLATION_POLICIES, isolationHeaders,
  type CoepValue, type CorpValue, type IsolationHeaderOptions, type IsolationPolicy,
} from './isolation-headers.js';
