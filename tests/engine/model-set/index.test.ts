import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  IntegrityError,
  InvalidSettingError,
  ManifestError,
  UnknownClassError,
} from '../../../src/engine/errors';
import {
  allVariantFiles,
  NETWORK_ROLES,
  PRECISION_IDS,
  parseJson,
  parseManifest,
  resolveClass,
  validateSamplerSettings,
  verifyFileIntegrity,
  type ModelSetManifest,
  type SamplerSettings,
} from '../../../src/engine/model-set';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A valid manifest for the given sizes (a fresh object each call, to mutate in tests). */
function manifest(
  resolution = 64,
  patch = 16,
  dino = 96,
  residual = 8,
  classes = 10,
): Record<string, unknown> {
  const grid = resolution / patch;
  const n = grid * grid;
  const channels = dino + residual;
  const entry = (file: string, inputs: unknown[], outputs: unknown[]) => ({
    file,
    bytes: 123,
    sha256: 'ab'.repeat(32),
    parameters: 1,
    inputs,
    outputs,
    config: {},
  });
  const pixels = { name: 'pixels', dtype: 'float32', shape: ['batch', 3, resolution, resolution] };
  return {
    schema: 'svg-studio/model-set',
    schemaVersion: 1,
    id: 'test-set',
    name: 'Test set',
    description: '',
    randomWeights: true,
    license: 'Apache-2.0',
    attribution: 'tests',
    image: {
      resolution,
      patchSize: patch,
      normalization: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    },
    latent: {
      grid: [grid, grid],
      dinoChannels: dino,
      residualChannels: residual,
      channels,
      alignmentEps: 1e-6,
      mean: Array.from({ length: channels }, (_, i) => i / 100),
      std: Array.from({ length: channels }, () => 1.5),
    },
    classes: {
      count: classes,
      names: Array.from({ length: classes }, (_, i) => `class ${i}`),
      nullId: classes,
    },
    sampler: { steps: 8, sampler: 'euler', shift: 0.15, guidanceScale: 4, guidanceSchedule: 'constant' },
    networks: {
      dinoEncoder: entry(
        'dino_encoder.onnx',
        [pixels],
        [{ name: 'patch_tokens', dtype: 'float32', shape: ['batch', n, dino] }],
      ),
      residualEncoder: entry(
        'residual_encoder.onnx',
        [pixels],
        [{ name: 'residual', dtype: 'float32', shape: ['batch', residual, n] }],
      ),
      decoder: entry(
        'decoder.onnx',
        [{ name: 'latent', dtype: 'float32', shape: ['batch', channels, grid, grid] }],
        [{ name: 'image', dtype: 'float32', shape: ['batch', 3, resolution, resolution] }],
      ),
      dit: entry(
        'dit.onnx',
        [
          { name: 'x', dtype: 'float32', shape: ['batch', n, channels] },
          { name: 't', dtype: 'float32', shape: ['batch'] },
          { name: 'y', dtype: 'int64', shape: ['batch'] },
        ],
        [{ name: 'velocity', dtype: 'float32', shape: ['batch', n, channels] }],
      ),
    },
    createdBy: 'tests',
  };
}

type Node = Record<string, unknown>;

/** Applies `change` to the parent of the dotted `path` (array indices are keys too). */
function edit(root: Node, path: string, change: (parent: Node, key: string) => void): Node {
  const parts = path.split('.');
  const key = parts.pop() as string;
  change(
    parts.reduce<Node>((node, part) => node[part] as Node, root),
    key,
  );
  return root;
}
const get = (root: Node, path: string): unknown =>
  path.split('.').reduce<unknown>((node, part) => (node as Node)[part], root);
const set = (root: Node, path: string, value: unknown) =>
  edit(root, path, (parent, key) => void (parent[key] = value));
const remove = (root: Node, path: string) => edit(root, path, (parent, key) => void delete parent[key]);

