// The model-set descriptor (manifest.json, schema "svg-studio/model-set" version 1): parsing with one
// message per violation and its field path, cross-field consistency, class lookup, sampler-setting
// checks, and file-integrity verification. Written by export-scripts/svg_export/model_set.py.
import {
  IntegrityError,
  InvalidSettingError,
  ManifestError,
  UnknownClassError,
} from './errors';
import { parseGuidanceSchedule } from './schedulers/guidance';

export const MANIFEST_SCHEMA = 'svg-studio/model-set';
export const MANIFEST_VERSION = 1;

export type NetworkRole = 'dinoEncoder' | 'residualEncoder' | 'decoder' | 'dit';
export const NETWORK_ROLES: readonly NetworkRole[] = ['dinoEncoder', 'residualEncoder', 'decoder', 'dit'];

export interface TensorSpec {
  readonly name: string;
  readonly dtype: 'float32' | 'int64' | 'float16';
  readonly shape: ReadonlyArray<number | string>;
}

export interface FileEntry {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface NetworkEntry extends FileEntry {
  /** Weights stored outside the graph (ONNX external data), for graphs over protobuf's 2 GB limit. */
  readonly externalData?: FileEntry;
  readonly parameters: number;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly config: Record<string, unknown>;
}

export interface SamplerDefaults {
  readonly steps: number;
  readonly sampler: 'euler' | 'heun';
  readonly shift: number;
  readonly guidanceScale: number;
  readonly guidanceSchedule: string;
}

export interface ModelSetManifest {
  readonly schema: typeof MANIFEST_SCHEMA;
  readonly schemaVersion: number;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly randomWeights: boolean;
  readonly license: string;
  readonly attribution: string;
  readonly image: {
    readonly resolution: number;
    readonly patchSize: number;
    readonly normalization: { readonly mean: readonly number[]; readonly std: readonly number[] };
  };
  readonly latent: {
    readonly grid: readonly [number, number];
    readonly dinoChannels: number;
    readonly residualChannels: number;
    readonly channels: number;
    readonly alignmentEps: number;
    readonly mean: readonly number[];
    readonly std: readonly number[];
  };
  readonly classes: { readonly count: number; readonly names: readonly string[]; readonly nullId: number };
  readonly sampler: SamplerDefaults;
  readonly networks: Readonly<Record<NetworkRole, NetworkEntry>>;
  readonly createdBy?: string;
}

/** JSON.parse with a ManifestError naming the source. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${source}: not valid JSON (${error instanceof Error ? error.message : error})`);
  }
}

/** Collects violations while walking the JSON; each check returns the value or undefined. */
class Checker {
  readonly problems: string[] = [];

  fail(path: string, message: string): undefined {
    this.problems.push(`${path} ${message}`);
    return undefined;
  }

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return this.fail(path, 'must be an object');
  }

  string(value: unknown, path: string, nonEmpty = true): string | undefined {
    if (typeof value === 'string' && (!nonEmpty || value.length > 0)) return value;
    return this.fail(path, nonEmpty ? 'must be a non-empty string' : 'must be a string');
  }

  number(value: unknown, path: string, options: { integer?: boolean; min?: number; positive?: boolean } = {}): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(path, 'must be a finite number');
    if (options.integer && !Number.isInteger(value)) return this.fail(path, `must be an integer, got ${value}`);
    if (options.min !== undefined && value < options.min) return this.fail(path, `must be >= ${options.min}, got ${value}`);
    if (options.positive && value <= 0) return this.fail(path, `must be > 0, got ${value}`);
    return value;
  }

  numbers(value: unknown, path: string, length: number | undefined, positive = false): number[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, 'must be an array of numbers');
    if (length !== undefined && value.length !== length) return this.fail(path, `has ${value.length} values, expected ${length}`);
    const bad = value.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0));
    if (bad >= 0) return this.fail(`${path}[${bad}]`, positive ? 'must be a positive finite number' : 'must be a finite number');
    return value as number[];
  }
}

