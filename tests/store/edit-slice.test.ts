// The edit slice on the shared run control: step progress with an ETA, Cancel, one run at a time, and a
// result that carries its own request (the download name and summary never take the form's later values).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RgbaImage } from '../../src/engine/formats/pixels';
import { FakeEngine, resetToTinySet } from './fake-engine';

const engine = new FakeEngine();
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');
const resetStudio = resetToTinySet(useStudio, engine);

const picture: RgbaImage = { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(200) };
const stored = { image: picture, latentTokens: new Float32Array(4) };

beforeEach(() => {
  resetStudio();
  useStudio.getState().updateSettings({ steps: 4 });
});

describe('edit slice', () => {
  it('edits a stored latent with step progress and keeps the run request with the result', async () => {
    const steps: number[] = [];
    const unsubscribe = useStudio.subscribe((s) => {
      if (s.editRun?.progress) steps.push(s.editRun.progress.step);
    });
    await useStudio.getState().edit({ source: stored, classId: 2, seed: 7, guidanceScale: 3, strength: 0.5 });
    unsubscribe();
    expect([...new Set(steps)]).toEqual([1, 2, 3, 4]);
    const { editResult, editRun, activeRun } = useStudio.getState();
    expect(editRun).toBeNull();
    expect(activeRun).toBeNull();
    expect(editResult).toMatchObject({ before: picture, request: { classId: 2, seed: 7, strength: 0.5 } });
    expect(engine.requests[0]).toMatchObject({ classId: 2, seed: 7, guidanceScale: 3, batch: 1 });
    expect(engine.requests[0]!.start).toMatchObject({ init: { strength: 0.5 } });
  });

  it('cancels mid-run: the previous result is gone, a message says so', async () => {
    await useStudio.getState().edit({ source: stored, classId: 0, seed: 1, guidanceScale: 3, strength: 0.5 });
    engine.cancelAtStep = 2;
    engine.onCancelStep = () => useStudio.getState().cancelEdit();
    await useStudio.getState().edit({ source: stored, classId: 0, seed: 2, guidanceScale: 3, strength: 0.5 });
    expect(useStudio.getState()).toMatchObject({
      editResult: null,
      editError: 'Edit cancelled.',
      activeRun: null,
    });
  });

  it('refuses to start while another view runs', async () => {
    useStudio.setState({ activeRun: 'interpolate' });
    await useStudio.getState().edit({ source: stored, classId: 0, seed: 1, guidanceScale: 3, strength: 0.5 });
    expect(engine.requests).toHaveLength(0);
    expect(useStudio.getState().editRun).toBeNull();
  });
});