/** The violation lines of the ManifestError that parsing `json` throws. */
function problems(json: unknown): string[] {
  try {
    parseManifest(json, 'manifest.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).code).toBe('manifest-invalid');
    const message = (error as Error).message;
    expect(message.startsWith('manifest.json: ')).toBe(true);
    return message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^\s*- /, ''));
  }
  throw new Error('parseManifest accepted the manifest');
}

describe('parseManifest', () => {
  it('accepts valid manifests of other sizes (the SVG-XL shape too)', () => {
    expect(parseManifest(manifest(), 'm').latent.channels).toBe(104);
    const xl = parseManifest(manifest(256, 16, 384, 8, 1000), 'm');
    expect(xl.latent.grid).toEqual([16, 16]);
    expect(xl.classes.nullId).toBe(1000);
  });

  const bundledIndex = JSON.parse(readFileSync(path.join(REPO, 'public/models/index.json'), 'utf8')) as {
    modelSets: { id: string }[];
  };
  it.each(bundledIndex.modelSets.map((set) => set.id))(
    'accepts the bundled %s set and every variant file passes the integrity check',
    async (id) => {
      const dir = path.join(REPO, 'public/models', id);
      const file = path.join(dir, 'manifest.json');
      const m = parseManifest(parseJson(readFileSync(file, 'utf8'), file), file);
      for (const entry of allVariantFiles(m)) {
        await verifyFileIntegrity(
          entry.file,
          new Uint8Array(readFileSync(path.join(dir, entry.file))),
          entry,
        );
      }
      for (const role of NETWORK_ROLES) expect(m.networks[role].variants.float32.file).toMatch(/\.onnx$/);
    },
  );

  it('reports a wrong count with the field it must equal', () => {
    const m = manifest();
    set(m, 'latent.mean', (get(m, 'latent.mean') as number[]).slice(1));
    expect(problems(m)).toEqual(['latent.mean has 103 values, expected 104 (latent.channels)']);
  });

  it('lists every violation with its path in one error', () => {
    const m = manifest();
    set(m, 'schemaVersion', 3);
    set(m, 'latent.channels', 105);
    set(m, 'latent.std.3', 0);
    set(m, 'classes.names', (get(m, 'classes.names') as string[]).slice(1));
    set(m, 'classes.nullId', 0);
    set(m, 'sampler.steps', 0);
    set(m, 'sampler.guidanceSchedule', 'sometimes');
    set(m, 'networks.decoder.file', '../decoder.onnx');
    set(m, 'networks.dit.sha256', 'xyz');
    remove(m, 'networks.residualEncoder');
    const lines = problems(m);
    const paths = lines.map((line) => line.split(' ')[0]);
    // section by section in document order; within one, the schema's findings before cross-field ones
    expect(paths).toEqual([
      'schemaVersion',
      'latent.std[3]',
      'latent.channels',
      'classes.names',
      'classes.nullId',
      'sampler.steps',
      'sampler.guidanceSchedule',
      'networks.residualEncoder',
      'networks.decoder.file',
      'networks.dit.sha256',
    ]);
    expect(lines[0]).toBe('schemaVersion must be 1 or 2 (the versions this studio reads), got 3');
    expect(lines[2]).toBe(
      'latent.channels is 105, expected 104 (latent.dinoChannels + latent.residualChannels)',
    );
    expect(lines[3]).toBe('classes.names has 9 names, expected 10 (classes.count)');
  });

  it('checks the grid against the image, and every graph I/O against the latent sizes', () => {
    expect(problems(set(manifest(), 'latent.grid', [4, 5]))).toContain(
      'latent.grid is [4, 5], expected [4, 4] (image.resolution / image.patchSize per side)',
    );

    const io = manifest();
    set(io, 'networks.dit.inputs.2.dtype', 'float32');
    set(io, 'networks.decoder.inputs.0.shape', ['batch', 96, 4, 4]);
    set(io, 'networks.dinoEncoder.outputs.0.name', 'tokens');
    const lines = problems(io);
    expect(lines.map((l) => l.split(' ')[0])).toEqual([
      'networks.dinoEncoder.outputs',
      'networks.decoder.inputs',
      'networks.dit.inputs',
    ]);
    expect(lines[1]).toContain('expected latent float32 [batch, 104, 4, 4]');

    const renamedBatch = set(manifest(), 'networks.decoder.inputs.0.shape.0', 'N');
    expect(parseManifest(renamedBatch, 'm').networks.decoder.inputs[0]?.shape[0]).toBe('N');
  });

  it('validates optional external data entries and plain relative file names', () => {
    const m = set(manifest(), 'networks.dit.externalData', {
      file: 'dit.onnx.data',
      bytes: 5,
      sha256: 'cd'.repeat(32),
    });
    expect(parseManifest(m, 'm').networks.dit.variants.float32.externalData?.file).toBe('dit.onnx.data');
    for (const file of ['/abs.onnx', 'https://x/y.onnx', 'a/../b.onnx', 'a\\b.onnx', '']) {
      const bad = set(manifest(), 'networks.dit.externalData', { file, bytes: 0, sha256: 'cd'.repeat(32) });
      expect(problems(bad)[0]).toMatch(/^networks\.dit\.externalData\.file /);
    }
    expect(
      parseManifest(set(manifest(), 'networks.dit.file', 'graphs/dit.onnx'), 'm').networks.dit.variants
        .float32.file,
    ).toBe('graphs/dit.onnx');
  });

  it('reads a version-1 float16 variant into the variants map, its check figure included', () => {
    const half = { file: 'dit.fp16.onnx', bytes: 7, sha256: 'ab'.repeat(32) };
    const read = parseManifest(set(manifest(), 'networks.dit.float16', half), 'm');
    expect(read.schemaVersion).toBe(2);
    expect(read.networks.dit.variants).toEqual({
      float32: { file: 'dit.onnx', bytes: 123, sha256: 'ab'.repeat(32) },
      float16: half,
    });
    const checked = set(manifest(), 'networks.dit.float16', { ...half, maxRelativeError: 0.002 });
    expect(parseManifest(checked, 'm').networks.dit.variants.float16?.check).toEqual({
      maxRelativeError: 0.002,
    });
    expect(parseManifest(manifest(), 'm').networks.dit.variants.float16).toBeUndefined();
    const withBadExternal = set(manifest(), 'networks.dit.float16', {
      ...half,
      externalData: { file: '../x', bytes: 1, sha256: 'ab'.repeat(32) },
    });
    expect(problems(withBadExternal)).toEqual([
      'networks.dit.float16.externalData.file must be a relative path inside the model-set folder, got "../x"',
    ]);
    expect(problems(set(manifest(), 'networks.decoder.float16', { ...half, bytes: 0 }))).toEqual([
      'networks.decoder.float16.bytes must be > 0, got 0',
    ]);
  });

  it('rejects non-objects and bad JSON with ManifestError naming the source', () => {
    expect(() => parseManifest([], 'x.json')).toThrow(/^x\.json: the manifest must be a JSON object/);
    expect(() => parseJson('{"a":', 'x.json')).toThrow(ManifestError);
    expect(problems({})).toContain('schema is missing');
    expect(problems({ ...manifest(), schema: 'other' })).toEqual([
      'schema must be "svg-studio/model-set", got "other"',
    ]);
  });

  it('names a byte-order mark and a number beyond float64 instead of a JSON parser message or "null"', () => {
    expect(() => parseJson('\ufeff{}', 'm.json')).toThrow(
      /^m\.json: starts with a UTF-8 byte-order mark \(BOM\)/,
    );
    const text = JSON.stringify(manifest()).replace(/"alignmentEps":[^,]+/, '"alignmentEps":1e999');
    expect(problems(parseJson(text, 'm.json'))).toEqual([
      'latent.alignmentEps must be a finite number, got Infinity (a number outside the float64 range)',
    ]);
  });
});

