// Runtime-independent half of the ONNX Runtime adapters: loads the four networks of a model set into
// sessions (integrity and I/O checks included) and implements ModelSetRuntime on top of a small
// `TensorBinding` that says where latents live. onnxruntime-node and onnxruntime-web share this code
// because their InferenceSession/Tensor APIs are the same (onnxruntime-common); each package is imported
// by exactly one module (ort-node.ts, ort-web.ts), which passes its namespace in.
import type * as OrtCommon from 'onnxruntime-common';
import { ModelIoMismatchError, RuntimeFailureError } from '../engine/errors';
import { verifyFileIntegrity, type ModelSetManifest, type NetworkRole } from '../engine/manifest';
import type { ExecutionInfo, ModelSetRuntime } from '../engine/runtime-contract';
import type { LoadProgressEvent } from '../engine/studio-engine';
import { cpuLatentMath, cpuTensor, type CpuTensor, type LatentMath } from '../engine/tensor';

export type OrtNamespace = Pick<typeof OrtCommon, 'InferenceSession' | 'Tensor'>;
type OrtSession = OrtCommon.InferenceSession;
type OrtTensor = OrtCommon.Tensor;

/** Graph I/O names of each network: the contract with export-scripts/svg_export. */
export const NETWORK_IO: Record<NetworkRole, { inputs: readonly string[]; output: string }> = {
  dinoEncoder: { inputs: ['pixels'], output: 'patch_tokens' },
  residualEncoder: { inputs: ['pixels'], output: 'residual' },
  decoder: { inputs: ['latent'], output: 'image' },
  dit: { inputs: ['x', 't', 'y'], output: 'velocity' },
};
const ROLES = Object.keys(NETWORK_IO) as NetworkRole[];

/** Reads a model set's file by its manifest name (disk in Node, cache/network in the browser). */
export type ModelFileReader = (
  file: string,
  onProgress?: (loaded: number, total: number) => void,
) => Promise<Uint8Array>;

/** How one runtime stores latents of type T and moves them in and out of ORT tensors. */
export interface TensorBinding<T> {
  readonly execution: ExecutionInfo;
  readonly math: LatentMath<T>;
  sessionOptions(role: NetworkRole): OrtCommon.InferenceSession.SessionOptions;
  upload(tensor: CpuTensor): Promise<T>;
  download(tensor: T): Promise<CpuTensor>;
  /** An ORT tensor view of a latent, valid for one run. */
  asOrtTensor(tensor: T): OrtTensor;
  /** Takes ownership of an ORT output as a latent. */
  fromOrtTensor(tensor: OrtTensor): T;
  dispose(): void;
}

/** A binding whose latents are CPU tensors (onnxruntime-node, and onnxruntime-web's WASM provider). */
export function cpuTensorBinding(
  ort: OrtNamespace,
  execution: ExecutionInfo,
  sessionOptions: TensorBinding<CpuTensor>['sessionOptions'],
): TensorBinding<CpuTensor> {
  return {
    execution,
    math: cpuLatentMath,
    sessionOptions,
    upload: async (tensor) => tensor,
    download: async (tensor) => tensor,
    asOrtTensor: (tensor) => new ort.Tensor('float32', tensor.data, tensor.dims),
    fromOrtTensor: (tensor) => cpuTensor(tensor.data as Float32Array, tensor.dims),
    dispose: () => {},
  };
}

export interface LoadOptions {
  readonly manifest: ModelSetManifest;
  readonly readFile: ModelFileReader;
  readonly onProgress?: (progress: LoadProgressEvent) => void;
}

export async function loadModelSet<T>(
  ort: OrtNamespace,
  binding: TensorBinding<T>,
  { manifest, readFile, onProgress }: LoadOptions,
): Promise<ModelSetRuntime<T>> {
  const sessions = new Map<NetworkRole, OrtSession>();
  try {
    for (const role of ROLES) {
      const entry = manifest.networks[role];
      const report = (stage: LoadProgressEvent['stage'], loadedBytes: number) =>
        onProgress?.({ kind: 'load', file: entry.file, loadedBytes, totalBytes: entry.bytes, stage });
      const bytes = await readFile(entry.file, (loaded) => report('download', loaded));
      report('verify', bytes.byteLength);
      await verifyFileIntegrity(entry.file, bytes, entry);
      const options = binding.sessionOptions(role);
      const external = entry.externalData;
      if (external) {
        // Weights beyond protobuf's 2 GB limit live in a side file the graph refers to by name.
        const data = await readFile(external.file, (loaded) => report('download', loaded));
        await verifyFileIntegrity(external.file, data, external);
        options.externalData = [{ path: external.file, data }];
      }
      report('session', bytes.byteLength);
      const session = await createSession(ort, bytes, options, entry.file);
      sessions.set(role, session);
      checkGraphIo(role, entry.file, session);
    }
  } catch (error) {
    await Promise.all([...sessions.values()].map((s) => s.release()));
    throw error;
  }
  return new OrtModelSetRuntime(ort, binding, sessions, manifest);
}