function checkTensorSpecs(c: Checker, value: unknown, path: string): TensorSpec[] | undefined {
  if (!Array.isArray(value)) return c.fail(path, 'must be an array');
  value.forEach((spec, i) => {
    const entry = c.object(spec, `${path}[${i}]`);
    if (!entry) return;
    c.string(entry.name, `${path}[${i}].name`);
    if (!['float32', 'int64', 'float16'].includes(entry.dtype as string)) c.fail(`${path}[${i}].dtype`, 'must be float32, float16 or int64');
    if (!Array.isArray(entry.shape) || entry.shape.some((d) => typeof d !== 'number' && typeof d !== 'string')) {
      c.fail(`${path}[${i}].shape`, 'must be an array of sizes or axis names');
    }
  });
  return value as TensorSpec[];
}

function checkFileEntry(c: Checker, entry: Record<string, unknown>, path: string): void {
  const file = c.string(entry.file, `${path}.file`);
  if (file !== undefined && (file.includes('..') || file.startsWith('/') || /^[a-z]+:/i.test(file))) {
    c.fail(`${path}.file`, `must be a plain relative file name, got "${file}"`);
  }
  c.number(entry.bytes, `${path}.bytes`, { integer: true, positive: true });
  if (typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) c.fail(`${path}.sha256`, 'must be 64 lowercase hex digits');
}

/** The I/O each network must declare, given the manifest's sizes: the contract with the ONNX graphs. */
function expectedIo(m: ModelSetManifest): Record<NetworkRole, { inputs: TensorSpec[]; outputs: TensorSpec[] }> {
  const r = m.image.resolution;
  const [h, w] = m.latent.grid;
  const n = h * w;
  const pixels: TensorSpec = { name: 'pixels', dtype: 'float32', shape: ['batch', 3, r, r] };
  return {
    dinoEncoder: { inputs: [pixels], outputs: [{ name: 'patch_tokens', dtype: 'float32', shape: ['batch', n, m.latent.dinoChannels] }] },
    residualEncoder: { inputs: [pixels], outputs: [{ name: 'residual', dtype: 'float32', shape: ['batch', m.latent.residualChannels, n] }] },
    decoder: {
      inputs: [{ name: 'latent', dtype: 'float32', shape: ['batch', m.latent.channels, h, w] }],
      outputs: [{ name: 'image', dtype: 'float32', shape: ['batch', 3, r, r] }],
    },
    dit: {
      inputs: [
        { name: 'x', dtype: 'float32', shape: ['batch', n, m.latent.channels] },
        { name: 't', dtype: 'float32', shape: ['batch'] },
        { name: 'y', dtype: 'int64', shape: ['batch'] },
      ],
      outputs: [{ name: 'velocity', dtype: 'float32', shape: ['batch', n, m.latent.channels] }],
    },
  };
}

const sameSpec = (a: TensorSpec, b: TensorSpec) =>
  a.name === b.name && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
const describeSpec = (s: TensorSpec) => `${s.name} [${s.shape.join(', ')}]`;

