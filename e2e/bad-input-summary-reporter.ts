// Playwright reporter that prints the bad-input suite's Playwright count once, at the end of an e2e
// run: each bad-input spec prints its table's line (playwrightCasesLine in tests/bad-input/summary.ts)
// from its worker; this sums them into one line, as the vitest summary reporter does for its runner.
import type { Reporter } from '@playwright/test/reporter';
import { addPlaywrightCases, formatSummary, type CaseCounts } from '../tests/bad-input/summary';

export default class BadInputSummaryReporter implements Reporter {
  private readonly counts: CaseCounts = new Map();

  printsToStdio(): boolean {
    return false; // the list reporter prints the run; this adds one line at the end
  }

  onStdOut(chunk: string | Buffer): void {
    addPlaywrightCases(this.counts, chunk.toString());
  }

  onEnd(): void {
    if (this.counts.size > 0) console.log(formatSummary(this.counts));
  }
}
