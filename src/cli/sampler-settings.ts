// The sampler settings of a CLI run: each one from its option, else from the model set's manifest, then
// checked by the engine's validator before any work (so a bad --cfg-mode is refused at once, by name).
import { validateSamplerSettings, type ModelSetManifest } from '../engine/model-set';
import type { GenerateRequest } from '../engine/api/studio-engine';
import type { SamplerArgs } from './args';

export type ResolvedSamplerSettings = Pick<
  GenerateRequest,
  'steps' | 'sampler' | 'shift' | 'guidanceScale' | 'guidanceSchedule'
>;

export function samplerSettings(args: SamplerArgs, manifest: ModelSetManifest): ResolvedSamplerSettings {
  const defaults = manifest.sampler;
  const settings = {
    steps: args.steps ?? defaults.steps,
    sampler: (args.sampler ?? defaults.sampler) as GenerateRequest['sampler'],
    shift: args.shift ?? defaults.shift,
    guidanceScale: args.cfg ?? defaults.guidanceScale,
    guidanceSchedule: args.cfgMode ?? defaults.guidanceSchedule,
  };
  validateSamplerSettings(manifest, { ...settings, batch: 1 });
  return settings;
}
