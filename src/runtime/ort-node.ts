// The only module that imports onnxruntime-node: the CLI's and the parity harness's runtime. Latents
// are CPU tensors, so the binding is a thin wrapper around Float32Arrays.
import * as ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ManifestError, ModelFetchError } from '../engine/errors';
import { readManifestText, type ModelSetManifest } from '../engine/manifest';
import type { RuntimeLoader } from '../engine/service';
import type { ModelSetRuntime } from '../engine/runtime-contract';
import { cpuTensor, type CpuTensor } from '../engine/tensor';
import { cpuTensorBinding, loadModelSet } from './session-set';
import type { LoadProgressEvent } from '../engine/studio-engine';

const cpuBinding = cpuTensorBinding(
  ort,
  { provider: 'cpu', adapter: 'onnxruntime-node CPU', reason: 'the CLI runs on the CPU' },
  () => ({ executionProviders: ['cpu'], graphOptimizationLevel: 'all' }),
);

/** Loads the model set whose manifest.json lies in `directory`. */
export function loadModelSetFromDirectory(
  directory: string,
  manifest: ModelSetManifest,
  onProgress?: (progress: LoadProgressEvent) => void,
): Promise<ModelSetRuntime<CpuTensor>> {
  const readFromDisk = async (file: string) => {
    const filePath = path.join(directory, file);
    try {
      return new Uint8Array(await readFile(filePath));
    } catch (error) {
      throw new ModelFetchError(`${filePath}: cannot read the model file (${(error as Error).message})`);
    }
  };
  return loadModelSet(ort, cpuBinding, {
    manifest,
    readFile: readFromDisk,
    ...(onProgress ? { onProgress } : {}),
  });
}

export type NamedInputs = Record<string, { data: Float32Array | BigInt64Array; dims: readonly number[] }>;

/** One ONNX file opened for repeated runs on named float32/int64 inputs (export checks, parity). */
export interface OnnxFileSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(inputs: NamedInputs): Promise<Record<string, CpuTensor>>;
  release(): Promise<void>;
}

export async function openOnnxFile(modelPath: string): Promise<OnnxFileSession> {
  const session = await ort.InferenceSession.create(modelPath, { graphOptimizationLevel: 'all' });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(inputs) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, value] of Object.entries(inputs)) {
        feeds[name] =
          value.data instanceof BigInt64Array
            ? new ort.Tensor('int64', value.data, value.dims)
            : new ort.Tensor('float32', value.data, value.dims);
      }
      const result = await session.run(feeds);
      const outputs: Record<string, CpuTensor> = {};
      for (const [name, tensor] of Object.entries(result)) {
        outputs[name] = cpuTensor(tensor.data as Float32Array, tensor.dims);
      }
      return outputs;
    },
    release: () => session.release(),
  };
}

/** RuntimeLoader for EngineService: the source is a model-set directory holding manifest.json. */
export const loadNodeRuntime: RuntimeLoader = async (request, onProgress) => {
  if (request.source.kind !== 'directory') {
    throw new ModelFetchError(`the CLI reads model sets from a directory, not from ${request.source.kind}`);
  }
  const directory = request.source.path;
  const manifestPath = path.join(directory, 'manifest.json');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new ManifestError(`${manifestPath}: cannot read the manifest (${(error as Error).message})`);
  }
  const { manifest, manifestSha256 } = await readManifestText(text, manifestPath);
  const runtime = await loadModelSetFromDirectory(directory, manifest, onProgress);
  return { manifest, manifestSha256, runtime: runtime as ModelSetRuntime<unknown> };
};
