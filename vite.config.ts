// Vite config for the studio, the demo page (examples/demo-page) and the service worker: ONE build that
// deploys anywhere. `base: './'` makes every URL in the output relative, so the same dist/ works at a
// site root and under any sub-path (GitHub Pages' /repo/, a Hugging Face Space, a lab's server).
//
// onnxruntime-web: its "extern wasm" entry is used (resolve condition below), so the 27 MB runtime is
// not also emitted as a hashed asset; the runtime files are copied to ort/ instead and loaded from there
// (src/runtime/ort-web.ts sets env.wasm.wasmPaths relative to the built chunks): its thread workers must
// load ORT's own glue script, not our bundled engine worker, and nothing may come from a CDN.
//
// Headers: one table (SECURITY_HEADERS) is sent by the dev and preview servers, written into the built
// pages as a CSP <meta> (for hosts that send no headers), added by the service worker to what it serves,
// and documented in README "Deploy".
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { defaultClientConditions, defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
// The runtime files each ORT build loads: one table, which src/runtime/ort-assets.ts also checks.
import ORT_RUNTIME_FILES from './src/runtime/ort-runtime-files.json' with { type: 'json' };

/** Where the runtime files lie, under the app's base (ort-web.ts resolves the same folder). */
const ORT_DIR = 'ort';

/** Model sets left out of a build unless SVG_STUDIO_TEST_SETS=include: random weights, for tests only. */
const TEST_ONLY_MODEL_SETS = ['random-tiny'];
const includeTestSets = process.env.SVG_STUDIO_TEST_SETS === 'include';

/** Size budgets of the built output, in bytes, by group (printed after every build; over budget fails it). */
const SIZE_BUDGETS: Readonly<Record<string, number>> = {
  'app (html, js, css)': 3 * 2 ** 20,
  'ORT runtime (ort/)': 42 * 2 ** 20,
  'model sets (models/)': 112 * 2 ** 20,
  'other (samples, icons, manifest, sw)': 2 * 2 ** 20,
  total: 160 * 2 ** 20,
};

/**
 * Content-Security-Policy: what the studio needs and nothing more. 'wasm-unsafe-eval' lets ONNX Runtime
 * compile its WebAssembly; blob: workers and fetches serve ORT's threads and model files handed to it as
 * blob: URLs; https: in connect-src lets a user load a model set from any CORS-enabled host (narrow it
 * to your model host when you deploy a fixed set).
 */
const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'", 'blob:'],
  'connect-src': ["'self'", 'https:', 'blob:', 'data:'],
  'img-src': ["'self'", 'blob:', 'data:'],
  'media-src': ["'self'", 'blob:'],
  'style-src': ["'self'"],
  'font-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
};
/** Directives a <meta> CSP cannot carry (browsers ignore them there). */
const HEADER_ONLY_DIRECTIVES = new Set(['frame-ancestors']);

/** Dev only: Vite's dev server injects inline scripts/styles (React refresh, HMR CSS); they carry this nonce. */
const DEV_NONCE = 'svg-studio-dev';

function cspText(extra: Readonly<Record<string, readonly string[]>> = {}, forMeta = false): string {
  return Object.entries(CSP_DIRECTIVES)
    .filter(([name]) => !(forMeta && HEADER_ONLY_DIRECTIVES.has(name)))
    .map(([name, sources]) => [name, ...sources, ...(extra[name] ?? [])].join(' '))
    .join('; ');
}

/** Cross-origin isolation: lets onnxruntime-web use multi-threaded WASM (SharedArrayBuffer). */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': cspText(),
  'X-Content-Type-Options': 'nosniff',
};

/** Content types static servers get wrong (empty for .onnx); the headers are sent with these. */
const CONTENT_TYPES: readonly (readonly [RegExp, string])[] = [
  [/\.onnx(\.data)?$/, 'application/octet-stream'],
  [/\.webmanifest$/, 'application/manifest+json'],
  [/\.mjs$/, 'text/javascript'],
  [/\.wasm$/, 'application/wasm'],
];

function fixContentTypes(): Connect.NextHandleFunction {
  return (request, response: ServerResponse, next) => {
    const pathname = new URL(request.url ?? '/', 'http://host').pathname;
    const type = CONTENT_TYPES.find(([pattern]) => pattern.test(pathname))?.[1];
    if (type) {
      // The static file middleware sets its own (empty) type later: keep ours.
      const setHeader = response.setHeader.bind(response);
      response.setHeader = (name, value) =>
        setHeader(name, name.toLowerCase() === 'content-type' ? type : value);
      response.setHeader('Content-Type', type);
    }
    next();
  };
}

