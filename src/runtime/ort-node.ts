// The only module that imports onnxruntime-node: the CLI's and the parity harness's runtime. Latents
// are CPU tensors, so the binding is a thin wrapper around Float32Arrays. Also the Node half of
// contract §2: the model-file reader that opens a file only when it is a regular file of the manifest's
// size, hashes it while streaming, and hands large files to ONNX Runtime by path.
import * as ort from 'onnxruntime-node';
import { createHash } from 'node:crypto';
import { constants, existsSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import {
  IntegrityError,
  LocalModelFileError,
  ManifestError,
  ModelFetchError,
  SamplingCancelledError,
} from '../engine/errors';
import { readManifestText, type ModelSetManifest } from '../engine/model-set';
import { NETWORK_ROLES } from '../engine/model-set/networks';
import type { FileEntry, ModelFileReader, ModelFileSource } from '../engine/model-set/reader';
import type { RuntimeLoader } from '../engine/api/service';
import type { ModelSetRuntime } from '../engine/api/runtime-contract';
import { cpuTensor, type CpuTensor } from '../engine/latent/tensor';
import { cpuTensorBinding, loadModelSet } from './session-set';
import type { LoadProgressEvent } from '../engine/api/studio-engine';
import {
  NODE_PROVIDERS,
  NODE_PROVIDER_NAMES,
  isNodeProviderName,
  type NodeProviderName,
} from './node-providers';

/**
 * intraOpNumThreads of every onnxruntime-node session: one per logical CPU, set explicitly (not left to
 * ORT's default) so the CLI, parity and `npm run bench` run at a known thread count.
 */
export const NODE_INTRA_OP_THREADS = Math.max(1, availableParallelism());

/** Files at least this large go to ONNX Runtime by path instead of through a JS buffer. */
export const LOCATION_MIN_BYTES = 256 * 1024 * 1024;
const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/** What a path is when it is not a regular file, for the message. */
function describeNonRegular(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a whole small file (a manifest, an input image) only when it is a regular file of at most
 * `maxBytes`: opened without blocking (a FIFO cannot hang), checked on the handle before reading, so a
 * link to /dev/zero or a directory gets a message naming the path instead of a hang or a vague EISDIR.
 */
export async function readRegularFile(
  filePath: string,
  maxBytes: number,
  fail: (message: string) => Error,
): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(
      `${filePath}: cannot open (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)})`,
    );
  }
  try {
    const stats = await handle.stat();
    const kind = describeNonRegular(stats);
    if (kind) throw fail(`${filePath}: is ${kind}, not a regular file`);
    if (stats.size > maxBytes) {
      throw fail(`${filePath}: ${stats.size} bytes is more than the ${maxBytes}-byte limit for this file`);
    }
    const bytes = new Uint8Array(stats.size);
    let loaded = 0;
    while (loaded < bytes.length) {
      const { bytesRead } = await handle.read(bytes, loaded, bytes.length - loaded, loaded);
      if (bytesRead === 0) break;
      loaded += bytesRead;
    }
    return bytes.subarray(0, loaded);
  } finally {
    await handle.close();
  }
}

/** A manifest is JSON of a few kilobytes; anything this large is not one. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * The path of a manifest file name inside `directory`; refuses names that resolve outside it (after
 * resolution, so "a/../../x" is caught as well as ".."). Symbolic links are followed when the file is
 * opened: a link into a model cache is fine, a link to a device or pipe is refused by its type.
 */
export function modelFilePath(directory: string, file: string): string {
  const root = path.resolve(directory);
  const resolved = path.resolve(root, file);
  const relative = path.relative(root, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new ManifestError(
      `${file}: the file name resolves to ${resolved}, outside the model set's folder ${root}`,
    );
  }
  return resolved;
}

/**
 * The Node ModelFileReader for a model-set folder (contract §2). Opens without blocking (a FIFO cannot
 * hang the open), checks on the open handle that the file is regular and of the manifest's size before
 * reading a byte, then streams it through SHA-256. Files below LOCATION_MIN_BYTES come back as bytes;
 * larger ones as their path, which ONNX Runtime reads itself (the hash was checked on the same file).
 */
