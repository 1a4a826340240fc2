// Vite config for the studio. Cross-origin isolation headers let onnxruntime-web use multi-threaded
// WASM (SharedArrayBuffer). onnxruntime-web's WASM runtime files are copied to public/ort/ and loaded
// from there (env.wasm.wasmPaths): its thread workers must load ORT's own glue script, not our bundled
// engine worker, and nothing may come from a CDN.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const ORT_RUNTIME_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

function copyOrtRuntime(): Plugin {
  return {
    name: 'svg-studio:copy-ort-runtime',
    config() {
      mkdirSync('public/ort', { recursive: true });
      for (const file of ORT_RUNTIME_FILES) {
        const from = `node_modules/onnxruntime-web/dist/${file}`;
        const to = `public/ort/${file}`;
        if (!existsSync(to) || statSync(to).size !== statSync(from).size) copyFileSync(from, to);
      }
    },
  };
}

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [copyOrtRuntime(), react()],
  // The version written into every downloaded PNG's metadata.
  define: { __APP_VERSION__: JSON.stringify(process.env.npm_package_version ?? 'dev') },
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
