// The capability check made before a model set is downloaded: from the adapter's facts and the manifest,
// which provider to try, which precision each network uses (float16 only on WebGPU with shader-f16), how
// much memory the set needs, and whether this device can hold it; every decision comes with a sentence
// for the user. Pure and table-driven, so the rules are unit tested without a GPU.
import { formatBytes } from './download-progress';
import { ModelTooLargeError } from './errors';
import { NETWORK_ROLES, type ModelSetManifest, type NetworkEntry, type NetworkRole } from './manifest';
import type { ProviderPreference } from './studio-engine';

/** What the browser offers, read by src/runtime/ort-web.ts (WebGPU) and the worker (deviceMemory). */
export interface AdapterFacts {
  readonly webgpu: boolean;
  readonly description: string;
  readonly shaderF16: boolean;
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
  /** Why WebGPU is unavailable, when it is. */
  readonly unavailableReason?: string;
  /** navigator.deviceMemory in GiB (coarse, capped at 8 by browsers), when the browser reports it. */
  readonly deviceMemoryGiB?: number;
}

export type Precision = 'float32' | 'float16';

export interface LoadPlan {
  /** The provider the load tries first ('auto' may still fall back to WASM if WebGPU fails). */
  readonly provider: 'webgpu' | 'wasm';
  readonly precision: Readonly<Record<NetworkRole, Precision>>;
  /** The manifest with the chosen files in place (float16 variants swapped in where chosen). */
  readonly manifest: ModelSetManifest;
  /** Bytes of the chosen files (the download, when nothing is cached). */
  readonly downloadBytes: number;
  /** Rough peak memory: weights once plus the activations of one batch-1 guided run. */
  readonly estimatedBytes: number;
  readonly adapter: string;
  /** One sentence per decision, in the order they were made. */
  readonly explanation: readonly string[];
}

const GiB = 1024 ** 3;
/** onnxruntime-web's WASM build is 32-bit: its heap (weights + activations) cannot exceed 4 GiB. */
export const WASM_HEAP_LIMIT = 4 * GiB;
/** Browsers cap navigator.deviceMemory at this value, so only smaller readings are a real limit. */
const DEVICE_MEMORY_CAP_GIB = 8;
/** Live activation buffers assumed per network forward (inputs, outputs, two intermediates). */
const LIVE_ACTIVATIONS = 4;
const FLOAT32_BYTES = 4;

interface ProviderRule {
  readonly when: (preference: ProviderPreference, facts: AdapterFacts) => boolean;
  readonly provider: 'webgpu' | 'wasm';
  readonly why: (facts: AdapterFacts) => string;
}

/** First matching row wins. An explicit WebGPU choice without an adapter fails later, in the runtime. */
const PROVIDER_RULES: readonly ProviderRule[] = [
  { when: (p) => p === 'wasm', provider: 'wasm', why: () => 'WASM was selected.' },
  {
    when: (p, f) => p === 'webgpu' && !f.webgpu,
    provider: 'webgpu',
    why: (f) => `WebGPU was selected, but ${f.unavailableReason ?? 'no adapter is available'}.`,
  },
  { when: (p) => p === 'webgpu', provider: 'webgpu', why: () => 'WebGPU was selected.' },
  {
    when: (_, f) => f.webgpu,
    provider: 'webgpu',
    why: (f) => `Automatic: WebGPU adapter "${f.description}" is available (WASM if it fails).`,
  },
  {
    when: () => true,
    provider: 'wasm',
    why: (f) => `Automatic: WASM, because ${f.unavailableReason ?? 'WebGPU is unavailable'}.`,
  },
];

interface PrecisionRule {
  readonly when: (ctx: { provider: 'webgpu' | 'wasm'; facts: AdapterFacts; entry: NetworkEntry }) => boolean;
  readonly precision: Precision;
  readonly why: string;
}

const PRECISION_RULES: readonly PrecisionRule[] = [
  { when: ({ entry }) => !entry.float16, precision: 'float32', why: 'the set has no float16 variant' },
  {
    when: ({ provider }) => provider === 'wasm',
    precision: 'float32',
    why: 'float16 variants run only on WebGPU',
  },
  {
    when: ({ facts }) => !facts.shaderF16,
    precision: 'float32',
    why: 'the adapter lacks shader-f16',
  },
  { when: () => true, precision: 'float16', why: 'the adapter has shader-f16' },
];

const firstMatch = <R extends { when: (...args: never[]) => boolean }>(
  rules: readonly R[],
  test: (rule: R) => boolean,
): R => rules.find(test) as R; // every table ends with a catch-all row

/** The network entry with the chosen variant's file (and side file) in place of the float32 one. */
function withVariant(entry: NetworkEntry, precision: Precision): NetworkEntry {
  const half = entry.float16;
  if (precision === 'float32' || !half) return entry;
  const { file, bytes, sha256, externalData } = half;
  return { ...entry, file, bytes, sha256, externalData };
}

