// The grid slice: one batch-1 generation per cell with the workspace's seed, bad axis values refused
// before anything runs, and finished cells kept when the grid is cancelled.
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
});
