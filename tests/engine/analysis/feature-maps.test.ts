// Cosine maps, heat colours, PCA colours, residual maps, overlays and click-to-token mapping.
import { describe, expect, it } from 'vitest';
import {
  cosineSimilarities,
  heatColor,
  heatMapImage,
  overlay,
  pcaImage,
  residualChannelImages,
  tokenAtPoint,
  tokenVector,
} from '../../../src/engine/analysis/feature-maps';
import { principalComponents } from '../../../src/engine/analysis/pca';

describe('cosineSimilarities', () => {
  it('is 1 for the query itself, -1 for its opposite, 0 for orthogonal and zero tokens', () => {
    const tokens = Float32Array.from([1, 2, 0, -2, -4, 0, 2, -1, 0, 0, 0, 0]);
    const sims = cosineSimilarities(tokens, [4, 3], tokenVector(tokens, [4, 3], 0));
    expect([...sims].map((v) => Number(v.toFixed(6)))).toEqual([1, -1, 0, 0]);
  });

  it('refuses a query of another width', () => {
    expect(() => cosineSimilarities(new Float32Array(6), [2, 3], new Float32Array(2))).toThrow(/\[N, 2\]/);
  });
});

describe('heat maps', () => {
  it('runs from the dark end to the bright end of the ramp, clamping outside', () => {
    expect(heatColor(0)).toEqual([0, 0, 4]);
    expect(heatColor(1)).toEqual([252, 255, 164]);
    expect(heatColor(-3)).toEqual(heatColor(0));
    expect(heatColor(0.125)).toEqual([44, 8, 57]);
  });

  it('maps the range onto the ramp over the grid', () => {
    const image = heatMapImage([0, 1, 2, 3, 4, 5], [2, 3], [0, 5]);
    expect([image.width, image.height]).toEqual([3, 2]);
    expect([...image.data.subarray(0, 4)]).toEqual([0, 0, 4, 255]);
    expect([...image.data.subarray(20, 24)]).toEqual([252, 255, 164, 255]);
    expect(() => heatMapImage([1, 2, 3], [2, 2], [0, 1])).toThrow(/2x2/);
  });
});

describe('pcaImage', () => {
  it('scales each component to 0..255 over the grid', () => {
    const tokens = Float32Array.from({ length: 4 * 4 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 4)));
    const image = pcaImage(principalComponents(tokens, [4, 4]), [2, 2]);
    for (let c = 0; c < 3; c++) {
      const channel = [0, 1, 2, 3].map((n) => image.data[n * 4 + c]!);
      expect(Math.min(...channel)).toBe(0);
      expect(Math.max(...channel)).toBe(255);
    }
  });
});

describe('residualChannelImages', () => {
  it('gives one grid-size map per channel of the chosen item', () => {
    const residual = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const maps = residualChannelImages(residual, [2, 3, 4], 1, [2, 2]);
    expect(maps).toHaveLength(3);
    expect([...maps[0]!.data.subarray(0, 3)]).toEqual(heatColor(0));
    expect([...maps[0]!.data.subarray(12, 15)]).toEqual(heatColor(1));
  });
});

describe('overlay and tokenAtPoint', () => {
  it('upsamples one block per token and blends by opacity', () => {
    const base = { width: 4, height: 4, data: new Uint8ClampedArray(64).fill(100) };
    const map = {
      width: 2,
      height: 2,
      data: Uint8ClampedArray.from([0, 0, 0, 255, 200, 200, 200, 255, 0, 0, 0, 255, 0, 0, 0, 255]),
    };
    const out = overlay(base, map, 0.5);
    expect(out.data[0]).toBe(50);
    expect(out.data[(0 * 4 + 3) * 4]).toBe(150);
    expect(out.data[(3 * 4 + 3) * 4]).toBe(50);
  });

  it('maps a click to the token under it', () => {
    expect(tokenAtPoint(0, 0, [4, 4])).toBe(0);
    expect(tokenAtPoint(0.99, 0.3, [4, 4])).toBe(7);
    expect(tokenAtPoint(1, 1, [4, 4])).toBe(15);
  });
});
