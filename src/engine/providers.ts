// THE table of browser execution providers (onnxruntime-web), in Automatic's order of preference: the
// first row that runs here is tried first and each falls back to the next; the last row must always run.
// Which preference leaves a row for the next one, and when, is LEAVES_PROVIDER_WHEN (resolveProvider).
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

/**
 * THE rules of provider resolution: for each reason to leave a row of BROWSER_PROVIDERS for the next one,
 * whether a preference does so. The capability plan (capabilities.ts, through resolveProvider) and the
 * runtime's load (src/runtime/ort-web.ts) both read them, so the two never disagree.
 * - unavailable: the provider cannot run in this browser at all (no WebGPU, or the adapter request
 *   failed). Every preference moves on: an explicit choice is remembered across sessions
 *   (storage/preferences.ts), and one made on another browser must not leave the studio unusable here.
 *   The plan says so (providerNotice) and the stored choice is left as it is.
 * - passedOver: it runs, but slower than a later row: only Automatic moves on (chosen by hand, it is used).
 * - failed: its load failed: only Automatic moves on; an explicit choice fails loudly with the error.
 */
export const LEAVES_PROVIDER_WHEN = Object.freeze({
  unavailable: (_preference: ProviderPreference) => true,
  passedOver: (preference) => preference === 'auto',
  failed: (preference) => preference === 'auto',
} satisfies Record<string, (preference: ProviderPreference) => boolean>);

/** The reasons to leave a row: the keys of LEAVES_PROVIDER_WHEN. */
export type LeaveReason = keyof typeof LEAVES_PROVIDER_WHEN;

/** One row resolution left, and why. */
export interface PassedProvider {
  readonly provider: BrowserProvider;
  readonly reason: LeaveReason;
  readonly why: string;
}

export interface ProviderResolution {
  /** The provider a load tries first. */
  readonly provider: BrowserProvider;
  /** The rows left on the way to it, in table order (empty when the first row tried is taken). */
  readonly passed: readonly PassedProvider[];
}

/** Why a row might be left with these facts (cannot run, or runs slower than a later row), if at all. */
function reasonToLeave(
  spec: BrowserProviderSpec,
  facts: AdapterFacts,
): Omit<PassedProvider, 'provider'> | undefined {
  const unavailable = spec.unavailable(facts);
  if (unavailable !== undefined) return { reason: 'unavailable', why: unavailable };
  const slower = spec.passedOver?.(facts);
  return slower === undefined ? undefined : { reason: 'passedOver', why: slower };
}

/**
 * The provider a preference resolves to with these facts: Automatic starts at the table's first row, an
 * explicit choice at its own row; each row is left for the next one when LEAVES_PROVIDER_WHEN says so.
 * The last row always runs, so resolution always ends on a provider.
 */
export function resolveProvider(preference: ProviderPreference, facts: AdapterFacts): ProviderResolution {
  const passed: PassedProvider[] = [];
  let provider = preference === 'auto' ? BROWSER_PROVIDER_NAMES[0] : preference;
  for (let next = nextProvider(provider); next !== undefined; next = nextProvider(provider)) {
    const leave = reasonToLeave(providerSpec(provider), facts);
    if (leave === undefined || !LEAVES_PROVIDER_WHEN[leave.reason](preference)) break;
    passed.push({ provider, ...leave });
    provider = next;
  }
  return { provider, passed };
}
