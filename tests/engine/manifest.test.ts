import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  IntegrityError,
  InvalidSettingError,
  ManifestError,
  UnknownClassError,
} from '../../src/engine/errors';
import {
  NETWORK_ROLES,
  parseJson,
  parseManifest,
  resolveClass,
  validateSamplerSettings,
  verifyFileIntegrity,
  type ModelSetManifest,
  type SamplerSettings,
} from '../../src/engine/manifest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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

  it('accepts the repository model set and its files pass the integrity check', async () => {
    const dir = path.join(REPO, 'public/models/random-tiny');
    const file = path.join(dir, 'manifest.json');
    const m = parseManifest(parseJson(readFileSync(file, 'utf8'), file), file);
    for (const role of NETWORK_ROLES) {
      const entry = m.networks[role];
      await verifyFileIntegrity(entry.file, new Uint8Array(readFileSync(path.join(dir, entry.file))), entry);
    }
  });

  it('reports a wrong count with the field it must equal', () => {
    const m = manifest();
    set(m, 'latent.mean', (get(m, 'latent.mean') as number[]).slice(1));
    expect(problems(m)).toEqual(['latent.mean has 103 values, expected 104 (latent.channels)']);
  });

  it('lists every violation with its path in one error', () => {
    const m = manifest();
    set(m, 'schemaVersion', 2);
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
    expect(paths).toEqual([
      'schemaVersion',
      'latent.channels',
      'latent.std[3]',
      'classes.names',
      'classes.nullId',
      'sampler.steps',
      'sampler.guidanceSchedule',
      'networks.residualEncoder',
      'networks.decoder.file',
      'networks.dit.sha256',
    ]);
    expect(lines[1]).toBe(
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
    expect(parseManifest(m, 'm').networks.dit.externalData?.file).toBe('dit.onnx.data');
    for (const file of ['/abs.onnx', 'https://x/y.onnx', 'a/../b.onnx', 'a\\b.onnx', '']) {
      const bad = set(manifest(), 'networks.dit.externalData', { file, bytes: 0, sha256: 'cd'.repeat(32) });
      expect(problems(bad)[0]).toMatch(/^networks\.dit\.externalData\.file /);
    }
    expect(
      parseManifest(set(manifest(), 'networks.dit.file', 'graphs/dit.onnx'), 'm').networks.dit.file,
    ).toBe('graphs/dit.onnx');
  });

  it('accepts an optional float16 variant per network and checks its entries', () => {
    const half = { file: 'dit.fp16.onnx', bytes: 7, sha256: 'ab'.repeat(32) };
    expect(parseManifest(set(manifest(), 'networks.dit.float16', half), 'm').networks.dit.float16).toEqual(
      half,
    );
    expect(parseManifest(manifest(), 'm').networks.dit.float16).toBeUndefined();
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
    expect(problems({})).toContain('schema must be "svg-studio/model-set", got undefined');
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
