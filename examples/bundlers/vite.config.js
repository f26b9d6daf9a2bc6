import { defineConfig } from 'vite';
import { createVitePlugin } from 'weft/vite';

export default defineConfig({
  // Isolation headers for `vite` and `vite preview`, module workers, and weft kept out of
  // dependency pre-bundling (which would break the URLs of its workers).
  plugins: [createVitePlugin()],
});
