// The graph I/O contract of the four networks, read from graph-io.json (shared with the Python exporter,
// as precisions.json is): the manifest check resolves its shapes against the manifest's sizes, the
// runtime binds sessions by its names, and export-scripts/svg_export/networks.py exports under them.
import * as v from 'valibot';
import table from './graph-io.json' with { type: 'json' };
import { NETWORK_ROLES, type NetworkRole } from './networks';
import { TENSOR_DTYPES, type TensorSpec } from './schema';

/** The manifest sizes a shape may name; "batch" is the dynamic leading axis. */
export interface GraphSizes {
  /** image.resolution */
  readonly resolution: number;
  /** latent.grid[0] and latent.grid[1] */
  readonly gridRows: number;
  readonly gridColumns: number;
  /** gridRows x gridColumns: one token per latent cell */
  readonly tokens: number;
  /** latent.dinoChannels, latent.residualChannels, latent.channels */
  readonly dinoChannels: number;
  readonly residualChannels: number;
  readonly channels: number;
}

/** The dynamic axis: a graph may give it any name, so the check accepts any axis name there. */
export const BATCH_AXIS = 'batch';
const SIZE_NAMES = [
  'resolution',
  'gridRows',
  'gridColumns',
  'tokens',
  'dinoChannels',
  'residualChannels',
  'channels',
] as const satisfies readonly (keyof GraphSizes)[];

const TensorTemplateSchema = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  dtype: v.picklist(TENSOR_DTYPES),
  shape: v.array(
    v.union([v.pipe(v.number(), v.integer(), v.minValue(0)), v.literal(BATCH_AXIS), v.picklist(SIZE_NAMES)]),
  ),
});
type TensorTemplate = v.InferOutput<typeof TensorTemplateSchema>;

/** Every network returns one tensor (the runtime reads a session's result by that one name). */
const NetworkIoSchema = v.object({
  inputs: v.array(TensorTemplateSchema),
  outputs: v.tuple([TensorTemplateSchema]),
});

/** A record with one entry per network role. */
function byRole<T>(entry: (role: NetworkRole) => T): Record<NetworkRole, T> {
  return Object.fromEntries(NETWORK_ROLES.map((role) => [role, entry(role)])) as Record<NetworkRole, T>;
}

/** One row per role of NETWORK_ROLES, no more and no fewer (strictObject refuses an unknown role). */
const GraphIoTableSchema = v.object({ networks: v.strictObject(byRole(() => NetworkIoSchema)) });

export const GRAPH_IO: Readonly<Record<NetworkRole, v.InferOutput<typeof NetworkIoSchema>>> = v.parse(
  GraphIoTableSchema,
  table,
).networks;

/** The graph I/O each network must declare given the manifest's sizes. */
export function expectedIo(
  sizes: GraphSizes,
): Record<NetworkRole, { inputs: TensorSpec[]; outputs: TensorSpec[] }> {
  const resolve = (template: TensorTemplate): TensorSpec => ({
    name: template.name,
    dtype: template.dtype,
    shape: template.shape.map((d) => (typeof d === 'string' && d !== BATCH_AXIS ? sizes[d] : d)),
  });
  return byRole((role) => ({
    inputs: GRAPH_IO[role].inputs.map(resolve),
    outputs: GRAPH_IO[role].outputs.map(resolve),
  }));
}

/** Input names and the one output name of each network: what a session is fed and read by. */
export const GRAPH_IO_NAMES: Readonly<Record<NetworkRole, { inputs: readonly string[]; output: string }>> =
  byRole((role) => ({
    inputs: GRAPH_IO[role].inputs.map((t) => t.name),
    output: GRAPH_IO[role].outputs[0].name,
  }));
