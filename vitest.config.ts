import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    // The bad-input suite's one line of counts per surface, printed after the default report.
    reporters: ['default', './tests/bad-input/summary-reporter.ts'],
  },
});
