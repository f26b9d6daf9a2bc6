import { defineConfig } from 'vite';
import { createVitePlugin } from 'weft/vite';

export default defineConfig({
  plugins: [createVitePlugin()], // `vite` and `vite preview` send COOP, COEP and CORP
});
