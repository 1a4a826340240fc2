// The generation slice: seed modes around a run, the preview interval it asks for, link settings over
// manifest defaults, reset, and a cancelled run that leaves settings and the previous result intact.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEngine, resetToTinySet, TINY_MANIFEST } from './fake-engine';

const engine = new FakeEngine();
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');

beforeEach(resetToTinySet(useStudio, engine));

describe('generation slice', () => {
  it('adopts the manifest sampler defaults, with a link overriding them', () => {
    const { sampler } = TINY_MANIFEST;
    expect(useStudio.getState().settings).toMatchObject({
      steps: sampler.steps,
      shift: sampler.shift,
      batch: 1,
    });
    useStudio.setState({ pendingLinkSettings: { steps: 3, seed: 99, classId: 2 } });
    useStudio.getState().adoptManifestDefaults(TINY_MANIFEST);
    expect(useStudio.getState().settings).toMatchObject({ steps: 3, seed: 99, classId: 2 });
    expect(useStudio.getState().pendingLinkSettings).toBeNull();
  });

  it('keeps what the user set while the first set was loading, over its defaults', () => {
    useStudio.setState({ manifest: null, pendingLinkSettings: { seed: 99 } });
    useStudio.getState().updateSettings({ steps: 7 });
    useStudio.getState().adoptManifestDefaults(TINY_MANIFEST);
    expect(useStudio.getState().settings).toMatchObject({
      steps: 7,
      seed: 99,
      shift: TINY_MANIFEST.sampler.shift,
    });
    expect(useStudio.getState().pendingLinkSettings).toBeNull();
  });

  it('refuses a link class the set does not have, saying so', () => {
    useStudio.setState({ pendingLinkSettings: { classId: 5000 } });
    useStudio.getState().adoptManifestDefaults(TINY_MANIFEST);
    expect(useStudio.getState().settings.classId).toBe(0);
    expect(useStudio.getState().workspaceNotice).toMatch(/class 5000 does not exist/);
  });

  it('resets sampler settings to the defaults but keeps class and seed', () => {
    const store = useStudio.getState();
    store.updateSettings({ steps: 77, guidanceScale: 9, batch: 4, classId: 3, seed: 5 });
    store.resetToDefaults();
    expect(useStudio.getState().settings).toMatchObject({
      steps: TINY_MANIFEST.sampler.steps,
      guidanceScale: TINY_MANIFEST.sampler.guidanceScale,
      batch: 1,
      classId: 3,
      seed: 5,
    });
  });

  it('increments the seed past the batch after a run', async () => {
    useStudio.getState().updateSettings({ seed: 10, batch: 4, steps: 2 });
    useStudio.getState().setSeedMode('increment');
    await useStudio.getState().generate();
    expect(engine.requests[0]?.seed).toBe(10);
    expect(useStudio.getState().result?.images).toHaveLength(4);
    expect(useStudio.getState().settings.seed).toBe(14);
  });

  it('draws a new seed for each run in random mode and records the one used', async () => {
    useStudio.getState().updateSettings({ seed: 10, steps: 2 });
    useStudio.getState().setSeedMode('random');
    await useStudio.getState().generate();
    await useStudio.getState().generate();
    const [first, second] = engine.requests.map((r) => r.seed);
    expect(first).not.toBe(second);
    expect(useStudio.getState().result?.settings.seed).toBe(second);
  });

  it('asks for previews from the measured cost of the previous run, and none when turned off', async () => {
    useStudio.getState().updateSettings({ steps: 20 });
    await useStudio.getState().generate();
    // Nothing measured yet (no warm-up ran): no previews rather than a fixed guess.
    expect(engine.requests[0]?.previewEvery).toBe(0);
    await useStudio.getState().generate();
    // Measured: 10 ms a step, 30 ms a decode → every ceil(30 / (0.25 * 10)) = 12 steps.
    expect(engine.requests[1]?.previewEvery).toBe(12);
    useStudio.getState().setPreviewsEnabled(false);
    await useStudio.getState().generate();
    expect(engine.requests[2]?.previewEvery).toBe(0);
  });

  it('runs the first generation at the interval the cost model takes from the warm-up', async () => {
    useStudio.getState().updateSettings({ steps: 16, sampler: 'heun' });
    engine.warmUpCost = { forwardMs: 20, decodeMs: 90 };
    useStudio.getState().startWarmUp();
    await vi.waitFor(() => expect(useStudio.getState().warmUpCost).not.toBeNull());
    expect(engine.warmUps).toEqual([{ batch: 1 }]);
    await useStudio.getState().generate();
    // Heun: 2 forwards a step = 40 ms; a 90 ms decode → every ceil(90 / (0.25 * 40)) = 9 steps.
    expect(engine.requests[0]?.previewEvery).toBe(9);
  });

  it('keeps each preview on screen until the next one replaces it, and clears it when the run ends', async () => {
    useStudio.setState({ measuredCost: { stepMs: 10, decodeMs: 10 } }); // → a preview every 4 steps
    useStudio.getState().updateSettings({ steps: 10 });
    const seen: Array<[step: number, previewStep: number | null]> = [];
    const unsubscribe = useStudio.subscribe((state, before) => {
      if (state.progress && state.progress !== before.progress)
        seen.push([state.progress.step, state.preview?.step ?? null]);
    });
    await useStudio.getState().generate();
    unsubscribe();
    expect(engine.requests[0]?.previewEvery).toBe(4);
    expect(seen).toEqual([
      [1, null],
      [2, null],
      [3, null],
      [4, 4],
      [5, 4],
      [6, 4],
      [7, 4],
      [8, 8],
      [9, 8],
      [10, 8],
    ]);
    expect(useStudio.getState().preview).toBeNull();
  });

  it('cancels mid-run, keeping the settings and the previous result, and can run again', async () => {
    useStudio.getState().updateSettings({ steps: 5, seed: 3 });
    await useStudio.getState().generate();
    const previous = useStudio.getState().result;
    engine.cancelAtStep = 3;
    engine.onCancelStep = () => useStudio.getState().cancel();
    await useStudio.getState().generate();
    const state = useStudio.getState();
    expect(state.generationError).toBe('Generation cancelled.');
    expect(state.result).toBe(previous);
    expect(state.settings).toMatchObject({ steps: 5, seed: 3 });
    expect(state.activeRun).toBeNull();
    engine.cancelAtStep = null;
    await useStudio.getState().generate();
    expect(useStudio.getState().generationError).toBeNull();
    expect(useStudio.getState().result).not.toBe(previous);
  });

  it('does not start while a model set is loading', async () => {
    useStudio.setState({ loadStatus: 'loading' });
    await useStudio.getState().generate();
    expect(engine.requests).toHaveLength(0);
  });
});
