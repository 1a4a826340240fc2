// THE table of browser execution providers (onnxruntime-web), in Automatic's order of preference: the
// first row that runs here is tried first and each falls back to the next; the last row must always run.
// Everything else derives from it: the BrowserProvider and ProviderPreference types, the valibot picklists
// of createSvgEngine (src/lib), the Models bar options, the capability check's provider choice, memory
// limit and float16 rule (capabilities.ts, model-set/precisions.ts), and which ORT build loads
// (ORT_BUILDS in src/runtime/ort-web.ts, one row per provider, which TypeScript asks for).
// Adding a provider (say WebNN): one row here and its build row in ort-web.ts.
import * as v from 'valibot';

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
  /** GPUAdapterInfo.isFallbackAdapter: the browser says the adapter is a software implementation. */
  readonly isFallbackAdapter?: boolean;
}

export interface BrowserProviderSpec {
  /** How the studio names it: the Models bar option and the plan's sentences. */
  readonly label: string;
  /** Why it cannot run with these facts; undefined when it can. */
  readonly unavailable: (facts: AdapterFacts) => string | undefined;
  /** Why Automatic passes over it although it runs (it would be slower than a later row); undefined if not. */
  readonly passedOver?: (facts: AdapterFacts) => string | undefined;
  /** Automatic's sentence when it is chosen without passing any row over; default: the label. */
  readonly chosen?: (facts: AdapterFacts) => string;
  /** Why float16 activations cannot run on it here; undefined when they can (precisions.json's rule). */
  readonly noFloat16: (facts: AdapterFacts) => string | undefined;
  /** The largest buffer one weight tensor may take (a GPU's storage-binding size), when it is known. */
  readonly bindingLimit?: (facts: AdapterFacts) => number | undefined;
  /** A memory limit of the provider itself, whatever the device reports. */
  readonly heapLimit?: { readonly bytes: number; readonly what: string };
}

/** onnxruntime-web's WASM build is 32-bit: its heap (weights + activations) cannot exceed 4 GiB. */
export const WASM_HEAP_LIMIT = 4 * 1024 ** 3;

/** A software WebGPU implementation (SwiftShader): on a CPU it runs slower than ONNX Runtime's WASM. */
export function softwareAdapterReason(facts: AdapterFacts): string | undefined {
  if (!facts.webgpu) return undefined;
  if (facts.isFallbackAdapter) return 'the browser reports it as a fallback (software) adapter';
  if (/swiftshader/i.test(facts.description)) return 'it is SwiftShader, a CPU implementation of WebGPU';
  return undefined;
}

export const BROWSER_PROVIDERS = {
  webgpu: {
    label: 'WebGPU',
    unavailable: (f) => (f.webgpu ? undefined : (f.unavailableReason ?? 'no adapter is available')),
    passedOver: (f) => {
      const software = softwareAdapterReason(f);
      return software === undefined
        ? undefined
        : `WebGPU adapter "${f.description}" is software (${software}) and runs slower than WASM; ` +
            'choose WebGPU by hand to use it anyway';
    },
    chosen: (f) => `WebGPU adapter "${f.description}" is available`,
    noFloat16: (f) => (f.shaderF16 ? undefined : 'this adapter lacks shader-f16'),
    bindingLimit: (f) => (f.webgpu ? f.maxStorageBufferBindingSize : undefined),
  },
  wasm: {
    label: 'WASM',
    unavailable: () => undefined,
    noFloat16: () => 'WASM computes in float32 only',
    heapLimit: { bytes: WASM_HEAP_LIMIT, what: 'the 4 GiB heap of 32-bit WASM' },
  },
} as const satisfies Readonly<Record<string, BrowserProviderSpec>>;

export type BrowserProvider = keyof typeof BROWSER_PROVIDERS;
/** What the user picks: a provider, or Automatic (the table's order). */
export type ProviderPreference = 'auto' | BrowserProvider;

export const BROWSER_PROVIDER_NAMES = Object.keys(BROWSER_PROVIDERS) as [
  BrowserProvider,
  ...BrowserProvider[],
];
/** Every preference in the order the Models bar offers them (non-empty, as valibot's picklist wants). */
export const PROVIDER_PREFERENCES: readonly [ProviderPreference, ...ProviderPreference[]] = [
  'auto',
  ...BROWSER_PROVIDER_NAMES,
];
export function providerSpec(provider: BrowserProvider): BrowserProviderSpec {
  return BROWSER_PROVIDERS[provider];
}

/** "Automatic", "WebGPU", "WASM": the Models bar's option labels. */
export function preferenceLabel(preference: ProviderPreference): string {
  return preference === 'auto' ? 'Automatic' : providerSpec(preference).label;
}

/** The `provider` option of createSvgEngine (browser and Node): "provider must be auto, webgpu or wasm". */
export const ProviderPreferenceSchema = v.picklist(
  PROVIDER_PREFERENCES,
  `provider must be ${PROVIDER_PREFERENCES.slice(0, -1).join(', ')} or ${PROVIDER_PREFERENCES.at(-1) as string}`,
);

/** The provider after `provider` in Automatic's order (what a failed load falls back to), if any. */
export function nextProvider(provider: BrowserProvider): BrowserProvider | undefined {
  return BROWSER_PROVIDER_NAMES[BROWSER_PROVIDER_NAMES.indexOf(provider) + 1];
}
