// The model-set descriptor (manifest.json, schema "svg-studio/model-set" version 1, written by
// export-scripts/svg_export/model_set.py). The studio trusts it for every size it uses, so parsing checks
// the whole document and its cross-field consistency and reports every violation with its field path in
// one ManifestError. Also here: class lookup, sampler-setting checks and file-integrity verification.
import { IntegrityError, InvalidSettingError, ManifestError, UnknownClassError } from './errors';
import { parseGuidanceSchedule } from './schedulers/guidance';

export const MANIFEST_SCHEMA = 'svg-studio/model-set';
export const MANIFEST_VERSION = 1;
export const MAX_STEPS = 1000;
export const MAX_BATCH = 64;

export type NetworkRole = 'dinoEncoder' | 'residualEncoder' | 'decoder' | 'dit';
export const NETWORK_ROLES: readonly NetworkRole[] = ['dinoEncoder', 'residualEncoder', 'decoder', 'dit'];

export type TensorDtype = 'float32' | 'float16' | 'int64';

export interface TensorSpec {
  readonly name: string;
  readonly dtype: TensorDtype;
  /** sizes, or axis names for dynamic axes ("batch") */
  readonly shape: ReadonlyArray<number | string>;
}

export interface FileEntry {
  /** a plain relative path next to manifest.json */
  readonly file: string;
  readonly bytes: number;
  /** lowercase hex SHA-256 of the file */
  readonly sha256: string;
}

export interface NetworkEntry extends FileEntry {
  readonly parameters: number;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly config: Readonly<Record<string, unknown>>;
  /** the weights of a graph over 2 GB, passed to ONNX Runtime as external data */
  readonly externalData?: FileEntry;
  /**
   * Optional half-precision export of the same graph: float16 weights and compute, with Cast nodes at
   * the graph IO so its inputs and outputs are exactly the float32 ones declared here. The studio picks
   * it only on WebGPU adapters with shader-f16 (engine/capabilities.ts).
   */
  readonly float16?: FileVariant;
}

/** A network file with its optional external-data side file (the float16 variant of a network). */
export interface FileVariant extends FileEntry {
  readonly externalData?: FileEntry;
  /** The exporter's check: max |ONNX Runtime float16 - PyTorch float32| / max |PyTorch float32|. */
  readonly maxRelativeError?: number;
}

export interface SamplerDefaults {
  readonly steps: number;
  readonly sampler: 'euler' | 'heun';
  readonly shift: number;
  readonly guidanceScale: number;
  /** reference cfg_mode string (schedulers/guidance.ts) */
  readonly guidanceSchedule: string;
}

