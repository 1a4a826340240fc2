// The reconstruct slice: encode then decode item 0 as one run (stage shown), a re-decode of the same
// latent, Cancel, one run at a time, and a result tagged with its run id and model set.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SamplingCancelledError } from '../../src/engine/errors';
import type { RgbaImage } from '../../src/engine/formats/pixels';
import type {
  DecodeLatentsRequest,
  DecodeLatentsResult,
  EncodeImagesRequest,
  EncodeImagesResult,
  StudioEngine,
} from '../../src/engine/api/studio-engine';
import { resetToTinySet, TINY_MANIFEST } from './fake-engine';

const image = (value: number): RgbaImage => ({
  width: 1,
  height: 1,
  data: new Uint8ClampedArray(4).fill(value),
});

const decodes: DecodeLatentsRequest[] = [];
/** The run stage the store showed at each decode. */
const stages: (string | undefined)[] = [];
/** The two engine calls the lab makes, recorded (the store reaches them through studioEngine()). */
const engine = {
  async encodeImages(request: EncodeImagesRequest): Promise<EncodeImagesResult> {
    const batch = request.images.length;
    return {
      inputs: request.images,
      latentTokens: Float32Array.from({ length: batch * 2 }, (_, i) => i),
      latentDims: [batch, 1, 2],
      dinoTokens: new Float32Array(batch),
      dinoDims: [batch, 1, 1],
      residual: new Float32Array(batch),
      residualDims: [batch, 1, 1],
      timings: { encodeMs: 5 },
    };
  },
  async decodeLatents(
    request: DecodeLatentsRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<DecodeLatentsResult> {
    stages.push(useStudio.getState().reconstructRun?.stage);
    if (options.signal?.aborted) throw new SamplingCancelledError('cancelled');
    decodes.push(request);
    return { images: [image(request.dinoOnly ? 1 : 2)], timings: { decodeMs: 7 } } as DecodeLatentsResult;
  },
} satisfies Pick<StudioEngine, 'encodeImages' | 'decodeLatents'> & Record<string, unknown>;

vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');
const resetStudio = resetToTinySet(useStudio);

beforeEach(() => {
  resetStudio();
  decodes.length = 0;
  stages.length = 0;
});

describe('reconstruct slice', () => {
  it('encodes a batch, decodes item 0 alone, then re-decodes the same latent', async () => {
    await useStudio.getState().reconstruct([image(10), image(20)], false);
    const first = useStudio.getState().reconstruction!;
    expect(first).toMatchObject({ modelSetId: TINY_MANIFEST.id, batchSize: 2, dinoOnly: false, encodeMs: 5 });
    expect(decodes[0]!.latentDims).toEqual([1, 1, 2]);
    expect([...decodes[0]!.latentTokens]).toEqual([0, 1]);
    expect(stages).toEqual(['decode']);
    await useStudio.getState().redecode('mean');
    const second = useStudio.getState().reconstruction!;
    expect(second.runId).toBeGreaterThan(first.runId);
    expect(second).toMatchObject({ dinoOnly: 'mean', batchSize: 2 });
    expect(decodes[1]!.dinoOnly).toBe('mean');
  });

  it('cancels, leaves no result and frees the run control', async () => {
    const run = useStudio.getState().reconstruct([image(10)], false);
    useStudio.getState().cancelReconstruct();
    await run;
    expect(useStudio.getState()).toMatchObject({
      reconstruction: null,
      reconstructError: 'Reconstruction cancelled.',
      activeRun: null,
    });
  });

  it('refuses to start while another run is active', async () => {
    useStudio.setState({ activeRun: 'generate' });
    await useStudio.getState().reconstruct([image(10)], false);
    expect(decodes).toHaveLength(0);
    expect(useStudio.getState().reconstructRun).toBeNull();
  });
});