function copyOrtRuntime(): Plugin {
  return {
    name: 'svg-studio:copy-ort-runtime',
    config() {
      mkdirSync(`public/${ORT_DIR}`, { recursive: true });
      for (const file of new Set(Object.values(ORT_RUNTIME_FILES).flat())) {
        const from = `node_modules/onnxruntime-web/dist/${file}`;
        const to = `public/${ORT_DIR}/${file}`;
        if (!existsSync(to) || statSync(to).size !== statSync(from).size) copyFileSync(from, to);
      }
    },
  };
}

function serverHeaders(): Plugin {
  return {
    name: 'svg-studio:server-headers',
    configureServer: (server) => void server.middlewares.use(fixContentTypes()),
    configurePreviewServer: (server) => void server.middlewares.use(fixContentTypes()),
    // Static hosts often send no headers: the CSP travels in the page (frame-ancestors cannot).
    transformIndexHtml: {
      order: 'post',
      handler: (_html, context) =>
        context.server
          ? []
          : [
              {
                tag: 'meta',
                attrs: { 'http-equiv': 'Content-Security-Policy', content: cspText({}, true) },
                injectTo: 'head-prepend',
              },
            ],
    },
  };
}

function listFiles(root: string, folder = ''): string[] {
  return readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(root, relative) : [relative];
  });
}

const isModelWeights = (file: string) => /\.onnx(\.data)?$/.test(file);

/** Leaves test-only model sets out of dist/ (and out of dist/models/index.json) unless asked for. */
function dropTestModelSets(outDir: string): void {
  if (includeTestSets) return;
  const indexPath = path.join(outDir, 'models/index.json');
  for (const id of TEST_ONLY_MODEL_SETS)
    rmSync(path.join(outDir, 'models', id), { recursive: true, force: true });
  if (!existsSync(indexPath)) return;
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { modelSets: { id: string }[] };
  index.modelSets = index.modelSets.filter((set) => !TEST_ONLY_MODEL_SETS.includes(set.id));
  writeFileSync(indexPath, `${JSON.stringify(index, null, 2)}\n`);
}

const SW_FILE = 'sw.js';
/** App files at least this large are cached by the service worker after it activates, not before. */
const DEFERRED_CACHE_BYTES = 2 ** 20;
const SW_BUILD_PLACEHOLDER = '__SVG_STUDIO_SW_BUILD__';

/**
 * The service worker (src/pwa/service-worker.ts) as dist/sw.js at the base: it precaches the app (every
 * built file except model weights, which stay in the studio's SHA-256 model cache) and adds the
 * cross-origin isolation and security headers to what it serves. Its file list and version are written
 * into it here, once the bundle is known.
 */
function serviceWorker(): Plugin {
  let outDir = 'dist';
  return {
    name: 'svg-studio:service-worker',
    apply: 'build',
    configResolved: (config) => void (outDir = path.resolve(config.root, config.build.outDir)),
    buildStart() {
      this.emitFile({ type: 'chunk', id: path.resolve('src/pwa/service-worker.ts'), fileName: SW_FILE });
    },
    // 'post': after Vite has added the HTML pages to the bundle.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        dropTestModelSets(outDir); // public/ is already copied (renderStart)
        const built = Object.keys(bundle).filter((file) => file !== SW_FILE && !file.endsWith('.map'));
        const copied = existsSync(outDir) ? listFiles(outDir) : [];
        const app = [...new Set([...built, ...copied])]
          .filter((file) => !isModelWeights(file) && file !== SW_FILE)
          .sort();
        const sizeOf = (file: string) => {
          const item = bundle[file];
          if (!item) return statSync(path.join(outDir, file)).size;
          return item.type === 'chunk' ? item.code.length : item.source.length;
        };
        const version = createHash('sha256');
        for (const file of app) {
          const item = bundle[file];
          version.update(`${file}\n${item?.type === 'chunk' ? item.code : String(sizeOf(file))}`);
        }
        const chunk = bundle[SW_FILE];
        if (chunk?.type !== 'chunk') throw new Error(`${SW_FILE} was not built`);
        const build = {
          version: version.digest('hex').slice(0, 16),
          // Large files (ORT's WebAssembly) are cached when first fetched or in the background once the
          // worker is active, so it activates (and the first-visit isolation reload happens) at once.
          precache: app.filter((file) => sizeOf(file) < DEFERRED_CACHE_BYTES),
          deferred: app.filter((file) => sizeOf(file) >= DEFERRED_CACHE_BYTES),
          headers: { ...CROSS_ORIGIN_ISOLATION, ...SECURITY_HEADERS },
        };
        if (!chunk.code.includes(SW_BUILD_PLACEHOLDER))
          throw new Error(`${SW_FILE} lacks ${SW_BUILD_PLACEHOLDER}`);
        chunk.code = chunk.code.replace(SW_BUILD_PLACEHOLDER, JSON.stringify(build));
      },
    },
  };
}

const formatMiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

function sizeGroup(file: string): string {
  if (file.startsWith(`${ORT_DIR}/`)) return 'ORT runtime (ort/)';
  if (file.startsWith('models/')) return 'model sets (models/)';
  if (/\.(html|js|css)$/.test(file) && file !== SW_FILE) return 'app (html, js, css)';
  return 'other (samples, icons, manifest, sw)';
}

/** Prints the output's size per group against SIZE_BUDGETS; fails the build over budget or on duplicates. */
function sizeReport(): Plugin {
  let outDir = 'dist';
  return {
    name: 'svg-studio:size-report',
    apply: 'build',
    configResolved: (config) => void (outDir = path.resolve(config.root, config.build.outDir)),
    closeBundle() {
      if (!existsSync(outDir)) return; // the build failed before writing: its own error says why
      const files = listFiles(outDir);
      const totals = new Map<string, number>(Object.keys(SIZE_BUDGETS).map((group) => [group, 0]));
      const byName = new Map<string, string[]>();
      for (const file of files) {
        const bytes = statSync(path.join(outDir, file)).size;
        const group = sizeGroup(file);
        totals.set(group, (totals.get(group) ?? 0) + bytes);
        totals.set('total', (totals.get('total') ?? 0) + bytes);
        if (bytes > 2 ** 20) {
          const key = `${bytes}:${createHash('sha256')
            .update(readFileSync(path.join(outDir, file)))
            .digest('hex')}`;
          byName.set(key, [...(byName.get(key) ?? []), file]);
        }
      }
      const rows = [...totals].map(([group, bytes]) => {
        const budget = SIZE_BUDGETS[group] ?? Infinity;
        return { group, bytes, budget, over: bytes > budget };
      });
      const width = Math.max(...rows.map((row) => row.group.length));
      const lines = rows.map(
        (row) =>
          `  ${row.group.padEnd(width)}  ${formatMiB(row.bytes).padStart(10)}  / ${formatMiB(row.budget).padStart(10)}  ${row.over ? 'OVER BUDGET' : 'ok'}`,
      );
      const sets = includeTestSets
        ? 'test model sets included'
        : `left out: ${TEST_ONLY_MODEL_SETS.join(', ')}`;
      console.log(`\nBuild size (${outDir}, ${files.length} files; ${sets}):\n${lines.join('\n')}\n`);
      const duplicates = [...byName.values()].filter((names) => names.length > 1);
      const problems = [
        ...rows
          .filter((row) => row.over)
          .map((row) => `${row.group} is ${formatMiB(row.bytes)}, over its ${formatMiB(row.budget)} budget`),
        ...duplicates.map((names) => `the same file ships more than once: ${names.join(', ')}`),
      ];
      if (problems.length) throw new Error(`build output check failed:\n  ${problems.join('\n  ')}`);
    },
  };
}

export default defineConfig(({ command }) => ({
  base: './',
  plugins: [copyOrtRuntime(), react(), serverHeaders(), serviceWorker(), sizeReport()],
  // The version written into every downloaded PNG's metadata.
  define: { __APP_VERSION__: JSON.stringify(process.env.npm_package_version ?? 'dev') },
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  ...(command === 'serve' ? { html: { cspNonce: DEV_NONCE } } : {}),
  server: {
    headers: {
      ...CROSS_ORIGIN_ISOLATION,
      ...SECURITY_HEADERS,
      'Content-Security-Policy': cspText({
        'script-src': [`'nonce-${DEV_NONCE}'`],
        'style-src': [`'nonce-${DEV_NONCE}'`],
      }),
    },
  },
  preview: { headers: { ...CROSS_ORIGIN_ISOLATION, ...SECURITY_HEADERS } },
  build: {
    rollupOptions: {
      input: {
        studio: path.resolve('index.html'),
        'demo-page': path.resolve('examples/demo-page/index.html'),
      },
    },
  },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
}));