/** Validates a parsed manifest.json; throws one ManifestError listing every violation. */
export function parseManifest(json: unknown, source: string): ModelSetManifest {
  const c = new Checker();
  const root = c.object(json, 'manifest');
  if (!root) throw new ManifestError(`${source}: the manifest must be a JSON object`);
  if (root.schema !== MANIFEST_SCHEMA) c.fail('schema', `must be "${MANIFEST_SCHEMA}", got ${JSON.stringify(root.schema)}`);
  if (root.schemaVersion !== MANIFEST_VERSION) {
    c.fail('schemaVersion', `must be ${MANIFEST_VERSION} (this studio reads version ${MANIFEST_VERSION}), got ${JSON.stringify(root.schemaVersion)}`);
  }
  c.string(root.id, 'id');
  c.string(root.name, 'name');
  c.string(root.description, 'description', false);
  if (typeof root.randomWeights !== 'boolean') c.fail('randomWeights', 'must be true or false');
  c.string(root.license, 'license');
  c.string(root.attribution, 'attribution');

  const image = c.object(root.image, 'image');
  const resolution = c.number(image?.resolution, 'image.resolution', { integer: true, positive: true });
  const patchSize = c.number(image?.patchSize, 'image.patchSize', { integer: true, positive: true });
  const normalization = c.object(image?.normalization, 'image.normalization');
  c.numbers(normalization?.mean, 'image.normalization.mean', 3);
  c.numbers(normalization?.std, 'image.normalization.std', 3, true);

  const latent = c.object(root.latent, 'latent');
  const grid = c.numbers(latent?.grid, 'latent.grid', 2, true);
  const dinoChannels = c.number(latent?.dinoChannels, 'latent.dinoChannels', { integer: true, positive: true });
  const residualChannels = c.number(latent?.residualChannels, 'latent.residualChannels', { integer: true, positive: true });
  const channels = c.number(latent?.channels, 'latent.channels', { integer: true, positive: true });
  c.number(latent?.alignmentEps, 'latent.alignmentEps', { min: 0 });
  if (channels !== undefined && dinoChannels !== undefined && residualChannels !== undefined && channels !== dinoChannels + residualChannels) {
    c.fail('latent.channels', `is ${channels}, expected dinoChannels + residualChannels = ${dinoChannels + residualChannels}`);
  }
  c.numbers(latent?.mean, 'latent.mean', channels);
  c.numbers(latent?.std, 'latent.std', channels, true);
  if (grid && resolution !== undefined && patchSize !== undefined) {
    const side = resolution / patchSize;
    if (grid[0] !== side || grid[1] !== side) c.fail('latent.grid', `is [${grid.join(', ')}], expected image.resolution / image.patchSize = ${side} per side`);
  }

  const classes = c.object(root.classes, 'classes');
  const count = c.number(classes?.count, 'classes.count', { integer: true, positive: true });
  if (!Array.isArray(classes?.names) || classes.names.some((n) => typeof n !== 'string')) c.fail('classes.names', 'must be an array of strings');
  else if (count !== undefined && classes.names.length !== count) c.fail('classes.names', `has ${classes.names.length} names, expected classes.count = ${count}`);
  if (count !== undefined && classes?.nullId !== count) c.fail('classes.nullId', `must equal classes.count (${count}), got ${JSON.stringify(classes?.nullId)}`);

  const sampler = c.object(root.sampler, 'sampler');
  c.number(sampler?.steps, 'sampler.steps', { integer: true, min: 1 });
  if (typeof sampler?.steps === 'number' && sampler.steps > 1000) c.fail('sampler.steps', `must be at most 1000, got ${sampler.steps}`);
  if (sampler?.sampler !== 'euler' && sampler?.sampler !== 'heun') c.fail('sampler.sampler', `must be "euler" or "heun", got ${JSON.stringify(sampler?.sampler)}`);
  c.number(sampler?.shift, 'sampler.shift');
  c.number(sampler?.guidanceScale, 'sampler.guidanceScale');
  const schedule = c.string(sampler?.guidanceSchedule, 'sampler.guidanceSchedule');
  if (schedule !== undefined) {
    try {
      parseGuidanceSchedule(schedule);
    } catch (error) {
      c.fail('sampler.guidanceSchedule', (error as Error).message);
    }
  }

  const networks = c.object(root.networks, 'networks');
  for (const role of NETWORK_ROLES) {
    const path = `networks.${role}`;
    const entry = networks ? c.object(networks[role], path) : undefined;
    if (!entry) continue;
    checkFileEntry(c, entry, path);
    if (entry.externalData !== undefined) {
      const external = c.object(entry.externalData, `${path}.externalData`);
      if (external) checkFileEntry(c, external, `${path}.externalData`);
    }
    c.number(entry.parameters, `${path}.parameters`, { integer: true, min: 0 });
    checkTensorSpecs(c, entry.inputs, `${path}.inputs`);
    checkTensorSpecs(c, entry.outputs, `${path}.outputs`);
    c.object(entry.config, `${path}.config`);
  }

  if (c.problems.length === 0) {
    const manifest = root as unknown as ModelSetManifest;
    const expected = expectedIo(manifest);
    for (const role of NETWORK_ROLES) {
      for (const side of ['inputs', 'outputs'] as const) {
        const declared = manifest.networks[role][side];
        const wanted = expected[role][side];
        if (declared.length !== wanted.length || !wanted.every((spec, i) => sameSpec(spec, declared[i] as TensorSpec))) {
          c.fail(
            `networks.${role}.${side}`,
            `are ${declared.map(describeSpec).join(', ') || 'empty'}, expected ${wanted.map(describeSpec).join(', ')}`,
          );
        }
      }
    }
  }
  if (c.problems.length) {
    throw new ManifestError(`${source}: invalid model-set manifest:\n  - ${c.problems.join('\n  - ')}`);
  }
  return root as unknown as ModelSetManifest;
}

