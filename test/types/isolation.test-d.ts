// Type tests of the isolation tools: the Vite plugin fits Vite's own config type, the middleware
// fits a node:http handler, and the browser helpers take one options object.
import http from 'node:http';
import { defineConfig, type UserConfig } from 'vite';
import {
  explainIsolation, type IsolationReport, type IsolationServiceWorkerResult, registerIsolationServiceWorker,
  unregisterIsolationServiceWorker,
} from 'weft/isolation';
import { createIsolationMiddleware, type IsolationMiddleware } from 'weft/middleware';
import { createVitePlugin } from 'weft/vite';

export const config: UserConfig = defineConfig({
  plugins: [createVitePlugin({ coep: 'credentialless', policy: 'both', corp: 'same-site' })],
});

const isolate: IsolationMiddleware = createIsolationMiddleware({ contentTypes: false });
http.createServer((req, res) => {
  isolate(req, res);
  res.end();
});

export async function usesTheBrowserHelpers(): Promise<void> {
  const report: IsolationReport = await explainIsolation({ resources: false, timeout: 1000 });
  const text: string = report.text;
  const result: IsolationServiceWorkerResult = await registerIsolationServiceWorker({ url: '/isolation-sw.js', coep: 'credentialless' });
  const removed: number = await unregisterIsolationServiceWorker();
  void [text, result, removed];

  // @ts-expect-error the worker's URL is required
  await registerIsolationServiceWorker({});
  // @ts-expect-error unsafe-none does not isolate
  createIsolationMiddleware({ coep: 'unsafe-none' });
  // @ts-expect-error policy is one of the listed values
  createVitePlugin({ policy: 'coop' });
}
