import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public', 'test-results', 'playwright-report', 'export-scripts'] },
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
    // The engine is framework-free and runtime-free: it must not import React, the DOM-bound code or ORT.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'react',
            'react-dom',
            'onnxruntime-*',
            'zustand',
            '../runtime/*',
            '../worker/*',
            '../store/*',
          ],
        },
      ],
    },
  },
  {
    // Only src/runtime may import the ONNX Runtime packages.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/runtime/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['onnxruntime-*'] }] },
  },
);
