// One valid GenerateRequest for the engine, pipeline and worker tests: each test names only the settings
// it is about, so the rest cannot drift apart between copies.
import type { GenerateRequest } from '../../../src/engine/api/studio-engine';

/** Class 0, seed 0, 4 Euler steps at shift 1, constant guidance 3, one image, no previews; then `overrides`. */
export function generateRequest(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    classId: 0,
    seed: 0,
    steps: 4,
    sampler: 'euler',
    shift: 1,
    guidanceScale: 3,
    guidanceSchedule: 'constant',
    batch: 1,
    previewEvery: 0,
    ...overrides,
  };
}
