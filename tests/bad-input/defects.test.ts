// The defect map (defects.ts) against the tests themselves: every one of issue 17's fifteen defects has
// at least one test, every vitest test it names exists (as vitest collects it, so a renamed case fails
// here), every Playwright test it names is in its spec, and the suite has at least the 60 cases the
// issue asks for (counted from vitest's collection: the Playwright cases come on top).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ISSUE_17_DEFECTS } from './defects';
import { parseSuiteTitle } from './summary';

const vitestFiles = [...new Set(ISSUE_17_DEFECTS.flatMap((d) => d.tests.map((t) => t.file)))].filter((file) =>
  file.startsWith('tests/'),
);

/** Test full names by file (relative to the repository root), as `vitest list` collects them. */
let collected: Map<string, string[]>;

beforeAll(() => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'svg-bad-input-list-'));
  const json = path.join(folder, 'tests.json');
  try {
    const run = spawnSync(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'list', 'tests/bad-input/', ...vitestFiles, `--json=${json}`],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    collected = new Map();
    for (const { name, file } of JSON.parse(readFileSync(json, 'utf8')) as { name: string; file: string }[]) {
      const relative = path.relative(process.cwd(), file);
      collected.set(relative, [...(collected.get(relative) ?? []), name]);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 120_000);

describe('issue 17 defect map', () => {
  it('names at least one test for each of the fifteen defects', () => {
    expect(ISSUE_17_DEFECTS.map((d) => d.defect)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    for (const { defect, tests } of ISSUE_17_DEFECTS)
      expect(tests.length, `defect ${defect}`).toBeGreaterThan(0);
  });

  it('names vitest tests that exist', () => {
    for (const { defect, tests } of ISSUE_17_DEFECTS)
      for (const { file, test } of tests.filter((t) => t.file.startsWith('tests/')))
        expect(collected.get(file) ?? [], `defect ${defect}: ${file}`).toContain(test);
  });

  it('names Playwright tests that are in their specs', () => {
    for (const { defect, tests } of ISSUE_17_DEFECTS)
      for (const { file, test } of tests.filter((t) => t.file.startsWith('e2e/')))
        expect(readFileSync(file, 'utf8'), `defect ${defect}: ${file}`).toContain(`test('${test}'`);
  });

  it('has at least 60 cases', () => {
    const cases = [...collected.values()]
      .flat()
      .filter((name) => parseSuiteTitle(name.split(' > ')[0] ?? ''));
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });
});
