// The grid slice: one batch-1 generation per cell with the workspace's seed, bad axis values refused
// before anything runs, finished cells kept when the grid is cancelled, and each cell's measured figure
// (only for the set and settings the evaluation measured).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEngine, resetToTinySet } from './fake-engine';

const engine = new FakeEngine();
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');
const resetStudio = resetToTinySet(useStudio, engine);

beforeEach(() => {
  resetStudio();
  useStudio.getState().updateSettings({ seed: 42, batch: 3, classId: 1 });
});

describe('grid slice', () => {
  it('runs the steps comparison as one generation per cell with the same seed', async () => {
    await useStudio.getState().runGrid();
    expect(engine.requests.map((r) => r.steps)).toEqual([1, 2, 4, 8, 25]);
    expect(engine.requests.every((r) => r.seed === 42 && r.batch === 1 && r.previewEvery === 0)).toBe(true);
    const run = useStudio.getState().gridRun;
    expect(run?.images.every((image) => image !== null)).toBe(true);
    expect(run?.activeCell).toBeNull();
  });

  it('runs an X/Y grid row by row', async () => {
    useStudio.getState().setGridX({ name: 'guidance', values: '1, 4' });
    useStudio.getState().setGridY({ name: 'class', values: '0, 2' });
    await useStudio.getState().runGrid();
    expect(engine.requests.map((r) => [r.guidanceScale, r.classId])).toEqual([
      [1, 0],
      [4, 0],
      [1, 2],
      [4, 2],
    ]);
  });

  it('refuses bad axis values before running anything', async () => {
    useStudio.getState().setGridX({ name: 'class', values: '0, 99' });
    await useStudio.getState().runGrid();
    expect(engine.requests).toHaveLength(0);
    expect(useStudio.getState().gridError).toMatch(/"99"/);
  });

  it('keeps finished cells when cancelled', async () => {
    useStudio.getState().setGridX({ name: 'steps', values: '2, 6, 2' });
    engine.cancelAtStep = 4;
    engine.onCancelStep = () => useStudio.getState().cancel();
    await useStudio.getState().runGrid();
    const run = useStudio.getState().gridRun;
    expect(run?.images.map((image) => image !== null)).toEqual([true, false, false]);
    expect(useStudio.getState().gridError).toMatch(/cancelled/);
    expect(useStudio.getState().activeRun).toBeNull();
  });

  it('runs every solver across steps, each cell with the figure measured for it on the bundled set', async () => {
    useStudio.getState().setGridX({ name: 'steps', values: '2, 4, 8' });
    useStudio.getState().setGridY({ name: 'solver', values: 'euler, heun, ab2' });
    await useStudio.getState().runGrid();
    expect(engine.requests.map((r) => `${r.sampler} ${r.steps}`)).toEqual([
      'euler 2',
      'euler 4',
      'euler 8',
      'heun 2',
      'heun 4',
      'heun 8',
      'ab2 2',
      'ab2 4',
      'ab2 8',
    ]);
    // random-tiny was never evaluated: no figure anywhere
    expect(useStudio.getState().gridRun?.figures.every((figure) => figure === undefined)).toBe(true);

    // the same grid on svg-mini (its manifest hash) at the evaluation's guidance and shift
    const svgMini = readFileSync('public/models/svg-mini/manifest.json');
    useStudio.setState({ manifestSha256: createHash('sha256').update(svgMini).digest('hex') });
    useStudio.getState().updateSettings({ guidanceScale: 4.5, shift: 0.2, guidanceSchedule: 'constant' });
    await useStudio.getState().runGrid();
    const figures = useStudio.getState().gridRun?.figures ?? [];
    expect(figures.map((figure) => figure !== undefined)).toEqual([
      ...[false, true, true],
      ...[false, true, true],
      ...[false, true, true],
    ]);
    expect(figures[1]?.source).toBe('evaluation script, 384 samples');
  });
});