/** What the chosen float16 file is and how close the exporter measured it to float32. */
function variantNote(entry: NetworkEntry, precision: Precision): string {
  const half = entry.float16;
  if (precision === 'float32' || !half) return '';
  const error = half.maxRelativeError;
  const checked =
    error === undefined ? '' : `, within ${(error * 100).toPrecision(2)} % of float32 in the export check`;
  return ` (${half.file}, ${formatBytes(half.bytes)} instead of ${formatBytes(entry.bytes)}${checked})`;
}

const fileBytes = (file: NetworkEntry) => file.bytes + (file.externalData?.bytes ?? 0);

/**
 * Activations of one batch-1 run with guidance (the DiT sees a batch of 2): the token tensors [2, N, C]
 * and the decoder's widest feature map [ch, R, R] (config.ch, or 64 channels when the config omits it),
 * each assumed LIVE_ACTIVATIONS times over.
 */
export function activationBytes(manifest: ModelSetManifest): number {
  const [h, w] = manifest.latent.grid;
  const tokens = 2 * h * w * manifest.latent.channels;
  const ch = manifest.networks.decoder.config.ch;
  const decoderChannels = typeof ch === 'number' && ch > 0 ? ch : 64;
  const featureMap = decoderChannels * manifest.image.resolution ** 2;
  return (tokens + featureMap) * FLOAT32_BYTES * LIVE_ACTIVATIONS;
}

export function describeAdapter(facts: AdapterFacts): string {
  const memory =
    facts.deviceMemoryGiB !== undefined ? `; device memory ${facts.deviceMemoryGiB} GiB (reported)` : '';
  if (!facts.webgpu) return `No WebGPU (${facts.unavailableReason ?? 'unavailable'})${memory}`;
  return (
    `WebGPU "${facts.description}"; shader-f16 ${facts.shaderF16 ? 'yes' : 'no'}; ` +
    `maxBufferSize ${formatBytes(facts.maxBufferSize)}; ` +
    `maxStorageBufferBindingSize ${formatBytes(facts.maxStorageBufferBindingSize)}${memory}`
  );
}

/** Decides provider and precision and checks the memory estimate; ModelTooLargeError when it cannot fit. */
export function planModelSet(
  manifest: ModelSetManifest,
  facts: AdapterFacts,
  preference: ProviderPreference,
): LoadPlan {
  const providerRule = firstMatch(PROVIDER_RULES, (rule) => rule.when(preference, facts));
  const provider = providerRule.provider;
  const explanation = [providerRule.why(facts)];

  const precision = {} as Record<NetworkRole, Precision>;
  const networks = {} as Record<NetworkRole, NetworkEntry>;
  for (const role of NETWORK_ROLES) {
    const entry = manifest.networks[role];
    const rule = firstMatch(PRECISION_RULES, (r) => r.when({ provider, facts, entry }));
    precision[role] = rule.precision;
    networks[role] = withVariant(entry, rule.precision);
    explanation.push(
      `${role} (${entry.file}): ${rule.precision}, because ${rule.why}${variantNote(entry, rule.precision)}.`,
    );
  }

  const weights = NETWORK_ROLES.reduce((sum, role) => sum + fileBytes(networks[role]), 0);
  const estimatedBytes = weights + activationBytes(manifest);
  explanation.push(
    `Estimated memory: ${formatBytes(estimatedBytes)} (${formatBytes(weights)} of weights plus ` +
      `activations of one guided image; larger batches need more).`,
  );

  const limits: Array<{ bytes: number; what: string }> = [];
  if (provider === 'wasm') limits.push({ bytes: WASM_HEAP_LIMIT, what: 'the 4 GiB heap of 32-bit WASM' });
  const reportedGiB = facts.deviceMemoryGiB;
  if (reportedGiB !== undefined && reportedGiB < DEVICE_MEMORY_CAP_GIB) {
    limits.push({ bytes: reportedGiB * GiB, what: `the ${reportedGiB} GiB of memory this device reports` });
  }
  const exceeded = limits.find((limit) => estimatedBytes > limit.bytes);
  if (exceeded) {
    throw new ModelTooLargeError(
      `${manifest.id} needs about ${formatBytes(estimatedBytes)}, more than ${exceeded.what}; ` +
        'choose a smaller model set' +
        (provider === 'wasm' && facts.webgpu ? ' or the WebGPU provider' : '') +
        '. Nothing was downloaded.',
    );
  }
  if (provider === 'webgpu' && facts.webgpu) {
    const oversized = NETWORK_ROLES.filter(
      (role) => fileBytes(networks[role]) > facts.maxStorageBufferBindingSize,
    );
    explanation.push(
      oversized.length === 0
        ? `Every network file fits in one storage binding (${formatBytes(facts.maxStorageBufferBindingSize)}), so no weight tensor can exceed it.`
        : `${oversized.join(', ')} exceed one storage binding (${formatBytes(facts.maxStorageBufferBindingSize)}) as whole files; ` +
            'loading works as long as no single weight tensor does (ONNX Runtime reports it if one does).',
    );
  }

  return {
    provider,
    precision,
    manifest: { ...manifest, networks },
    downloadBytes: weights,
    estimatedBytes,
    adapter: describeAdapter(facts),
    explanation,
  };
}
