// The guidance-schedule table: every form parses back to itself, and guidance-schedules.json (what the
// Python model-set writer reads) is exactly the table, so there is one source.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatGuidanceSchedule,
  GUIDANCE_SCHEDULE_FORMS,
  GUIDANCE_SCHEDULES,
  parseGuidanceSchedule,
} from '../../../src/engine/schedulers/guidance';

/** guidance-schedules.json as the table implies it; paste this when the test below fails after a new row. */
const expectedJson = () =>
  Object.values(GUIDANCE_SCHEDULES).map((form) => ({
    head: form.head,
    parameters: form.parameters.map(([, kind]) => kind),
  }));

describe('guidance schedule table', () => {
  it('lists the accepted forms for help and error text', () => {
    expect(GUIDANCE_SCHEDULE_FORMS).toEqual([
      'constant',
      'late',
      'linear',
      'early-<t>',
      'cfg_star-<steps>-<ratio>',
    ]);
  });

  it('parses every form back to itself', () => {
    for (const form of Object.values(GUIDANCE_SCHEDULES)) {
      const text = [form.head, ...form.parameters.map(([, kind]) => (kind === 'integer' ? '2' : '0.5'))].join(
        '-',
      );
      expect(formatGuidanceSchedule(parseGuidanceSchedule(text))).toBe(text);
    }
  });

  it('is what guidance-schedules.json says (the Python writer reads that file)', () => {
    const json = JSON.parse(
      readFileSync(
        new URL('../../../src/engine/schedulers/guidance-schedules.json', import.meta.url),
        'utf8',
      ),
    ) as { schedules: unknown };
    expect(json.schedules, JSON.stringify(expectedJson())).toEqual(expectedJson());
  });
});
