// How a gallery entry is named wherever the user picks one (the gallery grid, the recent strip, the
// Interpolate view's endpoint choice), so the same result reads the same everywhere.
import type { GalleryEntry } from '../../store/gallery-slice';

/** "heart, seed 7, image 2": the class, the run's seed and the entry's place in its batch (from 1). */
export const entryLabel = (entry: GalleryEntry): string =>
  `${entry.className}, seed ${entry.settings.seed}, image ${entry.batchIndex + 1}`;
