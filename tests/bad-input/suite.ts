// The bad-input suite's framework: a table of cases per area, each run as its own test, and a count of
// cases per surface printed when the file finishes ("bad-input cases: unit 57 (gallery records 23, …)").
// Surfaces: 'unit' (vitest, this process), 'cli' (vitest running the CLI), 'playwright' (e2e specs
// print their own line with the same format, see e2e/bad-input-storage.spec.ts).
import { afterAll, describe, it } from 'vitest';

export type Surface = 'unit' | 'cli' | 'playwright';

export interface BadInputCase {
  /** What is wrong, as the test title: "settings: null". */
  readonly name: string;
}

const counts = new Map<Surface, Map<string, number>>();
let printing = false;

/** "bad-input cases: unit 12 (links 8, records 4)", one surface per line. */
export function formatCounts(table: ReadonlyMap<Surface, ReadonlyMap<string, number>>): string[] {
  return [...table].map(([surface, areas]) => {
    const total = [...areas.values()].reduce((a, b) => a + b, 0);
    const detail = [...areas].map(([area, n]) => `${area} ${n}`).join(', ');
    return `bad-input cases: ${surface} ${total} (${detail})`;
  });
}

/**
 * Registers one test per case under `area` and counts them for `surface`. `check` must assert the
 * exact error class or message, and that user data (gallery, settings) is intact afterwards.
 */
export function badInputCases<C extends BadInputCase>(
  surface: Surface,
  area: string,
  cases: readonly C[],
  check: (testCase: C) => void | Promise<void>,
): void {
  const areas = counts.get(surface) ?? new Map<string, number>();
  areas.set(area, (areas.get(area) ?? 0) + cases.length);
  counts.set(surface, areas);
  describe(`bad input (${surface}): ${area}`, () => {
    it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) =>
      check(testCase),
    );
  });
  if (!printing) {
    printing = true;
    afterAll(() => {
      for (const line of formatCounts(counts)) console.log(line);
    });
  }
}
