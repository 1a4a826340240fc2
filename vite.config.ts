// Vite config for the studio. Cross-origin isolation headers let onnxruntime-web use multi-threaded
// WASM (SharedArrayBuffer); onnxruntime-web's own .wasm/.mjs files are served from /ort/ (copied by
// scripts/copy-ort-assets.mjs) so nothing is fetched from a CDN.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
