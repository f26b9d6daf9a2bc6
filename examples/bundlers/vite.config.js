import { defineConfig } from 'vite';

export default defineConfig({
  // Module workers (weft's own and the app's) are built as ES modules.
  worker: { format: 'es' },
});