/** The fixture in version 2: each network's file moved into `variants.float32`. */
function manifestV2(...sizes: Parameters<typeof manifest>): Node {
  const m = manifest(...sizes);
  m.schemaVersion = 2;
  for (const entry of Object.values(m.networks as Record<string, Node>)) {
    entry.variants = { float32: { file: entry.file, bytes: entry.bytes, sha256: entry.sha256 } };
    delete entry.file;
    delete entry.bytes;
    delete entry.sha256;
  }
  return m;
}

describe('parseManifest, version 2', () => {
  const int4 = {
    file: 'dit.int4.onnx',
    bytes: 50,
    sha256: 'ef'.repeat(32),
    check: { maxRelativeError: 0.03, velocityMaxAbs: 0.2, latentMaxAbs: 0.4, decodedPsnrDb: 33.5 },
    quantization: { op: 'com.microsoft.MatMulNBits', bits: 4, blockSize: 32, layers: 112 },
  };

  it('reads a variants map keyed by the ids of precisions.json, check figures included', () => {
    expect(PRECISION_IDS).toEqual(['float32', 'float16', 'int4', 'int4-float16']);
    const m = set(manifestV2(), 'networks.dit.variants.int4', int4);
    set(m, 'networks.dit.variants.float32.externalData', {
      file: 'dit.onnx.data',
      bytes: 9,
      sha256: 'cd'.repeat(32),
    });
    const read = parseManifest(m, 'm');
    expect(read.schemaVersion).toBe(2);
    expect(read.networks.dit.variants.int4).toEqual(int4);
    expect(read.networks.dit.variants.float32.externalData?.file).toBe('dit.onnx.data');
    expect(allVariantFiles(read).map((f) => f.file)).toEqual([
      'dino_encoder.onnx',
      'residual_encoder.onnx',
      'decoder.onnx',
      'dit.onnx',
      'dit.onnx.data',
      'dit.int4.onnx',
    ]);
  });

  it('reads the same set from version 1 and version 2 alike', () => {
    const half = { file: 'dit.fp16.onnx', bytes: 7, sha256: 'ab'.repeat(32) };
    const v1 = parseManifest(
      set(manifest(), 'networks.dit.float16', { ...half, maxRelativeError: 0.001 }),
      'm',
    );
    const v2 = parseManifest(
      set(manifestV2(), 'networks.dit.variants.float16', { ...half, check: { maxRelativeError: 0.001 } }),
      'm',
    );
    expect(v2).toEqual(v1);
  });

  it('names unknown precisions, a missing float32 and bad check figures with their paths', () => {
    expect(problems(set(manifestV2(), 'networks.dit.variants.fp8', int4))).toEqual([
      'networks.dit.variants.fp8 is not a precision of precisions.json (float32, float16, int4, int4-float16)',
    ]);
    expect(problems(remove(manifestV2(), 'networks.decoder.variants.float32'))).toEqual([
      'networks.decoder.variants must include float32 (the reference variant every network ships)',
    ]);
    const bad = set(manifestV2(), 'networks.dit.variants.int4', {
      ...int4,
      check: { maxRelativeError: -1, velocityMaxAbs: 'small', decodedPsnrDb: 31 },
      quantization: { op: 'com.microsoft.MatMulNBits', bits: 0, blockSize: 32 },
    });
    expect(problems(bad)).toEqual([
      'networks.dit.variants.int4.check.maxRelativeError must be >= 0, got -1',
      'networks.dit.variants.int4.check.velocityMaxAbs must be a finite number, got "small"',
      'networks.dit.variants.int4.quantization.bits must be > 0, got 0',
    ]);
    expect(problems(set(manifestV2(), 'networks.dit.variants', []))).toEqual([
      'networks.dit.variants must be an object of variants by precision',
    ]);
    expect(problems(set(manifestV2(), 'networks.dit.variants.int4', { ...int4, sha256: 'x' }))).toEqual([
      'networks.dit.variants.int4.sha256 must be 64 hex digits, got "x"',
    ]);
  });
});

