// Cross-field rules of a manifest: sizes that must agree with each other (channels, counts, the token
// grid) and the graph I/O every network must declare for those sizes (graph-io.json, the contract with the
// ONNX export).
// They run on the raw JSON next to the schema, using only fields the schema found valid, so one
// ManifestError lists the schema's violations and these together.
import { BATCH_AXIS, expectedIo } from './graph-io';
import { NETWORK_ROLES } from './networks';
import type { TensorSpec } from './schema';

export interface Problem {
  /** dotted field path, array indices in brackets: "latent.std[3]" */
  readonly path: string;
  /** the phrase after the path: "must be > 0, got 0" */
  readonly message: string;
}

/** Same name, dtype and sizes; the leading batch axis may carry any axis name (it is dynamic). */
function specMatches(declared: TensorSpec, wanted: TensorSpec): boolean {
  return (
    declared.name === wanted.name &&
    declared.dtype === wanted.dtype &&
    declared.shape.length === wanted.shape.length &&
    wanted.shape.every((d, i) =>
      d === BATCH_AXIS ? typeof declared.shape[i] === 'string' : declared.shape[i] === d,
    )
  );
}

const describeSpecs = (specs: readonly TensorSpec[]) =>
  specs.map((s) => `${s.name} ${s.dtype} [${s.shape.join(', ')}]`).join(', ') || 'none';

/**
 * Checks the cross-field rules on `json`; `hasSchemaIssue(path)` says whether the schema rejected that
 * field (or something inside it), in which case rules that read it are skipped.
 */
export function consistencyProblems(json: unknown, hasSchemaIssue: (path: string) => boolean): Problem[] {
  const problems: Problem[] = [];
  const fail = (path: string, message: string) => void problems.push({ path, message });
  /** The value at a dotted path when present and accepted by the schema. */
  const valid = <T>(path: string): T | undefined => {
    if (hasSchemaIssue(path)) return undefined;
    let node: unknown = json;
    for (const key of path.split('.')) {
      if (typeof node !== 'object' || node === null) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node as T | undefined;
  };

  const resolution = valid<number>('image.resolution');
  const patchSize = valid<number>('image.patchSize');
  if (resolution !== undefined && patchSize !== undefined && resolution % patchSize !== 0) {
    fail('image.resolution', `${resolution} is not a multiple of image.patchSize = ${patchSize}`);
  }

  const dino = valid<number>('latent.dinoChannels');
  const residual = valid<number>('latent.residualChannels');
  let channels = valid<number>('latent.channels');
  if (
    channels !== undefined &&
    dino !== undefined &&
    residual !== undefined &&
    channels !== dino + residual
  ) {
    fail(
      'latent.channels',
      `is ${channels}, expected ${dino + residual} (latent.dinoChannels + latent.residualChannels)`,
    );
    channels = undefined;
  }
  if (channels !== undefined) {
    for (const field of ['latent.mean', 'latent.std']) {
      const values = valid<number[]>(field);
      if (values && values.length !== channels) {
        fail(field, `has ${values.length} values, expected ${channels} (latent.channels)`);
      }
    }
  }
  const grid = valid<[number, number]>('latent.grid');
  if (grid && resolution !== undefined && patchSize !== undefined) {
    const side = resolution / patchSize;
    if (grid[0] !== side || grid[1] !== side) {
      fail(
        'latent.grid',
        `is [${grid.join(', ')}], expected [${side}, ${side}] (image.resolution / image.patchSize per side)`,
      );
    }
  }

  const count = valid<number>('classes.count');
  const names = valid<string[]>('classes.names');
  if (count !== undefined && names && names.length !== count) {
    fail('classes.names', `has ${names.length} names, expected ${count} (classes.count)`);
  }
  if (count !== undefined) {
    const nullId = valid<unknown>('classes.nullId');
    if (nullId !== count) {
      fail(
        'classes.nullId',
        `must be ${count} (classes.count, the null label), got ${JSON.stringify(nullId)}`,
      );
    }
  }

  const io =
    resolution !== undefined && grid && dino !== undefined && residual !== undefined && channels !== undefined
      ? expectedIo({
          resolution,
          gridRows: grid[0],
          gridColumns: grid[1],
          tokens: grid[0] * grid[1],
          dinoChannels: dino,
          residualChannels: residual,
          channels,
        })
      : undefined;
  for (const role of NETWORK_ROLES) {
    for (const side of ['inputs', 'outputs'] as const) {
      const path = `networks.${role}.${side}`;
      const declared = valid<TensorSpec[]>(path);
      const wanted = io?.[role][side];
      if (
        declared &&
        wanted &&
        (declared.length !== wanted.length ||
          !wanted.every((w, i) => specMatches(declared[i] as TensorSpec, w)))
      ) {
        fail(path, `are ${describeSpecs(declared)}; expected ${describeSpecs(wanted)}`);
      }
    }
  }
  return problems;
}
