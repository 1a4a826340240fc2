// The shape of manifest.json (schema "svg-studio/model-set", written by export-scripts/svg_export/
// model_set.py) as valibot schemas, one per schemaVersion for the networks; the types the studio uses
// are inferred from them. Every message is the phrase that follows the field path in the ManifestError
// ("latent.std[3] must be a positive finite number, got 0"); cross-field rules live in consistency.ts.
import * as v from 'valibot';
import { parseGuidanceSchedule } from '../schedulers/guidance';
import type { CheckFigure } from './check-figures';
import { NETWORK_ROLES, type NetworkRole } from './networks';
import { PRECISION_IDS, REFERENCE_PRECISION, type PrecisionId } from './precisions';
import type { FileEntry } from './reader';
import { describeSolverNames, SOLVER_NAMES } from '../schedulers/solvers';
import { MAX_STEPS } from './sampler-settings';

export const MANIFEST_SCHEMA = 'svg-studio/model-set';
/** The version this studio writes and reads natively; READABLE_VERSIONS are converted to it. */
export const MANIFEST_VERSION = 2;
export const READABLE_VERSIONS = [1, 2] as const;
export type ManifestVersion = (typeof READABLE_VERSIONS)[number];

/** The offending value as written: JSON.stringify would print a number too large for a double (1e999,
 * parsed as Infinity) as "null". */
const got = (issue: { input: unknown }) =>
  `got ${typeof issue.input === 'number' && !Number.isFinite(issue.input) ? `${issue.input} (a number outside the float64 range)` : JSON.stringify(issue.input)}`;

const finiteNumber = v.pipe(
  v.number((i) => `must be a finite number, ${got(i)}`),
  v.finite((i) => `must be a finite number, ${got(i)}`),
);
const integer = v.pipe(
  finiteNumber,
  v.integer((i) => `must be an integer, got ${i.input}`),
);
const positiveInteger = v.pipe(
  integer,
  v.gtValue(0, (i) => `must be > 0, got ${i.input}`),
);
const atLeast = (min: number) =>
  v.pipe(
    finiteNumber,
    v.minValue(min, (i) => `must be >= ${min}, got ${i.input}`),
  );
const nonNegativeInteger = v.pipe(
  integer,
  v.minValue(0, (i) => `must be >= 0, got ${i.input}`),
);

const nonEmptyString = v.pipe(
  v.string('must be a non-empty string'),
  v.minLength(1, 'must be a non-empty string'),
);
const anyString = v.string('must be a string');

/** Finite numbers, optionally all positive, optionally exactly `length` of them (`what` says why). */
function numbers(options: { positive?: boolean; length?: readonly [number, string] } = {}) {
  const item = options.positive
    ? v.pipe(
        v.number((i) => `must be a positive finite number, ${got(i)}`),
        v.finite((i) => `must be a positive finite number, ${got(i)}`),
        v.gtValue(0, (i) => `must be a positive finite number, ${got(i)}`),
      )
    : finiteNumber;
  const array = v.array(item, 'must be an array of numbers');
  const length = options.length;
  if (!length) return array;
  return v.pipe(
    array,
    v.length(length[0], (i) => `has ${i.input.length} values, expected ${length[0]} (${length[1]})`),
  );
}