describe('resolveClass', () => {
  const m = parseManifest(
    {
      ...manifest(),
      classes: {
        count: 5,
        names: ['tabby cat', 'golden retriever', 'crane', 'Crane', 'espresso'],
        nullId: 5,
      },
    },
    'm',
  );

  it('accepts ids and case-insensitive names', () => {
    expect(resolveClass(m, 1)).toBe(1);
    expect(resolveClass(m, ' 4 ')).toBe(4);
    expect(resolveClass(m, 'Golden Retriever')).toBe(1);
  });

  it('names the input and suggests close names', () => {
    expect(() => resolveClass(m, 'golden retreiver')).toThrow(
      /unknown class "golden retreiver"; did you mean "golden retriever" \(1\)/,
    );
    expect(() => resolveClass(m, 'cat')).toThrow(/did you mean "tabby cat" \(0\)/);
    expect(() => resolveClass(m, 'zebra')).toThrow(UnknownClassError);
    expect(() => resolveClass(m, 5)).toThrow(/class id 5 is out of range: test-set has classes 0\.\.4/);
    expect(() => resolveClass(m, 'crane')).toThrow(/ambiguous \(ids 2, 3\)/);
  });
});

describe('validateSamplerSettings', () => {
  const m = parseManifest(manifest(), 'm') as ModelSetManifest;
  const good: SamplerSettings = {
    steps: 25,
    sampler: 'heun',
    shift: 0.15,
    guidanceScale: 4,
    guidanceSchedule: 'cfg_star-1-0',
    batch: 4,
    classId: 9,
    seed: 0,
    previewEvery: 5,
  };

  it('accepts valid settings, including no guidance', () => {
    expect(() => validateSamplerSettings(m, good)).not.toThrow();
    expect(() =>
      validateSamplerSettings(m, { ...good, guidanceSchedule: 'none', classId: undefined }),
    ).not.toThrow();
  });

  it.each<[Partial<SamplerSettings>, RegExp]>([
    [{ steps: 0 }, /^steps must be an integer in 1\.\.1000, got 0/],
    [{ steps: 1001 }, /^steps /],
    [{ steps: 2.5 }, /^steps /],
    [{ sampler: 'dpm' }, /^sampler /],
    [{ shift: Number.NaN }, /^shift /],
    [{ guidanceScale: Infinity }, /^guidance scale /],
    [{ guidanceSchedule: 'early' }, /^guidance schedule /],
    [{ batch: 0 }, /^batch /],
    [{ classId: 10 }, /^class must be an id in 0\.\.9, got 10/],
    [{ seed: -1 }, /^seed /],
    [{ previewEvery: -2 }, /^preview interval /],
  ])('rejects %o naming the field', (patch, message) => {
    expect(() => validateSamplerSettings(m, { ...good, ...patch })).toThrow(InvalidSettingError);
    expect(() => validateSamplerSettings(m, { ...good, ...patch })).toThrow(message);
  });
});

describe('verifyFileIntegrity', () => {
  const bytes = new TextEncoder().encode('abc');
  const sha = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'; // SHA-256("abc")

  it('accepts the right size and hash (either hex case)', async () => {
    await verifyFileIntegrity('a.onnx', bytes, { bytes: 3, sha256: sha });
    await verifyFileIntegrity('a.onnx', bytes, { bytes: 3, sha256: sha.toUpperCase() });
  });

  it('tells a size mismatch from a hash mismatch, naming the file', async () => {
    await expect(verifyFileIntegrity('a.onnx', bytes, { bytes: 4, sha256: sha })).rejects.toThrow(
      /^a\.onnx: size is 3 bytes, the manifest says 4 \(size mismatch/,
    );
    const error = await verifyFileIntegrity('b.onnx', bytes, { bytes: 3, sha256: '0'.repeat(64) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).code).toBe('integrity');
    expect((error as Error).message).toMatch(/^b\.onnx: SHA-256 is ba7816bf.*\(hash mismatch/);
  });
});
