// Loading a model set in onnxruntime-node: the bundled set runs, and every broken variant of it fails
// with a named error that names the file or field.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeError } from '../../src/engine/api/describe-error';
import { LocalModelFileError } from '../../src/engine/errors';
import type { CpuTensor } from '../../src/engine/latent/tensor';
import { loadNodeRuntime, nodeModelFileReader, nodeRuntimeLoader } from '../../src/runtime/ort-node';

const BUNDLED = path.resolve('public/models/random-tiny');
let copies: string[] = [];

interface EditableManifest {
  latent: { mean: number[] };
  networks: Record<string, { variants: Record<string, { bytes: number; sha256: string }> }>;
}

function copyOfBundledSet(edit?: (dir: string, manifest: EditableManifest) => void): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'svg-set-'));
  copies.push(dir);
  cpSync(BUNDLED, dir, { recursive: true });
  if (edit) {
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as EditableManifest;
    edit(dir, manifest);
    writeFileSync(manifestPath, JSON.stringify(manifest));
  }
  return dir;
}

afterEach(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  copies = [];
});

const load = (source: string) =>
  loadNodeRuntime({ source: { kind: 'directory', path: source }, provider: 'auto' });

describe('loadNodeRuntime', () => {
  it('loads the bundled set and runs every network with the declared shapes', async () => {
    const { manifest, runtime } = await load(BUNDLED);
    const r = manifest.image.resolution;
    const [h, w] = manifest.latent.grid;
    const pixels = { data: new Float32Array(3 * r * r).fill(0.25), dims: [1, 3, r, r] };
    expect((await runtime.encodeDino(pixels)).dims).toEqual([1, h * w, manifest.latent.dinoChannels]);
    expect((await runtime.encodeResidual(pixels)).dims).toEqual([1, manifest.latent.residualChannels, h * w]);
    const latent = {
      data: new Float32Array(manifest.latent.channels * h * w),
      dims: [1, manifest.latent.channels, h, w],
    };
    expect((await runtime.decode(latent)).dims).toEqual([1, 3, r, r]);
    const x = {
      data: new Float32Array(2 * h * w * manifest.latent.channels),
      dims: [2, h * w, manifest.latent.channels],
    };
    const v = (await runtime.velocity(x, 0.5, [0, manifest.classes.nullId])) as CpuTensor;
    expect(v.dims).toEqual([2, h * w, manifest.latent.channels]);
    await runtime.dispose();
  });

  it('names a missing manifest', async () => {
    await expect(load(path.join(os.tmpdir(), 'no-such-model-set'))).rejects.toMatchObject({
      code: 'manifest-invalid',
    });
  });

  it('names a malformed manifest field', async () => {
    const dir = copyOfBundledSet((_dir, m) => {
      m.latent.mean = m.latent.mean.slice(1);
    });
    await expect(load(dir)).rejects.toThrow(/latent\.mean has \d+ values, expected \d+/);
  });

  it('names a file whose content does not match its sha256', async () => {
    const dir = copyOfBundledSet();
    const file = path.join(dir, 'decoder.onnx');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    await expect(load(dir)).rejects.toMatchObject({
      code: 'integrity',
      message: expect.stringContaining('decoder.onnx'),
    });
  });

  it('names a file whose size does not match', async () => {
    const dir = copyOfBundledSet((d) => writeFileSync(path.join(d, 'dit.onnx'), Buffer.from('short')));
    await expect(load(dir)).rejects.toThrow(/dit\.onnx: size is 5 bytes/);
  });

  it('names a missing file: at load for the first task, on first use for an encoder', async () => {
    const noDit = copyOfBundledSet((d) => rmSync(path.join(d, 'dit.onnx')));
    const missing = await load(noDit).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(LocalModelFileError);
    expect(missing).toMatchObject({ code: 'model-file-local', path: path.join(noDit, 'dit.onnx') });
    // a local file: the hint names the path and says to put the set's files back, not to check a connection
    const line = describeError(missing);
    expect(line).toContain(`Check that ${path.join(noDit, 'dit.onnx')} exists and is a readable file`);
    expect(line).toMatch(/copy the whole model-set folder again or re-export the set/);
    expect(line).not.toMatch(/connection/);
    // The encoders open when a task needs them (issue 16: start-up opens only the DiT and decoder).
    const noEncoder = copyOfBundledSet((d) => rmSync(path.join(d, 'residual_encoder.onnx')));
    const { manifest, runtime } = await load(noEncoder);
    const r = manifest.image.resolution;
    const pixels = { data: new Float32Array(3 * r * r), dims: [1, 3, r, r] };
    await expect(runtime.encodeResidual(pixels)).rejects.toMatchObject({
      code: 'model-file-local',
      message: expect.stringContaining('residual_encoder.onnx'),
    });
    await runtime.dispose();
  });

  it('names a graph whose inputs do not match the contract', async () => {
    // Put the decoder graph where the DiT should be, with a matching size and hash.
    const dir = copyOfBundledSet((d, m) => {
      cpSync(path.join(d, 'decoder.onnx'), path.join(d, 'dit.onnx'));
      const { bytes, sha256 } = m.networks.decoder!.variants.float32!;
      m.networks.dit!.variants.float32 = { ...m.networks.dit!.variants.float32!, bytes, sha256 };
    });
    await expect(load(dir)).rejects.toMatchObject({
      code: 'model-io-mismatch',
      message: expect.stringMatching(/dit\.onnx.*missing input/),
    });
  });

  it.each([
    [
      'a symlink to /dev/zero',
      (file: string) => symlinkSync('/dev/zero', file),
      /dit\.onnx: is a character device, not a regular model file/,
    ],
    [
      'a FIFO',
      (file: string) => execFileSync('mkfifo', [file]),
      /dit\.onnx: is a FIFO \(named pipe\), not a regular model file/,
    ],
    [
      'a directory',
      (file: string) => execFileSync('mkdir', [file]),
      /dit\.onnx: is a directory, not a regular model file/,
    ],
  ])('refuses a model file that is %s before reading it', async (_label, make, message) => {
    const dir = copyOfBundledSet((d) => {
      rmSync(path.join(d, 'dit.onnx'));
      make(path.join(d, 'dit.onnx'));
    });
    await expect(load(dir)).rejects.toThrow(message);
  });

  it('compares the size with the manifest before reading a byte', async () => {
    const dir = copyOfBundledSet();
    const reader = nodeModelFileReader(dir);
    let progressCalls = 0;
    const entry = { file: 'dit.onnx', bytes: 12, sha256: '0'.repeat(64) };
    await expect(reader(entry, () => progressCalls++)).rejects.toMatchObject({
      code: 'integrity',
      message: expect.stringMatching(/dit\.onnx: size is \d+ bytes, the manifest says 12/),
    });
    expect(progressCalls).toBe(0);
  });

  it('refuses a manifest file name that resolves outside the set', async () => {
    const reader = nodeModelFileReader(copyOfBundledSet());
    await expect(reader({ file: 'a/../../x.onnx', bytes: 1, sha256: '0'.repeat(64) })).rejects.toThrow(
      /a\/\.\.\/\.\.\/x\.onnx: the file name resolves to .*, outside the model set's folder/,
    );
  });

  it('hands large files to ONNX Runtime by path (location), verified, and the set runs from them', async () => {
    const reader = nodeModelFileReader(BUNDLED, { locationMinBytes: 0 });
    const manifest = JSON.parse(readFileSync(path.join(BUNDLED, 'manifest.json'), 'utf8'));
    const dit = manifest.networks.dit.variants?.float32 ?? manifest.networks.dit;
    const source = await reader({ file: dit.file, bytes: dit.bytes, sha256: dit.sha256 });
    expect(source).toEqual({ kind: 'location', location: path.join(BUNDLED, dit.file) });
    const { runtime } = await nodeRuntimeLoader('cpu', { locationMinBytes: 0 })({
      source: { kind: 'directory', path: BUNDLED },
      provider: 'auto',
    });
    const [h, w] = manifest.latent.grid;
    const x = {
      data: new Float32Array(h * w * manifest.latent.channels),
      dims: [1, h * w, manifest.latent.channels],
    };
    expect(((await runtime.velocity(x, 0.5, [0])) as CpuTensor).dims).toEqual(x.dims);
    await runtime.dispose();
  });

  it('names a provider this onnxruntime-node build lacks and what it needs', async () => {
    await expect(
      nodeRuntimeLoader('cuda')({ source: { kind: 'directory', path: BUNDLED }, provider: 'auto' }),
    ).rejects.toThrow(/--provider cuda: .*needs the CUDA 12 binaries of onnxruntime-node/);
  });
});
