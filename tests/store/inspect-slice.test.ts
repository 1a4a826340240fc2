// The inspect slice: two images chosen at once are encoded one after the other (the latest per slot),
// each with its PCA, on the shared run control; another view's run refuses it with a message.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RgbaImage } from '../../src/engine/formats/pixels';
import type {
  EncodeImagesRequest,
  EncodeImagesResult,
  StudioEngine,
} from '../../src/engine/api/studio-engine';
import { resetToTinySet, TINY_MANIFEST } from './fake-engine';

const [gridH, gridW] = TINY_MANIFEST.latent.grid;
const tokens = gridH * gridW;
const image = (value: number): RgbaImage => ({
  width: 1,
  height: 1,
  data: new Uint8ClampedArray(4).fill(value),
});

/** The first pixel value of each image encoded, in order. */
const encoded: number[] = [];
/** The encoder the inspector calls, recorded (the store reaches it through studioEngine()). */
const engine = {
  async encodeImages(request: EncodeImagesRequest): Promise<EncodeImagesResult> {
    encoded.push(request.images[0]!.data[0]!);
    let state = request.images[0]!.data[0]! + 1;
    const random = () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
    const result: EncodeImagesResult = {
      inputs: request.images,
      latentTokens: new Float32Array(tokens),
      latentDims: [1, tokens, 1],
      dinoTokens: Float32Array.from({ length: tokens * 4 }, random),
      dinoDims: [1, tokens, 4],
      residual: new Float32Array(tokens),
      residualDims: [1, tokens, 1],
      timings: { encodeMs: 1 },
    };
    return result;
  },
} satisfies Pick<StudioEngine, 'encodeImages'> & Record<string, unknown>;

vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');
const resetStudio = resetToTinySet(useStudio);

beforeEach(() => {
  resetStudio();
  encoded.length = 0;
});

describe('inspect slice', () => {
  it('queues a second image chosen while the first encodes, keeping the latest per slot', async () => {
    const runs = [
      useStudio.getState().inspect('first', image(1)),
      useStudio.getState().inspect('second', image(2)),
      useStudio.getState().inspect('second', image(3)),
    ];
    await Promise.all(runs);
    await vi.waitFor(() => expect(useStudio.getState().inspected.second).not.toBeNull());
    expect(encoded).toEqual([1, 3]);
    const { first, second } = useStudio.getState().inspected;
    expect(first!.pca.image.width).toBe(gridW);
    expect(second!.runId).toBeGreaterThan(first!.runId);
    expect(useStudio.getState().activeRun).toBeNull();
  });

  it('says so when another view is running', async () => {
    useStudio.setState({ activeRun: 'generate' });
    await useStudio.getState().inspect('first', image(1));
    expect(encoded).toEqual([]);
    expect(useStudio.getState().inspectError).toMatch(/Another run is active/);
  });
});
