// The bad-input suite's framework: a table of cases per area, each run as its own test under a describe
// block named for its surface and area (summary.ts), so the run's summary reporter
// (summary-reporter.ts) can print one line of counts per surface for the whole run.
import { describe, it } from 'vitest';
import { suiteTitle, type Surface } from './summary';

export interface BadInputCase {
  /** What is wrong, as the test title: "settings: null". */
  readonly name: string;
}

/**
 * Registers one test per case under `area` of `surface`. `check` must assert the exact error class or
 * message, and that user data (gallery, settings) is intact afterwards.
 */
export function badInputCases<C extends BadInputCase>(
  surface: Exclude<Surface, 'playwright'>,
  area: string,
  cases: readonly C[],
  check: (testCase: C) => void | Promise<void>,
): void {
  describe(suiteTitle(surface, area), () => {
    it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) =>
      check(testCase),
    );
  });
}
