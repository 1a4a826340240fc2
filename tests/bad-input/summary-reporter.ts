// Vitest reporter that prints the bad-input suite's counts once, at the end of a run: one line with the
// cases per surface and area, counted from the describe blocks badInputCases makes (every file's cases,
// however the run was split across workers).
import type { Reporter, TestModule } from 'vitest/node';
import { addCases, formatSummary, parseSuiteTitle, type CaseCounts } from './summary';

export default class BadInputSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts: CaseCounts = new Map();
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        const parent = testCase.parent;
        const area = parent.type === 'suite' ? parseSuiteTitle(parent.name) : null;
        if (area) addCases(counts, area.surface, area.area, 1);
      }
    }
    if (counts.size > 0) console.log(formatSummary(counts));
  }
}
