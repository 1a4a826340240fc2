// The execution providers the CLI can ask onnxruntime-node for, written once: the --provider names, the
// name onnxruntime-node's listSupportedBackends() reports, and what to install when one is missing.
// Pure data (no ONNX Runtime import), so argument parsing and --help stay fast.

export interface NodeProviderSpec {
  /** onnxruntime-node's backend name (listSupportedBackends) and executionProviders entry */
  readonly backend: string;
  /** What the user needs when the provider's binaries are absent. */
  readonly install: string;
  /** One line for --help. */
  readonly summary: string;
}

export const NODE_PROVIDERS = {
  cpu: {
    backend: 'cpu',
    install: 'bundled with onnxruntime-node',
    summary: 'CPU (MLAS), bundled',
  },
  cuda: {
    backend: 'cuda',
    install:
      'the CUDA 12 binaries of onnxruntime-node (reinstall it with ONNXRUNTIME_NODE_INSTALL=cuda12 on a ' +
      'machine with network access; they need the NVIDIA driver, CUDA 12 and cuDNN 9 libraries)',
    summary: 'NVIDIA GPUs, Linux x64',
  },
  tensorrt: {
    backend: 'tensorrt',
    install: 'the CUDA 12 binaries of onnxruntime-node (ONNXRUNTIME_NODE_INSTALL=cuda12) plus TensorRT 10',
    summary: 'NVIDIA GPUs through TensorRT, Linux x64',
  },
  webgpu: {
    backend: 'webgpu',
    install: 'an onnxruntime-node build with WebGPU (bundled on Windows, macOS and Linux x64 since 1.22)',
    summary: 'GPU through Dawn',
  },
  dml: {
    backend: 'dml',
    install: 'onnxruntime-node on Windows (DirectML is bundled there)',
    summary: 'DirectML, Windows',
  },
  coreml: {
    backend: 'coreml',
    install: 'onnxruntime-node on macOS (CoreML is bundled there)',
    summary: 'CoreML, macOS',
  },
} as const satisfies Record<string, NodeProviderSpec>;

export type NodeProviderName = keyof typeof NODE_PROVIDERS;
export const NODE_PROVIDER_NAMES = Object.keys(NODE_PROVIDERS) as NodeProviderName[];

export function isNodeProviderName(name: string): name is NodeProviderName {
  return Object.hasOwn(NODE_PROVIDERS, name);
}
