import { describe, expect, it } from 'vitest';
import { parseSettingsQuery, writeSettingsQuery } from '../../../src/engine/workspace/settings-url';
import { SOLVER_NAMES } from '../../../src/engine/schedulers/solvers';

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
      'seed: must be an integer in 0..4294967295, got -1',
      'steps: "abc" is not a number',
      `sampler: must be one of ${SOLVER_NAMES.join(', ')}, got "ddim"`,
      'cfg: "" is not a number',
      'batch: must be an integer in 1..16, got 17',
    ]);
  });

  it('checks every value with the shared schema: schedules, ranges and whole numbers', () => {
    const parsed = parseSettingsQuery('?schedule=early-x&cfg=1e300&shift=-1&steps=2.5&class=abc&seed=7');
    expect(parsed.settings).toEqual({ seed: 7 });
    expect(parsed.rejected).toEqual([
      'class: "abc" is not a number',
      'steps: "2.5" is not a whole number',
      'shift: must be a number in 0..20, got -1',
      'cfg: must be a number in 0..20, got 1e+300',
      'schedule: "early-x" is not one of constant, late, linear, early-<t>, cfg_star-<steps>-<ratio>, none',
    ]);
  });

  it('accepts what the sampler accepts: "none" and parametrised schedules', () => {
    expect(parseSettingsQuery('?schedule=none').settings).toEqual({ guidanceSchedule: 'none' });
    expect(parseSettingsQuery('?schedule=cfg_star-1-0').settings).toEqual({
      guidanceSchedule: 'cfg_star-1-0',
    });
  });
});