/** A plain relative path inside the model-set folder: no scheme, no leading slash, no "." or "..". */
export function isPlainRelativePath(file: string): boolean {
  if (file.startsWith('/') || file.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(file) || /[?#]/.test(file))
    return false;
  return file.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** A SHA-256 as 64 hex digits: manifest entries, the model cache's records, evaluation outputs. */
export const Sha256HexSchema = v.pipe(
  v.string((i) => `must be 64 hex digits, ${got(i)}`),
  v.regex(/^[0-9a-fA-F]{64}$/, (i) => `must be 64 hex digits, ${got(i)}`),
);

const fileEntryEntries = {
  file: v.pipe(
    nonEmptyString,
    v.check(
      isPlainRelativePath,
      (i) => `must be a relative path inside the model-set folder, got ${JSON.stringify(i.input)}`,
    ),
  ),
  bytes: positiveInteger,
  sha256: Sha256HexSchema,
};
const FileEntrySchema = v.object(fileEntryEntries, 'must be an object');

export const TENSOR_DTYPES = ['float32', 'float16', 'int64'] as const;
const TensorSpecSchema = v.object(
  {
    name: nonEmptyString,
    dtype: v.picklist(
      TENSOR_DTYPES,
      (i) => `must be ${TENSOR_DTYPES.slice(0, -1).join(', ')} or ${TENSOR_DTYPES.at(-1)}, ${got(i)}`,
    ),
    shape: v.custom<ReadonlyArray<number | string>>(
      (shape) =>
        Array.isArray(shape) &&
        shape.every((d) => (typeof d === 'string' ? d.length > 0 : Number.isInteger(d) && d >= 0)),
      'must be an array of sizes and axis names',
    ),
  },
  'must be an object',
);
export type TensorSpec = v.InferOutput<typeof TensorSpecSchema>;
const tensorSpecs = v.array(TensorSpecSchema, 'must be an array of {name, dtype, shape}');

const nonNegative = atLeast(0);
const VariantCheckSchema = v.object(
  {
    maxRelativeError: v.optional(nonNegative),
    velocityMaxAbs: v.optional(nonNegative),
    latentMaxAbs: v.optional(nonNegative),
    decodedPsnrDb: v.optional(finiteNumber),
  } satisfies Record<CheckFigure, unknown>,
  'must be an object of measured figures',
);
export type VariantCheck = v.InferOutput<typeof VariantCheckSchema>;

const QuantizationSchema = v.object(
  {
    op: nonEmptyString,
    bits: positiveInteger,
    blockSize: positiveInteger,
    layers: v.optional(nonNegativeInteger),
  },
  'must be an object',
);

/** One precision of one network: its graph file, its side file of weights beyond 2 GB, its check. */
const VariantSchema = v.object(
  {
    ...fileEntryEntries,
    /** the weights of a graph over 2 GB, passed to ONNX Runtime as external data */
    externalData: v.optional(FileEntrySchema),
    check: v.optional(VariantCheckSchema),
    quantization: v.optional(QuantizationSchema),
  },
  'must be an object',
);
export type NetworkVariant = v.InferOutput<typeof VariantSchema>;

/** Variants by precision id (precisions.json); float32 is always there. */
export type NetworkVariants = { readonly [REFERENCE_PRECISION]: NetworkVariant } & {
  readonly [id: PrecisionId]: NetworkVariant | undefined;
};

const networkCommon = {
  parameters: nonNegativeInteger,
  inputs: tensorSpecs,
  outputs: tensorSpecs,
  config: v.record(v.string(), v.unknown(), 'must be an object'),
};

const NetworkSchemaV2 = v.object(
  {
    ...networkCommon,
    variants: v.pipe(
      v.custom<Record<string, unknown>>(
        (variants) => typeof variants === 'object' && variants !== null && !Array.isArray(variants),
        'must be an object of variants by precision',
      ),
      v.record(
        v.picklist(PRECISION_IDS, `is not a precision of precisions.json (${PRECISION_IDS.join(', ')})`),
        VariantSchema,
        'must be an object of variants by precision',
      ),
      v.check(
        (variants) => REFERENCE_PRECISION in variants,
        `must include ${REFERENCE_PRECISION} (the reference variant every network ships)`,
      ),
      v.transform((variants) => variants as NetworkVariants),
    ),
  },
  'must be an object',
);
export type NetworkEntry = v.InferOutput<typeof NetworkSchemaV2>;

/** Version 1: the float32 file at the top of the entry and an optional named `float16` variant. */
const NetworkSchemaV1 = v.object(
  {
    ...networkCommon,
    ...fileEntryEntries,
    externalData: v.optional(FileEntrySchema),
    float16: v.optional(
      v.object(
        {
          ...fileEntryEntries,
          externalData: v.optional(FileEntrySchema),
          maxRelativeError: v.optional(nonNegative),
        },
        'must be an object',
      ),
    ),
  },
  'must be an object',
);
type NetworkEntryV1 = v.InferOutput<typeof NetworkSchemaV1>;

/** The version-2 entry of a version-1 network (in memory; the file on disk is not touched). */
export function networkFromV1(entry: NetworkEntryV1): NetworkEntry {
  const { file, bytes, sha256, externalData, float16, ...common } = entry;
  const variants: Record<PrecisionId, NetworkVariant> = {
    [REFERENCE_PRECISION]: { file, bytes, sha256, ...(externalData ? { externalData } : {}) },
  };
  if (float16) {
    const { maxRelativeError, ...files } = float16;
    variants.float16 = {
      ...files,
      ...(maxRelativeError !== undefined ? { check: { maxRelativeError } } : {}),
    };
  }
  return { ...common, variants: variants as NetworkVariants };
}

function networksSchema<S extends typeof NetworkSchemaV1 | typeof NetworkSchemaV2>(network: S) {
  return v.object(
    Object.fromEntries(NETWORK_ROLES.map((role) => [role, network])) as Record<NetworkRole, S>,
    'must be an object',
  );
}

const guidanceSchedule = v.pipe(
  nonEmptyString,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    try {
      parseGuidanceSchedule(dataset.value);
    } catch (error) {
      addIssue({ message: error instanceof Error ? error.message : String(error) });
    }
  }),
);

/** Everything but `schemaVersion` (checked first, it picks the network schema) and `networks`. */
const manifestEntries = {
  schema: v.literal(MANIFEST_SCHEMA, (i) => `must be "${MANIFEST_SCHEMA}", ${got(i)}`),
  schemaVersion: v.optional(v.unknown()),
  id: nonEmptyString,
  name: nonEmptyString,
  description: anyString,
  randomWeights: v.boolean('must be true or false'),
  license: nonEmptyString,
  attribution: anyString,
  image: v.object(
    {
      resolution: positiveInteger,
      patchSize: positiveInteger,
      normalization: v.object(
        {
          mean: numbers({ length: [3, 'RGB channels'] }),
          std: numbers({ positive: true, length: [3, 'RGB channels'] }),
        },
        'must be an object',
      ),
    },
    'must be an object',
  ),
  latent: v.object(
    {
      /** [h, w] tokens = image.resolution / image.patchSize per side */
      grid: v.pipe(
        numbers({ positive: true, length: [2, 'rows and columns'] }),
        v.transform((grid) => grid as unknown as readonly [number, number]),
      ),
      dinoChannels: positiveInteger,
      residualChannels: positiveInteger,
      /** dinoChannels + residualChannels */
      channels: positiveInteger,
      /** eps of match_distribution */
      alignmentEps: atLeast(0),
      /** per-channel statistics of raw latents; the DiT works on (z - mean) / std */
      mean: numbers(),
      std: numbers({ positive: true }),
    },
    'must be an object',
  ),
  classes: v.object(
    {
      count: positiveInteger,
      names: v.custom<readonly string[]>(
        (names) => Array.isArray(names) && names.every((n) => typeof n === 'string' && n.trim() !== ''),
        'must be an array of non-empty strings',
      ),
      nullId: v.optional(v.unknown()),
    },
    'must be an object',
  ),
  sampler: v.object(
    {
      steps: v.pipe(
        integer,
        v.minValue(1, (i) => `must be >= 1, got ${i.input}`),
        v.maxValue(MAX_STEPS, (i) => `must be <= ${MAX_STEPS}, got ${i.input}`),
      ),
      sampler: v.picklist(SOLVER_NAMES, (i) => `must be ${describeSolverNames()}, ${got(i)}`),
      shift: finiteNumber,
      guidanceScale: finiteNumber,
      /** reference cfg_mode string (schedulers/guidance.ts) */
      guidanceSchedule,
    },
    'must be an object',
  ),
  createdBy: v.optional(anyString),
};

export const ManifestSchemaV2 = v.object(
  { ...manifestEntries, networks: networksSchema(NetworkSchemaV2) },
  'must be an object',
);
export const ManifestSchemaV1 = v.object(
  { ...manifestEntries, networks: networksSchema(NetworkSchemaV1) },
  'must be an object',
);
/** Top-level keys in document order: violations are listed section by section in this order. */
export const MANIFEST_SECTIONS = Object.keys(ManifestSchemaV2.entries);

type ParsedV2 = v.InferOutput<typeof ManifestSchemaV2>;
export type SamplerDefaults = ParsedV2['sampler'];

export interface ModelSetManifest extends Omit<
  ParsedV2,
  'schema' | 'schemaVersion' | 'classes' | 'networks'
> {
  readonly schema: typeof MANIFEST_SCHEMA;
  /** Always MANIFEST_VERSION in memory; older files are converted when read. */
  readonly schemaVersion: typeof MANIFEST_VERSION;
  readonly classes: { readonly count: number; readonly names: readonly string[]; readonly nullId: number };
  readonly networks: Readonly<Record<NetworkRole, NetworkEntry>>;
}

/** The version-2 in-memory manifest from a file of either readable version. */
export function toCurrentVersion(
  parsed: v.InferOutput<typeof ManifestSchemaV1> | ParsedV2,
  version: ManifestVersion,
): ModelSetManifest {
  const networks = Object.fromEntries(
    NETWORK_ROLES.map((role) => {
      const entry = parsed.networks[role];
      return [role, version === 1 ? networkFromV1(entry as NetworkEntryV1) : (entry as NetworkEntry)];
    }),
  ) as Record<NetworkRole, NetworkEntry>;
  return {
    ...parsed,
    schema: MANIFEST_SCHEMA,
    schemaVersion: MANIFEST_VERSION,
    classes: parsed.classes as ModelSetManifest['classes'],
    networks,
  };
}

/** The files of one variant: its graph, then its external-data side file when it has one. */
export function variantFiles(variant: NetworkVariant): FileEntry[] {
  return variant.externalData ? [variant, variant.externalData] : [variant];
}

/** Graph file plus side file: what a variant downloads and roughly what its weights occupy. */
export const variantBytes = (variant: NetworkVariant): number =>
  variant.bytes + (variant.externalData?.bytes ?? 0);

/** Every variant of every network, each listed once (for the cache and the storage panel). */
export function allVariantFiles(manifest: ModelSetManifest): FileEntry[] {
  const byName = new Map<string, FileEntry>();
  for (const role of NETWORK_ROLES) {
    for (const variant of Object.values(manifest.networks[role].variants)) {
      for (const entry of variant ? variantFiles(variant) : []) {
        byName.set(entry.file, { file: entry.file, bytes: entry.bytes, sha256: entry.sha256 });
      }
    }
  }
  return [...byName.values()];
}