export interface ModelSetManifest {
  readonly schema: typeof MANIFEST_SCHEMA;
  readonly schemaVersion: typeof MANIFEST_VERSION;
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
    /** [h, w] tokens = image.resolution / image.patchSize per side */
    readonly grid: readonly [number, number];
    readonly dinoChannels: number;
    readonly residualChannels: number;
    /** dinoChannels + residualChannels */
    readonly channels: number;
    /** eps of match_distribution */
    readonly alignmentEps: number;
    /** per-channel statistics of raw latents; the DiT works on (z - mean) / std */
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
    throw new ManifestError(
      `${source}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

type Json = Record<string, unknown>;

/** Walks the JSON collecting violations; each check returns the value when valid, else undefined. */
class Checker {
  readonly problems: string[] = [];

  fail(path: string, message: string): undefined {
    this.problems.push(`${path} ${message}`);
    return undefined;
  }

  object(value: unknown, path: string): Json | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
    return this.fail(path, value === undefined ? 'is missing' : 'must be an object');
  }

  string(value: unknown, path: string, options: { allowEmpty?: boolean } = {}): string | undefined {
    if (typeof value === 'string' && (options.allowEmpty || value.length > 0)) return value;
    return this.fail(
      path,
      value === undefined
        ? 'is missing'
        : options.allowEmpty
          ? 'must be a string'
          : 'must be a non-empty string',
    );
  }

  number(
    value: unknown,
    path: string,
    options: { integer?: boolean; min?: number; max?: number; positive?: boolean } = {},
  ): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return this.fail(
        path,
        value === undefined ? 'is missing' : `must be a finite number, got ${JSON.stringify(value)}`,
      );
    }
    if (options.integer && !Number.isInteger(value))
      return this.fail(path, `must be an integer, got ${value}`);
    if (options.positive && value <= 0) return this.fail(path, `must be > 0, got ${value}`);
    if (options.min !== undefined && value < options.min)
      return this.fail(path, `must be >= ${options.min}, got ${value}`);
    if (options.max !== undefined && value > options.max)
      return this.fail(path, `must be <= ${options.max}, got ${value}`);
    return value;
  }

  /** An array of finite numbers; `length` is [expected count, what it comes from] when known. */
  numbers(
    value: unknown,
    path: string,
    length?: readonly [number, string],
    options: { positive?: boolean } = {},
  ): number[] | undefined {
    if (!Array.isArray(value))
      return this.fail(path, value === undefined ? 'is missing' : 'must be an array of numbers');
    const bad = value.findIndex(
      (v) => typeof v !== 'number' || !Number.isFinite(v) || (options.positive === true && v <= 0),
    );
    if (bad >= 0) {
      return this.fail(
        `${path}[${bad}]`,
        `must be a ${options.positive ? 'positive ' : ''}finite number, got ${JSON.stringify(value[bad])}`,
      );
    }
    if (length && value.length !== length[0])
      return this.fail(path, `has ${value.length} values, expected ${length[0]} (${length[1]})`);
    return value as number[];
  }

  fileEntry(value: Json, path: string): void {
    const file = this.string(value.file, `${path}.file`);
    if (file !== undefined && !isPlainRelativePath(file)) {
      this.fail(`${path}.file`, `must be a relative path inside the model-set folder, got "${file}"`);
    }
    this.number(value.bytes, `${path}.bytes`, { integer: true, positive: true });
    if (typeof value.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value.sha256)) {
      this.fail(`${path}.sha256`, `must be 64 hex digits, got ${JSON.stringify(value.sha256)}`);
    }
  }

  tensorSpecs(value: unknown, path: string): TensorSpec[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, 'must be an array of {name, dtype, shape}');
    let ok = true;
    value.forEach((item, i) => {
      const spec = this.object(item, `${path}[${i}]`);
      if (!spec) return void (ok = false);
      if (this.string(spec.name, `${path}[${i}].name`) === undefined) ok = false;
      if (!['float32', 'float16', 'int64'].includes(spec.dtype as string)) {
        ok = false;
        this.fail(
          `${path}[${i}].dtype`,
          `must be float32, float16 or int64, got ${JSON.stringify(spec.dtype)}`,
        );
      }
      const shape = spec.shape;
      if (
        !Array.isArray(shape) ||
        shape.some((d) => !(typeof d === 'string' ? d.length > 0 : Number.isInteger(d) && d >= 0))
      ) {
        ok = false;
        this.fail(`${path}[${i}].shape`, 'must be an array of sizes and axis names');
      }
    });
    return ok ? (value as TensorSpec[]) : undefined;
  }
}

function isPlainRelativePath(file: string): boolean {
  if (file.startsWith('/') || file.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(file) || /[?#]/.test(file))
    return false;
  return file.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** The graph I/O each network must declare given the manifest's sizes (the contract with the ONNX export). */
function expectedIo(
  resolution: number,
  [h, w]: readonly [number, number],
  dino: number,
  residual: number,
  channels: number,
): Record<NetworkRole, { inputs: TensorSpec[]; outputs: TensorSpec[] }> {
  const n = h * w;
  const pixels: TensorSpec = {
    name: 'pixels',
    dtype: 'float32',
    shape: ['batch', 3, resolution, resolution],
  };
  return {
    dinoEncoder: {
      inputs: [pixels],
      outputs: [{ name: 'patch_tokens', dtype: 'float32', shape: ['batch', n, dino] }],
    },
    residualEncoder: {
      inputs: [pixels],
      outputs: [{ name: 'residual', dtype: 'float32', shape: ['batch', residual, n] }],
    },
    decoder: {
      inputs: [{ name: 'latent', dtype: 'float32', shape: ['batch', channels, h, w] }],
      outputs: [{ name: 'image', dtype: 'float32', shape: ['batch', 3, resolution, resolution] }],
    },
    dit: {
      inputs: [
        { name: 'x', dtype: 'float32', shape: ['batch', n, channels] },
        { name: 't', dtype: 'float32', shape: ['batch'] },
        { name: 'y', dtype: 'int64', shape: ['batch'] },
      ],
      outputs: [{ name: 'velocity', dtype: 'float32', shape: ['batch', n, channels] }],
    },
  };
}

/** Same name, dtype and sizes; the leading batch axis may carry any axis name (it is dynamic). */
function specMatches(declared: TensorSpec, wanted: TensorSpec): boolean {
  return (
    declared.name === wanted.name &&
    declared.dtype === wanted.dtype &&
    declared.shape.length === wanted.shape.length &&
    wanted.shape.every((d, i) =>
      d === 'batch' ? typeof declared.shape[i] === 'string' : declared.shape[i] === d,
    )
  );
}

const describeSpecs = (specs: readonly TensorSpec[]) =>
  specs.map((s) => `${s.name} ${s.dtype} [${s.shape.join(', ')}]`).join(', ') || 'none';

/** Validates a parsed manifest.json; throws one ManifestError listing every violation with its path. */
export function parseManifest(json: unknown, source: string): ModelSetManifest {
  const c = new Checker();
  const root = c.object(json, 'manifest');
  if (!root) throw new ManifestError(`${source}: the manifest must be a JSON object`);
  if (root.schema !== MANIFEST_SCHEMA)
    c.fail('schema', `must be "${MANIFEST_SCHEMA}", got ${JSON.stringify(root.schema)}`);
  if (root.schemaVersion !== MANIFEST_VERSION) {
    c.fail(
      'schemaVersion',
      `must be ${MANIFEST_VERSION} (the version this studio reads), got ${JSON.stringify(root.schemaVersion)}`,
    );
  }
  c.string(root.id, 'id');
  c.string(root.name, 'name');
  c.string(root.description, 'description', { allowEmpty: true });
  if (typeof root.randomWeights !== 'boolean') c.fail('randomWeights', 'must be true or false');
  c.string(root.license, 'license');
  c.string(root.attribution, 'attribution', { allowEmpty: true });
  if (root.createdBy !== undefined) c.string(root.createdBy, 'createdBy', { allowEmpty: true });

  const image = c.object(root.image, 'image');
  const resolution = c.number(image?.resolution, 'image.resolution', { integer: true, positive: true });
  const patchSize = c.number(image?.patchSize, 'image.patchSize', { integer: true, positive: true });
  const normalization = c.object(image?.normalization, 'image.normalization');
  c.numbers(normalization?.mean, 'image.normalization.mean', [3, 'RGB channels']);
  c.numbers(normalization?.std, 'image.normalization.std', [3, 'RGB channels'], { positive: true });
  if (resolution !== undefined && patchSize !== undefined && resolution % patchSize !== 0) {
    c.fail('image.resolution', `${resolution} is not a multiple of image.patchSize = ${patchSize}`);
  }

  const latent = c.object(root.latent, 'latent');
  const grid = c.numbers(latent?.grid, 'latent.grid', [2, 'rows and columns'], { positive: true });
  const dino = c.number(latent?.dinoChannels, 'latent.dinoChannels', { integer: true, positive: true });
  const residual = c.number(latent?.residualChannels, 'latent.residualChannels', {
    integer: true,
    positive: true,
  });
  let channels = c.number(latent?.channels, 'latent.channels', { integer: true, positive: true });
  if (
    channels !== undefined &&
    dino !== undefined &&
    residual !== undefined &&
    channels !== dino + residual
  ) {
    c.fail(
      'latent.channels',
      `is ${channels}, expected ${dino + residual} (latent.dinoChannels + latent.residualChannels)`,
    );
    channels = undefined;
  }
  c.number(latent?.alignmentEps, 'latent.alignmentEps', { min: 0 });
  const channelCount = channels === undefined ? undefined : ([channels, 'latent.channels'] as const);
  c.numbers(latent?.mean, 'latent.mean', channelCount);
  c.numbers(latent?.std, 'latent.std', channelCount, { positive: true });
  if (grid && resolution !== undefined && patchSize !== undefined) {
    const side = resolution / patchSize;
    if (grid[0] !== side || grid[1] !== side) {
      c.fail(
        'latent.grid',
        `is [${grid.join(', ')}], expected [${side}, ${side}] (image.resolution / image.patchSize per side)`,
      );
    }
  }

  const classes = c.object(root.classes, 'classes');
  const count = c.number(classes?.count, 'classes.count', { integer: true, positive: true });
  const names = classes?.names;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n.trim() === '')) {
    c.fail('classes.names', 'must be an array of non-empty strings');
  } else if (count !== undefined && names.length !== count) {
    c.fail('classes.names', `has ${names.length} names, expected ${count} (classes.count)`);
  }
  if (count !== undefined && classes?.nullId !== count) {
    c.fail(
      'classes.nullId',
      `must be ${count} (classes.count, the null label), got ${JSON.stringify(classes?.nullId)}`,
    );
  }

  const sampler = c.object(root.sampler, 'sampler');
  c.number(sampler?.steps, 'sampler.steps', { integer: true, min: 1, max: MAX_STEPS });
  if (sampler && sampler.sampler !== 'euler' && sampler.sampler !== 'heun') {
    c.fail('sampler.sampler', `must be "euler" or "heun", got ${JSON.stringify(sampler.sampler)}`);
  }
  c.number(sampler?.shift, 'sampler.shift');
  c.number(sampler?.guidanceScale, 'sampler.guidanceScale');
  const schedule = c.string(sampler?.guidanceSchedule, 'sampler.guidanceSchedule');
  if (schedule !== undefined) {
    try {
      parseGuidanceSchedule(schedule);
    } catch (error) {
      c.fail('sampler.guidanceSchedule', error instanceof Error ? error.message : String(error));
    }
  }

  const networks = c.object(root.networks, 'networks');
  const io =
    resolution !== undefined && grid && dino !== undefined && residual !== undefined && channels !== undefined
      ? expectedIo(resolution, grid as [number, number], dino, residual, channels)
      : undefined;
  for (const role of NETWORK_ROLES) {
    const path = `networks.${role}`;
    const entry = networks ? c.object(networks[role], path) : undefined;
    if (!entry) continue;
    c.fileEntry(entry, path);
    c.number(entry.parameters, `${path}.parameters`, { integer: true, min: 0 });
    c.object(entry.config, `${path}.config`);
    if (entry.externalData !== undefined) {
      const external = c.object(entry.externalData, `${path}.externalData`);
      if (external) c.fileEntry(external, `${path}.externalData`);
    }
    if (entry.float16 !== undefined) {
      const half = c.object(entry.float16, `${path}.float16`);
      if (half) c.fileEntry(half, `${path}.float16`);
      if (half?.maxRelativeError !== undefined) {
        c.number(half.maxRelativeError, `${path}.float16.maxRelativeError`, { min: 0 });
      }
      if (half?.externalData !== undefined) {
        const external = c.object(half.externalData, `${path}.float16.externalData`);
        if (external) c.fileEntry(external, `${path}.float16.externalData`);
      }
    }
    for (const side of ['inputs', 'outputs'] as const) {
      const declared = c.tensorSpecs(entry[side], `${path}.${side}`);
      const wanted = io?.[role][side];
      if (
        declared &&
        wanted &&
        (declared.length !== wanted.length ||
          !wanted.every((w, i) => specMatches(declared[i] as TensorSpec, w)))
      ) {
        c.fail(`${path}.${side}`, `are ${describeSpecs(declared)}; expected ${describeSpecs(wanted)}`);
      }
    }
  }

  if (c.problems.length) {
    const plural = c.problems.length === 1 ? '1 problem' : `${c.problems.length} problems`;
    throw new ManifestError(
      `${source}: invalid model-set manifest (${plural}):\n  - ${c.problems.join('\n  - ')}`,
    );
  }
  return root as unknown as ModelSetManifest;
}

/** Levenshtein distance, for class-name suggestions. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] as number;
}

/** A class id (number or digit string) or a case-insensitive class name → id; UnknownClassError otherwise. */
export function resolveClass(manifest: ModelSetManifest, idOrName: string | number): number {
  const { names, count } = manifest.classes;
  const text = String(idOrName).trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    if (id < count) return id;
    throw new UnknownClassError(`class id ${id} is out of range: ${manifest.id} has classes 0..${count - 1}`);
  }
  const wanted = text.toLowerCase();
  const matches = names.flatMap((name, id) => (name.toLowerCase() === wanted ? [id] : []));
  if (matches.length === 1) return matches[0] as number;
  if (matches.length > 1) {
    throw new UnknownClassError(
      `class name "${text}" is ambiguous (ids ${matches.join(', ')}); give the id instead`,
    );
  }
  const ranked = names
    .map((name, id) => {
      const lower = name.toLowerCase();
      const distance = lower.includes(wanted) || wanted.includes(lower) ? 0 : editDistance(wanted, lower);
      return { name, id, distance };
    })
    .filter((c) => wanted.length > 0 && c.distance <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.id - b.id)
    .slice(0, 5);
  const hint = ranked.length
    ? `; did you mean ${ranked.map((c) => `"${c.name}" (${c.id})`).join(', ')}?`
    : ` (give an id 0..${count - 1} or a class name such as "${names[0]}")`;
  throw new UnknownClassError(`unknown class "${text}"${hint}`);
}

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
  if (s.sampler !== 'euler' && s.sampler !== 'heun')
    fail('sampler', `must be "euler" or "heun", got "${s.sampler}"`);
  if (!Number.isFinite(s.shift)) fail('shift', `must be a finite number, got ${s.shift}`);
  if (!Number.isFinite(s.guidanceScale))
    fail('guidance scale', `must be a finite number, got ${s.guidanceScale}`);
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

/** Lower-case hex SHA-256 (Web Crypto: the browser, its workers and Node 20 all have it). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A manifest read from its text, with the SHA-256 of that text: results record which manifest made them. */
export async function readManifestText(
  text: string,
  source: string,
): Promise<{ manifest: ModelSetManifest; manifestSha256: string }> {
  const manifest = parseManifest(parseJson(text, source), source);
  return { manifest, manifestSha256: await sha256Hex(new TextEncoder().encode(text)) };
}

/** Checks a file against its manifest entry: the size first (cheap), then the SHA-256. */
export async function verifyFileIntegrity(
  file: string,
  bytes: Uint8Array,
  expected: { readonly bytes: number; readonly sha256: string },
): Promise<void> {
  if (bytes.byteLength !== expected.bytes) {
    throw new IntegrityError(
      `${file}: size is ${bytes.byteLength} bytes, the manifest says ${expected.bytes} (size mismatch: incomplete or replaced file)`,
    );
  }
  const digest = await sha256Hex(bytes);
  if (digest !== expected.sha256.toLowerCase()) {
    throw new IntegrityError(
      `${file}: SHA-256 is ${digest}, the manifest says ${expected.sha256} (hash mismatch: corrupt or replaced file)`,
    );
  }
}
