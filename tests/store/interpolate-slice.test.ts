// The interpolate slice on the shared run control: progress per sampling step with an ETA (never stuck
// on "Preparing endpoints"), Cancel, one run at a time with other views, and a result that is cleared when
// a new run starts and carries its own run id and export name.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { seedEndpoints, type InterpolationProgress } from '../../src/engine/pipelines/interpolate';
import { FakeEngine, resetToTinySet, TINY_MANIFEST } from './fake-engine';

const engine = new FakeEngine();
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');

beforeEach(resetToTinySet(useStudio, engine));

function seeds(values: number[]) {
  const { settings } = useStudio.getState();
  return seedEndpoints(TINY_MANIFEST, values, { ...settings, steps: 4, classId: 1 });
}

describe('interpolate slice', () => {
  it('reports progress per sampling step with an ETA, then keeps the tagged result', async () => {
    const seen: InterpolationProgress[] = [];
    const unsubscribe = useStudio.subscribe((s) => {
      if (s.interpolationRun?.progress) seen.push(s.interpolationRun.progress);
    });
    await useStudio.getState().interpolate({ endpoints: seeds([1, 2]), frames: 3, choice: 'spherical' });
    unsubscribe();
    const frames = seen.filter((p) => p.stage === 'frames');
    // one chunk of 3 frames, 4 steps: a report per step and one when the chunk is done
    expect(frames.length).toBeGreaterThanOrEqual(4);
    expect(frames[0]!.fraction).toBeCloseTo(0.25);
    expect(frames.every((p) => p.etaMs !== null)).toBe(true);
    const { interpolation, interpolationRun, activeRun } = useStudio.getState();
    expect(interpolationRun).toBeNull();
    expect(activeRun).toBeNull();
    expect(interpolation).toMatchObject({ baseName: 'interpolation-spherical-3f', columns: 3 });
    expect(interpolation!.strips[0]!.frames).toHaveLength(3);
    expect(engine.requests[0]).toMatchObject({ batch: 3, classId: 1, previewEvery: 0 });
  });

  it('clears the previous result when a run starts, so exports can only take the finished run', async () => {
    await useStudio.getState().interpolate({ endpoints: seeds([1, 2]), frames: 2, choice: 'linear' });
    const first = useStudio.getState().interpolation!;
    let during: unknown = 'unset';
    engine.cancelAtStep = 2;
    engine.onCancelStep = () => (during = useStudio.getState().interpolation);
    await useStudio.getState().interpolate({ endpoints: seeds([3, 4]), frames: 4, choice: 'compare' });
    expect(during).toBeNull();
    const second = useStudio.getState().interpolation!;
    expect(second.runId).toBeGreaterThan(first.runId);
    expect(second.baseName).toBe('interpolation-compare-4f');
    expect(second.strips.map((s) => s.method)).toEqual(['linear', 'spherical']);
  });

  it('cancels: no result, a cancelled message, and the run control free again', async () => {
    engine.cancelAtStep = 2;
    engine.onCancelStep = () => useStudio.getState().cancelInterpolation();
    await useStudio.getState().interpolate({ endpoints: seeds([1, 2]), frames: 4, choice: 'linear' });
    expect(useStudio.getState()).toMatchObject({
      interpolation: null,
      interpolationError: 'Interpolation cancelled.',
      activeRun: null,
    });
  });

  it('refuses to start while another run is active', async () => {
    useStudio.setState({ activeRun: 'generate' });
    await useStudio.getState().interpolate({ endpoints: seeds([1, 2]), frames: 2, choice: 'linear' });
    expect(engine.requests).toHaveLength(0);
    expect(useStudio.getState().interpolationRun).toBeNull();
  });
});
