import { describe, expect, it } from 'vitest';
import { parseSettingsQuery, writeSettingsQuery } from '../../../src/engine/workspace/settings-url';

const SETTINGS = {
  classId: 3,
  seed: 4_000_000_000,
  steps: 8,
  sampler: 'heun' as const,
  shift: 0.15,
  guidanceScale: 4.5,
  guidanceSchedule: 'early-0.5',
  batch: 4,
};

describe('settings in the URL', () => {
  it('round-trips every setting and the model set, keeping other parameters', () => {
    const search = writeSettingsQuery('?view=generate', 'svg-mini', SETTINGS);
    expect(search).toContain('view=generate');
    expect(parseSettingsQuery(search)).toEqual({ modelSetId: 'svg-mini', settings: SETTINGS, rejected: [] });
  });

  it('applies only what is present', () => {
    expect(parseSettingsQuery('?seed=7').settings).toEqual({ seed: 7 });
  });

  it('reports values it cannot use instead of applying them', () => {
    const parsed = parseSettingsQuery('?steps=abc&batch=17&sampler=ddim&cfg=&seed=-1&class=2');
    expect(parsed.settings).toEqual({ classId: 2 });
    expect(parsed.rejected).toEqual([
      'seed: "-1" is not valid',
      'steps: "abc" is not valid',
      'sampler: "ddim" is not valid',
      'cfg: "" is not valid',
      'batch: "17" is not valid',
    ]);
  });
});
