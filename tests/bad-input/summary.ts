// How the bad-input suite names and counts its cases, shared by the vitest cases (suite.ts), the
// runners' summary reporters (one line per runner at the end of a run) and the defect map's test.
// Vitest cases sit in a describe block titled by suiteTitle, one test per case; a Playwright journey
// covers several cases, so each bad-input spec prints playwrightCasesLine for its own table.

/** Where a case runs: vitest in-process ('unit'), vitest running the CLI ('cli'), or Playwright. */
export type Surface = 'unit' | 'cli' | 'playwright';
const SURFACES: readonly Surface[] = ['unit', 'cli', 'playwright'];

/** Cases per surface, then per area ("downloads", "gallery records", …), in the order first seen. */
export type CaseCounts = Map<Surface, Map<string, number>>;

const isSurface = (text: string): text is Surface => (SURFACES as readonly string[]).includes(text);

/** The describe title of one area's cases: "bad input (unit): downloads". */
export function suiteTitle(surface: Surface, area: string): string {
  return `bad input (${surface}): ${area}`;
}

/** Surface and area of a suiteTitle; null for any other title. */
export function parseSuiteTitle(title: string): { surface: Surface; area: string } | null {
  const match = /^bad input \((\w+)\): (.+)$/.exec(title);
  return match && isSurface(match[1] as string)
    ? { surface: match[1] as Surface, area: match[2] as string }
    : null;
}

/** What a bad-input spec prints for its table: "bad-input cases: playwright 3 (stored state 3)". */
export function playwrightCasesLine(area: string, count: number): string {
  return `bad-input cases: playwright ${count} (${area} ${count})`;
}

/** Adds the counts of the playwrightCasesLine lines in `text` to `counts`. */
export function addPlaywrightCases(counts: CaseCounts, text: string): void {
  for (const match of text.matchAll(/^bad-input cases: playwright \d+ \((.+) (\d+)\)$/gm))
    addCases(counts, 'playwright', match[1] as string, Number(match[2]));
}

export function addCases(counts: CaseCounts, surface: Surface, area: string, count: number): void {
  const areas = counts.get(surface) ?? new Map<string, number>();
  areas.set(area, (areas.get(area) ?? 0) + count);
  counts.set(surface, areas);
}

/** "bad-input suite: unit 171, cli 22 (unit: downloads 23, …; cli: …)": one line for a runner. */
export function formatSummary(counts: CaseCounts): string {
  const present = SURFACES.filter((surface) => counts.has(surface));
  const total = (surface: Surface) => [...(counts.get(surface)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const totals = present.map((surface) => `${surface} ${total(surface)}`).join(', ');
  const detail = present
    .map((surface) => {
      const areas = [...(counts.get(surface) ?? [])].map(([area, n]) => `${area} ${n}`).join(', ');
      return `${surface}: ${areas}`;
    })
    .join('; ');
  return present.length === 0 ? 'bad-input suite: no cases ran' : `bad-input suite: ${totals} (${detail})`;
}
