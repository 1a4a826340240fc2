// Sampler settings a run may ask for, checked before any network runs (class ids against the manifest).
import { InvalidSettingError } from '../errors';
import { describeRange, isFiniteIn, LIMITS } from '../limits';
import { parseGuidanceSchedule } from '../schedulers/guidance';
import { describeSolverNames, isSolverName, SOLVER_NAMES, type SolverName } from '../schedulers/solvers';
import type { ModelSetManifest } from './schema';

export const MAX_STEPS = LIMITS.steps.max;
/** Per engine call (see LIMITS.engineBatch); links and generate runs are held to LIMITS.batch. */
export const MAX_BATCH = LIMITS.engineBatch.max;
/** The ODE solvers the sampler implements: the registry in src/engine/schedulers/solvers.ts. */
export { SOLVER_NAMES, type SolverName };

export interface SamplerSettings {
  readonly steps: number;
  readonly sampler: string;
  readonly shift: number;
  readonly guidanceScale: number;
  /** a reference cfg_mode string, or "none" for no guidance */
  readonly guidanceSchedule: string;
  readonly batch: number;
  readonly classId?: number;
  readonly seed?: number;
  readonly previewEvery?: number;
}

/** Throws InvalidSettingError naming the first invalid field (class ids against `manifest`). */
export function validateSamplerSettings(manifest: ModelSetManifest, s: SamplerSettings): void {
  const fail = (field: string, message: string): never => {
    throw new InvalidSettingError(`${field} ${message}`);
  };
  const isInteger = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!isInteger(s.steps, 1, MAX_STEPS))
    fail('steps', `must be an integer in 1..${MAX_STEPS}, got ${s.steps}`);
  if (!isSolverName(s.sampler)) fail('sampler', `must be ${describeSolverNames()}, got "${s.sampler}"`);
  // Finite ranges (limits.ts): beyond them the sampler overflows float32 (cfg 1e38 gave a black image).
  if (!isFiniteIn(s.shift, LIMITS.shift))
    fail('shift', `must be a number in ${describeRange(LIMITS.shift)}, got ${s.shift}`);
  if (!isFiniteIn(s.guidanceScale, LIMITS.guidanceScale))
    fail(
      'guidance scale',
      `must be a number in ${describeRange(LIMITS.guidanceScale)}, got ${s.guidanceScale}`,
    );
  if (s.guidanceSchedule !== 'none') {
    try {
      parseGuidanceSchedule(s.guidanceSchedule);
    } catch (error) {
      fail(
        'guidance schedule',
        error instanceof Error ? error.message.replace(/^guidance schedule /, '') : String(error),
      );
    }
  }
  if (!isInteger(s.batch, 1, MAX_BATCH))
    fail('batch', `must be an integer in 1..${MAX_BATCH}, got ${s.batch}`);
  const { count } = manifest.classes;
  if (s.classId !== undefined && !isInteger(s.classId, 0, count - 1))
    fail('class', `must be an id in 0..${count - 1}, got ${s.classId}`);
  if (s.seed !== undefined && !(Number.isSafeInteger(s.seed) && s.seed >= 0))
    fail('seed', `must be a non-negative integer, got ${s.seed}`);
  if (s.previewEvery !== undefined && !isInteger(s.previewEvery, 0, MAX_STEPS)) {
    fail('preview interval', `must be an integer >= 0, got ${s.previewEvery}`);
  }
}