/** A class id (number or numeric string) or a case-insensitive class name → id. */
export function resolveClass(manifest: ModelSetManifest, idOrName: string | number): number {
  const { names, count } = manifest.classes;
  const text = String(idOrName).trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    if (id < count) return id;
    throw new UnknownClassError(`class id ${id} is out of range: this model set has classes 0..${count - 1}`);
  }
  const wanted = text.toLowerCase();
  const exact = names.findIndex((n) => n.toLowerCase() === wanted);
  if (exact >= 0) return exact;
  const close = names.filter((n) => n.toLowerCase().includes(wanted) || wanted.includes(n.toLowerCase())).slice(0, 5);
  throw new UnknownClassError(
    `unknown class "${text}"${close.length ? `; did you mean ${close.map((n) => `"${n}"`).join(', ')}?` : ` (classes are ids 0..${count - 1} or names such as "${names[0]}")`}`,
  );
}

export interface SamplerSettings {
  readonly classId: number;
  readonly steps: number;
  readonly sampler: string;
  readonly shift: number;
  readonly guidanceScale: number;
  readonly guidanceSchedule: string;
  readonly batch: number;
  readonly seed: number;
}

/** Throws InvalidSettingError naming the first bad field. */
export function validateSamplerSettings(manifest: ModelSetManifest, s: SamplerSettings): void {
  const fail = (field: string, message: string) => {
    throw new InvalidSettingError(`${field} ${message}`);
  };
  if (!Number.isInteger(s.classId) || s.classId < 0 || s.classId >= manifest.classes.count) {
    fail('class', `must be an id in 0..${manifest.classes.count - 1}, got ${s.classId}`);
  }
  if (!Number.isInteger(s.steps) || s.steps < 1 || s.steps > 1000) fail('steps', `must be an integer in 1..1000, got ${s.steps}`);
  if (s.sampler !== 'euler' && s.sampler !== 'heun') fail('sampler', `must be euler or heun, got "${s.sampler}"`);
  if (!Number.isFinite(s.shift)) fail('shift', `must be a finite number, got ${s.shift}`);
  if (!Number.isFinite(s.guidanceScale)) fail('guidance scale', `must be a finite number, got ${s.guidanceScale}`);
  if (s.guidanceSchedule !== 'none') parseGuidanceSchedule(s.guidanceSchedule);
  if (!Number.isInteger(s.batch) || s.batch < 1 || s.batch > 64) fail('batch size', `must be an integer in 1..64, got ${s.batch}`);
  if (!Number.isSafeInteger(s.seed) || s.seed < 0) fail('seed', `must be a non-negative integer, got ${s.seed}`);
}

const toHex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** Checks a downloaded file against its manifest entry: size first (cheap), then SHA-256. */
export async function verifyFileIntegrity(
  file: string,
  bytes: Uint8Array,
  expected: { readonly bytes: number; readonly sha256: string },
): Promise<void> {
  if (bytes.byteLength !== expected.bytes) {
    throw new IntegrityError(`${file}: size is ${bytes.byteLength} bytes, the manifest says ${expected.bytes}`);
  }
  const digest = toHex(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  if (digest !== expected.sha256) {
    throw new IntegrityError(`${file}: SHA-256 is ${digest}, the manifest says ${expected.sha256} (corrupt or replaced file)`);
  }
}