async function createSession(
  ort: OrtNamespace,
  bytes: Uint8Array,
  options: OrtCommon.InferenceSession.SessionOptions,
  file: string,
): Promise<OrtSession> {
  try {
    return await ort.InferenceSession.create(bytes, options);
  } catch (error) {
    throw new RuntimeFailureError(`${file}: ONNX Runtime could not load the graph: ${describe(error)}`, {
      cause: error,
    });
  }
}

/** The graph must expose exactly the names the manifest and NETWORK_IO promise. */
function checkGraphIo(role: NetworkRole, file: string, session: OrtSession): void {
  const expected = NETWORK_IO[role];
  const missing = expected.inputs.filter((name) => !session.inputNames.includes(name));
  const extra = session.inputNames.filter((name) => !expected.inputs.includes(name));
  const problems: string[] = [];
  if (missing.length) problems.push(`missing input(s) ${missing.join(', ')}`);
  if (extra.length) problems.push(`unexpected input(s) ${extra.join(', ')}`);
  if (!session.outputNames.includes(expected.output)) {
    problems.push(`no output "${expected.output}" (has ${session.outputNames.join(', ') || 'none'})`);
  }
  if (problems.length) {
    throw new ModelIoMismatchError(`${file} (${role}): ${problems.join('; ')}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class OrtModelSetRuntime<T> implements ModelSetRuntime<T> {
  readonly execution: ExecutionInfo;
  readonly math: LatentMath<T>;

  constructor(
    private readonly ort: OrtNamespace,
    private readonly binding: TensorBinding<T>,
    private readonly sessions: Map<NetworkRole, OrtSession>,
    private readonly manifest: ModelSetManifest,
  ) {
    this.execution = binding.execution;
    this.math = binding.math;
  }

  upload(tensor: CpuTensor): Promise<T> {
    return this.binding.upload(tensor);
  }

  download(tensor: T): Promise<CpuTensor> {
    return this.binding.download(tensor);
  }

  encodeDino(pixels: CpuTensor): Promise<CpuTensor> {
    return this.runOnCpu('dinoEncoder', { pixels: this.cpuInput(pixels) });
  }

  encodeResidual(pixels: CpuTensor): Promise<CpuTensor> {
    return this.runOnCpu('residualEncoder', { pixels: this.cpuInput(pixels) });
  }

  decode(latent: CpuTensor): Promise<CpuTensor> {
    return this.runOnCpu('decoder', { latent: this.cpuInput(latent) });
  }

  async velocity(x: T, t: number, labels: ArrayLike<number>): Promise<T> {
    const batch = labels.length;
    const feeds = {
      x: this.binding.asOrtTensor(x),
      t: new this.ort.Tensor('float32', new Float32Array(batch).fill(t), [batch]),
      y: new this.ort.Tensor('int64', BigInt64Array.from(Array.from(labels, (v) => BigInt(v))), [batch]),
    };
    const output = await this.run('dit', feeds);
    return this.binding.fromOrtTensor(output);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.release()));
    this.sessions.clear();
    this.binding.dispose();
  }

  private cpuInput(tensor: CpuTensor): OrtTensor {
    return new this.ort.Tensor('float32', tensor.data, tensor.dims);
  }

  private async runOnCpu(role: NetworkRole, feeds: Record<string, OrtTensor>): Promise<CpuTensor> {
    const output = await this.run(role, feeds);
    const data = output.location === 'cpu' ? output.data : await output.getData(true);
    if (!(data instanceof Float32Array)) {
      throw new RuntimeFailureError(
        `${this.manifest.networks[role].file}: output is ${output.type}, expected float32`,
      );
    }
    return cpuTensor(data, output.dims);
  }

  private async run(role: NetworkRole, feeds: Record<string, OrtTensor>): Promise<OrtTensor> {
    const session = this.sessions.get(role);
    if (!session) throw new RuntimeFailureError('the model set was disposed');
    const outputName = NETWORK_IO[role].output;
    let result: OrtCommon.InferenceSession.ReturnType;
    try {
      result = await session.run(feeds);
    } catch (error) {
      throw new RuntimeFailureError(
        `${this.manifest.networks[role].file}: inference failed: ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
    for (const [name, value] of Object.entries(result)) {
      if (name !== outputName) value.dispose();
    }
    const output = result[outputName];
    if (!output)
      throw new ModelIoMismatchError(`${this.manifest.networks[role].file}: no output "${outputName}"`);
    return output;
  }
}
