// What the seed field does around a run, as in desktop studios: keep it (fixed), draw a new one before
// each run (random), or add the batch size after each run (increment, so no image repeats).
import { LIMITS } from '../limits';

export type SeedMode = 'fixed' | 'random' | 'increment';
export const SEED_MODES: readonly SeedMode[] = ['fixed', 'random', 'increment'];

/** Seeds stay within 32 bits: they round-trip through URLs, PNG metadata and number inputs exactly. */
export const MAX_SEED = LIMITS.seed.max;

export function randomSeed(random: () => number = Math.random): number {
  return Math.floor(random() * (MAX_SEED + 1));
}

/** The seed a run uses, given the field's value. */
export function seedForRun(mode: SeedMode, current: number, random?: () => number): number {
  return mode === 'random' ? randomSeed(random) : current;
}

/** The field's value after a run that used `used` for a batch of `batch` images. */
export function seedAfterRun(mode: SeedMode, used: number, batch: number): number {
  return mode === 'increment' ? (used + batch) % (MAX_SEED + 1) : used;
}
