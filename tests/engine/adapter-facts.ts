// Adapter facts shared by the provider and capability tests: a browser without WebGPU, as
// readAdapterCapabilities (src/runtime/ort-web.ts) reports one.
import type { AdapterFacts } from '../../src/engine/providers';

export const NO_GPU: AdapterFacts = {
  webgpu: false,
  description: 'none',
  shaderF16: false,
  maxBufferSize: 0,
  maxStorageBufferBindingSize: 0,
  unavailableReason: 'this browser has no WebGPU',
};
