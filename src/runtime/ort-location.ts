// Where onnxruntime-web's runtime files (ort/*.mjs, ort/*.wasm; copied there by vite.config.ts) are
// served, resolved against the deployed app rather than the server root, so one build works at a site
// root and under any sub-path. A page embedding the engine from elsewhere sets it explicitly
// (createSvgEngine's `runtime` option).

/** The runtime folder, relative to the app's base (vite.config.ts copies the files there). */
const ORT_FOLDER = 'ort/';
/** Built chunks lie in <base>/assets/ (Vite's assetsDir), so the base is one folder up from this module. */
const BUILT_BASE_FROM_CHUNK = '../';

let configured: string | undefined;

/** Overrides where the runtime files are read from (an absolute URL or one relative to the page). */
export function setOrtRuntimeUrl(url: string): void {
  configured = new URL(url.endsWith('/') ? url : `${url}/`, self.location.href).href;
}

/** The folder ORT reads its glue script and WebAssembly from: env.wasm.wasmPaths. */
export function ortRuntimeUrl(): string {
  if (configured) return configured;
  // The dev server serves the app (and public/ort) from its base, with modules under /src/...
  if (import.meta.env.DEV)
    return new URL(`${import.meta.env.BASE_URL}${ORT_FOLDER}`, self.location.origin).href;
  // A variable, not a literal: Vite would otherwise try to bundle the folder as an asset.
  const base = new URL(BUILT_BASE_FROM_CHUNK, import.meta.url);
  return new URL(ORT_FOLDER, base).href;
}
