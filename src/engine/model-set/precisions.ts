// The one table of precision variants (precisions.json, shared with the Python exporter) and the rule
// each precision's activations impose on the runtime. A network may ship any of these as
// `networks.<role>.variants.<id>` (manifest schemaVersion 2); a new precision is one row in the JSON.
import * as v from 'valibot';
import table from './precisions.json' with { type: 'json' };

/**
 * What the planner knows about the provider a variant would run on (from its row in
 * BROWSER_PROVIDERS, src/engine/providers.ts): only whether it computes in float16.
 */
export interface RuntimeFacts {
  /** why float16 activations cannot run there ("WASM computes in float32 only"); absent when they can */
  readonly noFloat16?: string;
}

/** A requirement of a precision on the runtime, with the words the capability report uses. */
export interface PrecisionRequirement {
  /** e.g. "WebGPU with shader-f16" */
  readonly needs: string;
  readonly met: (facts: RuntimeFacts) => boolean;
  /** why it is not met on `facts`, e.g. "this adapter lacks shader-f16" */
  readonly unmet: (facts: RuntimeFacts) => string;
}

/**
 * Requirements by activation dtype. Weight formats add none: 4-bit weights are
 * com.microsoft.MatMulNBits nodes, which onnxruntime-web runs on WASM and on any WebGPU adapter.
 */
const ACTIVATION_REQUIREMENTS: Readonly<Record<string, PrecisionRequirement>> = {
  float32: { needs: 'any provider', met: () => true, unmet: () => '' },
  float16: {
    needs: 'WebGPU with shader-f16',
    met: (f) => f.noFloat16 === undefined,
    unmet: (f) => f.noFloat16 ?? '',
  },
};

const PrecisionRowSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/)),
  weights: v.string(),
  activations: v.picklist(Object.keys(ACTIVATION_REQUIREMENTS)),
  fileSuffix: v.string(),
  description: v.string(),
});

export type PrecisionRow = v.InferOutput<typeof PrecisionRowSchema> & {
  readonly requirement: PrecisionRequirement;
};

/** Precision id, one of PRECISION_IDS (data, not a literal union: the table is the list). */
export type PrecisionId = string;

/** The reference precision every network ships and every runtime runs. */
export const REFERENCE_PRECISION = 'float32';

export const PRECISIONS: readonly PrecisionRow[] = v
  .parse(v.object({ precisions: v.array(PrecisionRowSchema) }), table)
  .precisions.map((row) => ({
    ...row,
    requirement: ACTIVATION_REQUIREMENTS[row.activations] as PrecisionRequirement,
  }));

export const PRECISION_IDS: readonly PrecisionId[] = PRECISIONS.map((row) => row.id);

if (!PRECISION_IDS.includes(REFERENCE_PRECISION)) {
  throw new Error(`precisions.json must list the ${REFERENCE_PRECISION} reference precision`);
}

export function precisionRow(id: PrecisionId): PrecisionRow {
  const row = PRECISIONS.find((p) => p.id === id);
  if (!row) throw new RangeError(`unknown precision "${id}" (known: ${PRECISION_IDS.join(', ')})`);
  return row;
}
