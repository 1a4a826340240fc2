// The model-set descriptor's public names, in one import: the implementation is split by job under
// src/engine/model-set/ (schema and parsing, cross-field rules, integrity, the reader contract, class
// lookup, sampler-setting checks, the precision and network tables).
export { resolveClass } from './classes';
export { expectedIo } from './graph-io';
export { sha256Hex, verifyFileIntegrity } from './integrity';
export { NETWORK_LABEL, NETWORK_ROLES, TASK_NETWORKS, type NetworkRole, type StudioTask } from './networks';
export { parseJson, parseManifest, readManifestText } from './parse';
export { PRECISION_IDS, REFERENCE_PRECISION, type PrecisionId } from './precisions';
export type { FileEntry, ModelFileReader, ModelFileSource } from './reader';
export {
  MAX_BATCH,
  MAX_STEPS,
  SOLVER_NAMES,
  validateSamplerSettings,
  type SamplerSettings,
} from './sampler-settings';
export { CHECK_FIGURES, describeCheck, type CheckFigure } from './check-figures';
export {
  MANIFEST_SCHEMA,
  MANIFEST_VERSION,
  READABLE_VERSIONS,
  allVariantFiles,
  variantBytes,
  variantFiles,
  type ModelSetManifest,
  type NetworkEntry,
  type NetworkVariant,
  type SamplerDefaults,
  type TensorSpec,
  type VariantCheck,
} from './schema';
