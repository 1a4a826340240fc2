import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The layers, as import restrictions. ESLint applies the LAST matching block's options of a rule, so
// each layer's block lists everything that layer may not import (the ONNX Runtime rule included);
// nothing later may configure no-restricted-imports for src/ again. tests/lint/layers.test.ts lints
// probe files against these rules and fails when a restriction stops applying.
const onnxRuntime = {
  group: ['onnxruntime-*'],
  message: 'Only src/runtime may import ONNX Runtime.',
};
/** A relative import that reaches one of these top-level src/ folders (e.g. '../store', '../../runtime/x'). */
const layerImport = (folders, message) => ({
  regex: `^(\\.\\.?/)+(.*/)?(${folders.join('|')})(/.*)?$`,
  message,
});
const restrictImports = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: [onnxRuntime, ...patterns] }],
});

const engineLayer = [
  {
    group: ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'],
    message: 'src/engine is framework-free: no React or zustand.',
  },
  layerImport(
    ['store', 'features', 'components', 'storage', 'runtime', 'worker', 'pwa', 'App', 'main'],
    'src/engine is the bottom layer: it may not import the store, views, components, browser storage, runtimes or the worker.',
  ),
];

/** DOM-bound globals the engine may not touch (it runs in Node and in workers too). */
const domGlobals = [
  'window',
  'document',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'caches',
  'navigator',
  'HTMLElement',
  'HTMLCanvasElement',
  'OffscreenCanvas',
  'ImageData',
  'createImageBitmap',
].map((name) => ({ name, message: `src/engine runs in Node and workers too: no ${name}.` }));

export default tseslint.config(
  // Build and benchmark outputs (git-ignored) are not linted: .bench-xl holds a built studio.
  {
    ignores: [
      'dist',
      'node_modules',
      'public',
      'test-results',
      'playwright-report',
      'export-scripts',
      '.bench-xl',
      '.parity-cache',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  {
    // React rules for the UI only (Playwright fixtures also call a function named `use`).
    files: ['src/**/*.tsx', 'src/store/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Everything in src/ except the runtime: no ONNX Runtime.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/runtime/**'],
    rules: restrictImports(),
  },
  {
    // The engine is framework-free, runtime-free and DOM-free (tsconfig.engine.json has no DOM lib).
    files: ['src/engine/**/*.{ts,tsx}'],
    rules: {
      ...restrictImports(...engineLayer),
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    // Views talk to the engine through the store: no runtime or browser-storage modules.
    files: ['src/features/**/*.{ts,tsx}'],
    rules: restrictImports(
      layerImport(
        ['runtime', 'storage'],
        'src/features reaches runtimes and storage only through the store.',
      ),
    ),
  },
  {
    // Shared components are presentational: state comes in through props, not the store.
    files: ['src/components/**/*.{ts,tsx}'],
    rules: restrictImports(
      layerImport(['store'], 'src/components take their data as props; only views read the store.'),
    ),
  },
);
