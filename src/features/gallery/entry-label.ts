// How a gallery entry is named wherever the user picks one (the gallery grid, the recent strip, the
// Interpolate view's endpoint choice), so the same result reads the same everywhere.
import { SOLVERS } from '../../engine/schedulers/solvers';
import type { GalleryEntry } from '../../store/gallery-slice';

/** "heart, seed 7, image 2": the class, the run's seed and the entry's place in its batch (from 1). */
export const entryLabel = (entry: GalleryEntry): string =>
  `${entry.className}, seed ${entry.settings.seed}, image ${entry.batchIndex + 1}`;

/** "Euler, 16 steps, shift 0.2": the solver by its table label, as the Generate panel names it. */
export const entrySamplerLabel = ({ settings }: GalleryEntry): string =>
  `${SOLVERS[settings.sampler].label}, ${settings.steps} steps, shift ${settings.shift}`;