export interface NodeReaderOptions {
  /** files of at least this many bytes go to ONNX Runtime by path (default LOCATION_MIN_BYTES) */
  readonly locationMinBytes?: number;
  /** files that always go by path, whatever their size (graphs with an external-data side file) */
  readonly locationFiles?: ReadonlySet<string>;
}

export function nodeModelFileReader(directory: string, options: NodeReaderOptions = {}): ModelFileReader {
  const locationMinBytes = options.locationMinBytes ?? LOCATION_MIN_BYTES;
  return async (entry: FileEntry, onProgress, signal): Promise<ModelFileSource> => {
    const filePath = modelFilePath(directory, entry.file);
    let handle;
    try {
      handle = await open(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      throw new LocalModelFileError(`${filePath}: cannot open the model file (${(error as Error).message})`, {
        cause: error,
        path: filePath,
      });
    }
    try {
      const stats = await handle.stat();
      const kind = describeNonRegular(stats);
      if (kind) {
        throw new LocalModelFileError(`${filePath}: is ${kind}, not a regular model file`, {
          path: filePath,
        });
      }
      if (stats.size !== entry.bytes) {
        throw new IntegrityError(
          `${filePath}: size is ${stats.size} bytes, the manifest says ${entry.bytes} (size mismatch: incomplete or replaced file)`,
        );
      }
      const byPath = entry.bytes >= locationMinBytes || options.locationFiles?.has(entry.file) === true;
      const keep = byPath ? null : new Uint8Array(entry.bytes);
      const chunk = keep ? null : new Uint8Array(Math.min(READ_CHUNK_BYTES, Math.max(1, entry.bytes)));
      const hash = createHash('sha256');
      let loaded = 0;
      while (loaded < entry.bytes) {
        if (signal?.aborted) throw new SamplingCancelledError(`${filePath}: loading was cancelled`);
        const length = Math.min(READ_CHUNK_BYTES, entry.bytes - loaded);
        const target = keep
          ? keep.subarray(loaded, loaded + length)
          : (chunk as Uint8Array).subarray(0, length);
        const { bytesRead } = await handle.read(target, 0, length, loaded);
        if (bytesRead === 0) {
          throw new IntegrityError(
            `${filePath}: ended after ${loaded} of ${entry.bytes} bytes (truncated while reading)`,
          );
        }
        hash.update(target.subarray(0, bytesRead));
        loaded += bytesRead;
        onProgress?.(loaded, entry.bytes);
      }
      const digest = hash.digest('hex');
      if (digest !== entry.sha256.toLowerCase()) {
        throw new IntegrityError(
          `${filePath}: SHA-256 is ${digest}, the manifest says ${entry.sha256} (hash mismatch: corrupt or replaced file)`,
        );
      }
      return keep ? { kind: 'bytes', bytes: keep } : { kind: 'location', location: filePath };
    } finally {
      await handle.close();
    }
  };
}

/** Where onnxruntime-node keeps a provider that is not bundled (downloaded by its install script). */
function providerLibrary(backend: string): string {
  const binding = path.join(
    path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  const extension = process.platform === 'win32' ? 'dll' : process.platform === 'darwin' ? 'dylib' : 'so';
  const prefix = process.platform === 'win32' ? '' : 'lib';
  return path.join(binding, `${prefix}onnxruntime_providers_${backend}.${extension}`);
}

/**
 * onnxruntime-node's session options for a provider by name; refuses a provider whose binaries this
 * installation lacks, naming what to install.
 */
export function providerSessionOptions(provider: string): ort.InferenceSession.SessionOptions {
  if (!isNodeProviderName(provider)) {
    throw new ModelFetchError(
      `--provider "${provider}" is not an execution provider onnxruntime-node knows (expected ${NODE_PROVIDER_NAMES.join(', ')})`,
    );
  }
  const spec = NODE_PROVIDERS[provider];
  const backend = ort.listSupportedBackends().find((b) => b.name === spec.backend);
  const missing = !backend
    ? `this onnxruntime-node build (${process.platform}-${process.arch}) has no ${spec.backend} execution provider`
    : !backend.bundled && !existsSync(providerLibrary(spec.backend))
      ? `${providerLibrary(spec.backend)} is not installed`
      : null;
  if (missing) throw new ModelFetchError(`--provider ${provider}: ${missing}; it needs ${spec.install}`);
  return {
    executionProviders: provider === 'cpu' ? ['cpu'] : [spec.backend, 'cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: NODE_INTRA_OP_THREADS,
  };
}

function nodeBinding(provider: NodeProviderName) {
  const options = providerSessionOptions(provider);
  return cpuTensorBinding(
    ort,
    {
      provider: 'cpu',
      adapter: provider === 'cpu' ? 'onnxruntime-node CPU' : `onnxruntime-node ${provider}`,
      reason: provider === 'cpu' ? 'the CLI runs on the CPU' : `--provider ${provider}`,
    },
    () => ({ ...options }),
  );
}

/** Loads the model set whose manifest.json lies in `directory`. */
export function loadModelSetFromDirectory(
  directory: string,
  manifest: ModelSetManifest,
  onProgress?: (progress: LoadProgressEvent) => void,
  provider: NodeProviderName = 'cpu',
  readerOptions: NodeReaderOptions = {},
): Promise<ModelSetRuntime<CpuTensor>> {
  // A graph with an external-data side file is the multi-gigabyte case: hand it over by path whatever
  // the graph file's own size, so ONNX Runtime reads it (and finds the side file next to it) itself.
  const withSideFile = new Set<string>();
  for (const role of NETWORK_ROLES) {
    for (const variant of Object.values(manifest.networks[role].variants)) {
      if (variant?.externalData) withSideFile.add(variant.file);
    }
  }
  return loadModelSet(ort, nodeBinding(provider), {
    manifest,
    readFile: nodeModelFileReader(directory, {
      ...readerOptions,
      locationFiles: new Set([...withSideFile, ...(readerOptions.locationFiles ?? [])]),
    }),
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

export async function openOnnxFile(
  modelPath: string,
  intraOpNumThreads = NODE_INTRA_OP_THREADS,
): Promise<OnnxFileSession> {
  const session = await ort.InferenceSession.create(modelPath, {
    graphOptimizationLevel: 'all',
    intraOpNumThreads,
  });
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

/** A RuntimeLoader for EngineService on one provider: the source is a folder holding manifest.json. */
export function nodeRuntimeLoader(provider = 'cpu', readerOptions: NodeReaderOptions = {}): RuntimeLoader {
  return async (request, onProgress) => {
    if (request.source.kind !== 'directory') {
      throw new ModelFetchError(`the CLI reads model sets from a directory, not from ${request.source.kind}`);
    }
    if (!isNodeProviderName(provider)) providerSessionOptions(provider); // throws the named error
    const directory = request.source.path;
    const manifestPath = path.join(directory, 'manifest.json');
    const bytes = await readRegularFile(
      manifestPath,
      MAX_MANIFEST_BYTES,
      (message) =>
        new ManifestError(
          message.replace(`${manifestPath}: `, `${manifestPath}: cannot read the manifest: `),
        ),
    );
    const text = new TextDecoder().decode(bytes);
    const { manifest, manifestSha256 } = await readManifestText(text, manifestPath);
    const runtime = await loadModelSetFromDirectory(
      directory,
      manifest,
      onProgress,
      provider as NodeProviderName,
      readerOptions,
    );
    return { manifest, manifestSha256, runtime: runtime as ModelSetRuntime<unknown> };
  };
}

/** RuntimeLoader for EngineService on the CPU provider (parity, benchmarks, tests). */
export const loadNodeRuntime: RuntimeLoader = nodeRuntimeLoader('cpu');
