// A gallery entry's label: its class, its run's seed and its place in the batch counted from 1.
import { describe, expect, it } from 'vitest';
import { entryLabel, entrySamplerLabel } from '../../../src/features/gallery/entry-label';
import { goodEntry } from '../../storage/gallery-fixtures';

describe('entryLabel', () => {
  it('names the class, the seed and the image number', () => {
    expect(entryLabel(goodEntry('a'))).toBe('heart, seed 7, image 2');
  });
});

describe('entrySamplerLabel', () => {
  it('names the solver by its table label (as the Generate panel does), not its id', () => {
    const entry = goodEntry('a');
    const heun = { ...entry, settings: { ...entry.settings, sampler: 'heun' as const } };
    expect(entrySamplerLabel(heun)).toBe(
      `Heun, ${entry.settings.steps} steps, shift ${entry.settings.shift}`,
    );
  });
});
