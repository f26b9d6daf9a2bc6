import { defineConfig } from 'vite';
import { createIsolationPlugin } from 'weft/vite';

export default defineConfig({
  plugins: [createIsolationPlugin()], // `vite` and `vite preview` send COOP, COEP and CORP
});
