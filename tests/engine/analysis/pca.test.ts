// PCA of token sets whose principal directions are known by construction.
import { describe, expect, it } from 'vitest';
import { principalComponents } from '../../../src/engine/analysis/pca';

/** Tokens [N, D] = Σ_c a_c(n)·s_c·e_{axis_c} + mean: independent axes with known spreads. */
function axisTokens(count: number, dim: number, spreads: ReadonlyArray<[axis: number, spread: number]>) {
  const tokens = new Float32Array(count * dim);
  for (let n = 0; n < count; n++) {
    for (let d = 0; d < dim; d++) tokens[n * dim + d] = 5; // an offset PCA must remove
    spreads.forEach(([axis, spread], c) => {
      // Orthogonal zero-mean patterns per component (cosines of distinct frequencies).
      tokens[n * dim + axis]! += spread * Math.cos((2 * Math.PI * (c + 1) * n) / count);
    });
  }
  return tokens;
}

describe('principalComponents', () => {
  it('finds the axes in order of variance, with the largest entry positive', () => {
    const tokens = axisTokens(64, 6, [
      [4, 1],
      [1, 3],
      [2, 2],
    ]);
    const { components, variances } = principalComponents(tokens, [64, 6]);
    const axisOf = (c: number) => {
      const row = [...components.subarray(c * 6, c * 6 + 6)];
      const index = row.reduce((best, v, i) => (Math.abs(v) > Math.abs(row[best]!) ? i : best), 0);
      expect(row[index]).toBeCloseTo(1, 6);
      return index;
    };
    expect([axisOf(0), axisOf(1), axisOf(2)]).toEqual([1, 2, 4]);
    // Variance of s·cos over a full period with N - 1 divisor: s²·N / (2(N - 1)).
    const expected = [9, 4, 1].map((s2) => (s2 * 64) / (2 * 63));
    expected.forEach((v, i) => expect(variances[i]).toBeCloseTo(v, 4));
  });

  it('finds the same axes through the Gram matrix when tokens are wider than they are many (D > N)', () => {
    const tokens = axisTokens(8, 20, [
      [5, 3],
      [12, 2],
      [0, 1],
    ]);
    const { components, variances } = principalComponents(tokens, [8, 20]);
    [5, 12, 0].forEach((axis, c) => expect(components[c * 20 + axis]).toBeCloseTo(1, 6));
    [9, 4, 1].forEach((s2, c) => expect(variances[c]).toBeCloseTo((s2 * 8) / (2 * 7), 6));
  });

  it('projects the centred tokens', () => {
    const tokens = axisTokens(32, 4, [
      [0, 2],
      [3, 1],
      [1, 0.5],
    ]);
    const { projections } = principalComponents(tokens, [32, 4]);
    for (let n = 0; n < 32; n++)
      expect(projections[n * 3]).toBeCloseTo(2 * Math.cos((2 * Math.PI * n) / 32), 4);
  });

  it('is deterministic when the data are negated', () => {
    const tokens = axisTokens(32, 5, [
      [2, 3],
      [0, 2],
      [4, 1],
    ]);
    const a = principalComponents(tokens, [32, 5]);
    const b = principalComponents(
      tokens.map((v) => -v),
      [32, 5],
    );
    for (let i = 0; i < a.components.length; i++) expect(b.components[i]).toBeCloseTo(a.components[i]!, 6);
    for (let i = 0; i < a.projections.length; i++)
      expect(b.projections[i]).toBeCloseTo(-a.projections[i]!, 5);
  });

  it('refuses shapes that do not fit', () => {
    expect(() => principalComponents(new Float32Array(10), [3, 4])).toThrow(/do not form/);
    expect(() => principalComponents(new Float32Array(4), [2, 2])).toThrow(/3 components/);
  });
});
