// The model-set descriptor's public names, in one import: the implementation is split by job under
// src/engine/model-set/ (schema and parsing, cross-field rules, integrity, the reader contract, class
// lookup, sampler-setting checks, the precision and network tables).
export { resolveClass } from './model-set/classes';
export { expectedIo } from './model-set/consistency';
export { sha256Hex, verifyFileIntegrity } from './model-set/integrity';
export {
  NETWORK_LABEL,
  NETWORK_ROLES,
  TASK_NETWORKS,
  type NetworkRole,
  type StudioTask,
} from './model-set/networks';
export { parseJson, parseManifest, readManifestText } from './model-set/parse';
export { PRECISION_IDS, REFERENCE_PRECISION, type PrecisionId } from './model-set/precisions';
export type { FileEntry, ModelFileReader, ModelFileSource } from './model-set/reader';
export {
  MAX_BATCH,
  MAX_STEPS,
  SOLVER_NAMES,
  validateSamplerSettings,
  type SamplerSettings,
} from './model-set/sampler-settings';
export { CHECK_FIGURES, describeCheck, type CheckFigure } from './model-set/check-figures';
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
} from './model-set/schema';
