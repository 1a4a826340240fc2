// The capability check made before a model set is downloaded: from the adapter's facts and the manifest,
// which provider to try (the BROWSER_PROVIDERS table of providers.ts), which precision variant each network uses (precisions.json and its runtime
// requirements), how much memory its sessions need, and whether this device can hold them: all four at
// once, or at least each task's (sessions are then opened per task and released least recently used).
// Every decision comes with a sentence for the user. Pure and table-driven, so the rules are unit tested
// without a GPU.
import { formatBytes } from './download-progress';
import { ModelTooLargeError } from './errors';
import { describeCheck } from './model-set/check-figures';
import { estimateSessionBytes, SESSION_MEMORY_FACTOR } from './model-set/memory';
import {
  FIRST_TASK,
  NETWORK_ROLES,
  STUDIO_TASKS,
  TASK_NETWORKS,
  type NetworkRole,
  type StudioTask,
} from './model-set/networks';
import {
  PRECISIONS,
  REFERENCE_PRECISION,
  type PrecisionId,
  type PrecisionRow,
  type RuntimeFacts,
} from './model-set/precisions';
import {
  variantBytes,
  type ModelSetManifest,
  type NetworkVariant,
  type VariantCheck,
} from './model-set/schema';
import type { LoadPlanSummary } from './api/studio-engine';
import {
  BROWSER_PROVIDER_NAMES,
  LEAVES_PROVIDER_WHEN,
  nextProvider,
  providerSpec,
  resolveProvider,
  type AdapterFacts,
  type BrowserProvider,
  type ProviderPreference,
} from './providers';

export type { AdapterFacts } from './providers';

/** The sessions one provider opens: the variant per network and the memory they may take together. */
export interface SessionPlan {
  readonly precision: Readonly<Record<NetworkRole, PrecisionId>>;
  /** Resident-session budget (bytes); absent when no limit is known, so every session stays open. */
  readonly memoryBudgetBytes?: number;
}

export interface NetworkPlan {
  readonly precision: PrecisionId;
  readonly variant: NetworkVariant;
  /** graph + external data */
  readonly downloadBytes: number;
  /** estimated memory of the open session (downloadBytes x SESSION_MEMORY_FACTOR) */
  readonly sessionBytes: number;
}

export interface LoadPlan extends SessionPlan {
  /** The provider the load tries first ('auto' may still fall back to the later rows if it fails). */
  readonly provider: BrowserProvider;
  readonly networks: Readonly<Record<NetworkRole, NetworkPlan>>;
  /** What an Automatic load opens on each later provider it may fall back to; absent where the set does not fit. */
  readonly fallbacks: Readonly<Partial<Record<BrowserProvider, SessionPlan>>>;
  /** Bytes of the chosen files of all four networks (the download, when nothing is cached). */
  readonly downloadBytes: number;
  /** Bytes the first task (generation) downloads before the set is ready. */
  readonly firstTaskDownloadBytes: number;
  /** Rough peak memory with every session open: sessions plus the activations of one guided run. */
  readonly estimatedBytes: number;
  /** true when all four sessions fit the budget at once */
  readonly allResident: boolean;
  readonly adapter: string;
  /** One sentence per decision, in the order they were made. */
  readonly explanation: readonly string[];
  /** An explicit choice that cannot run here, and the provider that runs instead (for the studio's notice). */
  readonly providerNotice?: string;
}

const GiB = 1024 ** 3;
/** Browsers cap navigator.deviceMemory at this value, so only smaller readings are a real limit. */
const DEVICE_MEMORY_CAP_GIB = 8;
/** Live activation buffers assumed per network forward (inputs, outputs, two intermediates). */
const LIVE_ACTIVATIONS = 4;
const FLOAT32_BYTES = 4;

interface ProviderChoice {
  readonly provider: BrowserProvider;
  /** the plan's first sentence */
  readonly why: string;
  /** Set when an explicit choice cannot run here and another provider runs instead: for the studio to show. */
  readonly notice?: string;
}

/**
 * The sentences for resolveProvider's choice (the rules are LEAVES_PROVIDER_WHEN in providers.ts).
 * Automatic names the rows it passed over and what it falls back to; an explicit choice is taken as it is
 * unless it cannot run in this browser at all, and then the provider it fell back to is named, with a
 * notice saying the choice itself is kept.
 */
function decideProvider(preference: ProviderPreference, facts: AdapterFacts): ProviderChoice {
  const { provider, passed } = resolveProvider(preference, facts);
  const spec = providerSpec(provider);
  const reasons = passed.map((row) => row.why).join('; ');
  if (preference === 'auto') {
    const next = nextProvider(provider);
    const chosen = passed.length ? `${spec.label}, because ${reasons}` : (spec.chosen?.(facts) ?? spec.label);
    const fallback = next ? ` (${providerSpec(next).label} if it fails)` : '';
    return { provider, why: `Automatic: ${chosen}${fallback}.` };
  }
  const { label } = providerSpec(preference);
  if (passed.length === 0) {
    const missing = spec.unavailable(facts); // the last row is kept even so (the table's last row always runs)
    return { provider, why: `${label} was selected${missing ? `, but ${missing}` : ''}.` };
  }
  return {
    provider,
    why: `${label} was selected, but ${reasons}; running on ${spec.label} instead.`,
    notice:
      `${label} is not available in this browser (${reasons}); running on ${spec.label}. ` +
      `The choice of ${label} is kept for when it is available.`,
  };
}

interface VariantChoice {
  readonly row: PrecisionRow;
  readonly variant: NetworkVariant;
  /** one sentence: the choice and why */
  readonly why: string;
}

/**
 * The smallest variant this runtime runs (smallest download and smallest session; ties go to the
 * earlier row of precisions.json), with the variants passed over and the exporter's check figures.
 */
function chooseVariant(role: NetworkRole, manifest: ModelSetManifest, runtime: RuntimeFacts): VariantChoice {
  const variants = manifest.networks[role].variants;
  const shipped = PRECISIONS.flatMap((row) => {
    const variant = variants[row.id];
    return variant ? [{ row, variant }] : [];
  });
  const runnable = shipped.filter(({ row }) => row.requirement.met(runtime));
  const chosen = runnable.reduce((best, next) =>
    variantBytes(next.variant) < variantBytes(best.variant) ? next : best,
  );
  const reference = variants[REFERENCE_PRECISION];
  const size =
    chosen.row.id === REFERENCE_PRECISION
      ? formatBytes(variantBytes(chosen.variant))
      : `${formatBytes(variantBytes(chosen.variant))} instead of ${formatBytes(variantBytes(reference))} for ${REFERENCE_PRECISION}`;
  const reason =
    shipped.length === 1
      ? 'the only variant the set has'
      : runnable.length === 1
        ? 'the only variant that runs here'
        : 'the smallest variant that runs here';
  const passedOver = shipped
    .filter(({ row }) => !row.requirement.met(runtime))
    .map(({ row }) => `${row.id} needs ${row.requirement.needs} (${row.requirement.unmet(runtime)})`);
  const check = describeCheck(chosen.variant.check as VariantCheck | undefined);
  const why =
    `${role}: ${chosen.row.id} (${chosen.variant.file}, ${size}), ${reason}` +
    (passedOver.length ? `; ${passedOver.join('; ')}` : '') +
    (check ? `; export check against PyTorch float32: ${check}` : '') +
    '.';
  return { ...chosen, why };
}

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
    `WebGPU "${facts.description}"${facts.isFallbackAdapter ? ' (fallback adapter)' : ''}; ` +
    `shader-f16 ${facts.shaderF16 ? 'yes' : 'no'}; ` +
    `maxBufferSize ${formatBytes(facts.maxBufferSize)}; ` +
    `maxStorageBufferBindingSize ${formatBytes(facts.maxStorageBufferBindingSize)}${memory}`
  );
}

const TASK_LABEL: Record<StudioTask, string> = {
  generate: 'generation',
  reconstruct: 'reconstruction',
  encodeImages: 'encoding',
  decodeLatents: 'decoding',
};

interface MemoryLimit {
  readonly bytes: number;
  readonly what: string;
}

/** The tightest memory limit known for this provider, if any. */
function memoryLimit(provider: BrowserProvider, facts: AdapterFacts): MemoryLimit | undefined {
  const limits: MemoryLimit[] = [];
  const heap = providerSpec(provider).heapLimit;
  if (heap) limits.push(heap);
  const reportedGiB = facts.deviceMemoryGiB;
  if (reportedGiB !== undefined && reportedGiB < DEVICE_MEMORY_CAP_GIB) {
    limits.push({ bytes: reportedGiB * GiB, what: `the ${reportedGiB} GiB of memory this device reports` });
  }
  return limits.sort((a, b) => a.bytes - b.bytes)[0];
}

interface ProviderSessions {
  readonly networks: Record<NetworkRole, NetworkPlan>;
  readonly precision: Record<NetworkRole, PrecisionId>;
  readonly memoryBudgetBytes?: number;
  readonly sentences: string[];
}

/** Variants and the memory budget for one provider; ModelTooLargeError when not even one network fits. */
function planSessions(
  manifest: ModelSetManifest,
  facts: AdapterFacts,
  provider: BrowserProvider,
): ProviderSessions {
  const noFloat16 = providerSpec(provider).noFloat16(facts);
  const runtime: RuntimeFacts = noFloat16 === undefined ? {} : { noFloat16 };
  const networks = {} as Record<NetworkRole, NetworkPlan>;
  const precision = {} as Record<NetworkRole, PrecisionId>;
  const sentences: string[] = [];
  for (const role of NETWORK_ROLES) {
    const choice = chooseVariant(role, manifest, runtime);
    precision[role] = choice.row.id;
    networks[role] = {
      precision: choice.row.id,
      variant: choice.variant,
      downloadBytes: variantBytes(choice.variant),
      sessionBytes: estimateSessionBytes(choice.variant),
    };
    sentences.push(choice.why);
  }

  const sessionsOf = (roles: readonly NetworkRole[]) =>
    roles.reduce((sum, r) => sum + networks[r].sessionBytes, 0);
  const activations = activationBytes(manifest);
  const allSessions = sessionsOf(NETWORK_ROLES);
  const estimatedBytes = allSessions + activations;
  sentences.push(
    `Estimated memory: ${formatBytes(estimatedBytes)} with every network open (${formatBytes(allSessions)} of ` +
      `sessions, ${SESSION_MEMORY_FACTOR} x their files, plus activations of one guided image; larger batches need more).`,
  );

  const limit = memoryLimit(provider, facts);
  if (!limit || estimatedBytes <= limit.bytes) {
    if (limit) sentences.push(`All four networks fit ${limit.what} at once.`);
    return { networks, precision, sentences };
  }
  const budget = limit.bytes - activations;
  const largest = NETWORK_ROLES.reduce((a, b) =>
    networks[b].sessionBytes > networks[a].sessionBytes ? b : a,
  );
  if (networks[largest].sessionBytes > budget) {
    throw new ModelTooLargeError(
      `${manifest.id} needs about ${formatBytes(networks[largest].sessionBytes + activations)} for its largest ` +
        `network alone (${largest}, ${networks[largest].variant.file}: ${formatBytes(networks[largest].downloadBytes)}, ` +
        `${formatBytes(networks[largest].sessionBytes)} as a session, plus ${formatBytes(activations)} of activations), ` +
        `more than ${limit.what} (${formatBytes(limit.bytes)}); all four need ${formatBytes(estimatedBytes)}; choose a smaller model set` +
        roomierProviders(provider, facts) +
        '. Nothing was downloaded.',
    );
  }
  const tasks = STUDIO_TASKS.filter((task) => task === 'generate' || task === 'reconstruct').map((task) => {
    const bytes = sessionsOf(TASK_NETWORKS[task]);
    return `${TASK_LABEL[task]} ${formatBytes(bytes)}${bytes > budget ? ' (more than the budget: its networks take turns, slower)' : ''}`;
  });
  sentences.push(
    `Not all four networks fit ${limit.what} at once (${formatBytes(estimatedBytes)}): each task opens its ` +
      `networks when it runs, and the least recently used are closed to stay within ${formatBytes(budget)} of ` +
      `sessions (${tasks.join(', ')}).`,
  );
  return { networks, precision, memoryBudgetBytes: budget, sentences };
}

const sessionPlanOf = (plan: SessionPlan): SessionPlan => ({
  precision: plan.precision,
  ...(plan.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: plan.memoryBudgetBytes } : {}),
});

/** The sessions each provider opens under `plan`: the plan's own, and its fallbacks'. */
export function sessionPlans(plan: LoadPlan): Partial<Record<BrowserProvider, SessionPlan>> {
  return { ...plan.fallbacks, [plan.provider]: sessionPlanOf(plan) };
}

/** What the model manager shows of a plan (plain data: it crosses postMessage). */
export function summarizePlan(plan: LoadPlan): LoadPlanSummary {
  return {
    adapter: plan.adapter,
    provider: plan.provider,
    explanation: plan.explanation,
    ...(plan.providerNotice !== undefined ? { providerNotice: plan.providerNotice } : {}),
    estimatedBytes: plan.estimatedBytes,
    downloadBytes: plan.downloadBytes,
    firstTaskDownloadBytes: plan.firstTaskDownloadBytes,
    ...(plan.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: plan.memoryBudgetBytes } : {}),
    networks: NETWORK_ROLES.map((role) => {
      const { precision, variant, downloadBytes, sessionBytes } = plan.networks[role];
      return {
        role,
        precision,
        file: variant.file,
        downloadBytes,
        sessionBytes,
        ...(variant.check ? { check: variant.check } : {}),
      };
    }),
  };
}

/**
 * The provider a load tries first, from the preference and the adapter alone (the same rows planModelSet
 * uses; no manifest needed), so the runtime for it can start loading while the manifest is read.
 */
export function chooseProvider(preference: ProviderPreference, facts: AdapterFacts): BrowserProvider {
  return decideProvider(preference, facts).provider;
}

/** ' or the WebGPU provider': the providers that run here without this one's own memory limit. */
function roomierProviders(provider: BrowserProvider, facts: AdapterFacts): string {
  if (!providerSpec(provider).heapLimit) return '';
  return BROWSER_PROVIDER_NAMES.filter((other) => {
    const spec = providerSpec(other);
    return other !== provider && !spec.heapLimit && spec.unavailable(facts) === undefined;
  })
    .map((other) => ` or the ${providerSpec(other).label} provider`)
    .join('');
}

/** Decides provider and variants and checks the memory estimate; ModelTooLargeError when it cannot fit. */
export function planModelSet(
  manifest: ModelSetManifest,
  facts: AdapterFacts,
  preference: ProviderPreference,
): LoadPlan {
  const { provider, why, notice } = decideProvider(preference, facts);
  const sessions = planSessions(manifest, facts, provider);
  const explanation = [why, ...sessions.sentences];
  const { networks } = sessions;

  const bindingLimit = providerSpec(provider).bindingLimit?.(facts);
  if (bindingLimit !== undefined) {
    const oversized = NETWORK_ROLES.filter((role) => networks[role].variant.bytes > bindingLimit);
    explanation.push(
      oversized.length === 0
        ? `Every network file fits in one storage binding (${formatBytes(bindingLimit)}), so no weight tensor can exceed it.`
        : `${oversized.join(', ')} exceed one storage binding (${formatBytes(bindingLimit)}) as whole files; ` +
            'loading works as long as no single weight tensor does (ONNX Runtime reports it if one does).',
    );
  }

  // Only Automatic falls back after a failed load (LEAVES_PROVIDER_WHEN.failed): each later row gets its own sessions.
  const fallbacks: Partial<Record<BrowserProvider, SessionPlan>> = {};
  for (
    let next = nextProvider(provider);
    LEAVES_PROVIDER_WHEN.failed(preference) && next;
    next = nextProvider(next)
  ) {
    if (providerSpec(next).unavailable(facts) !== undefined) continue;
    try {
      fallbacks[next] = sessionPlanOf(planSessions(manifest, facts, next));
    } catch (error) {
      if (!(error instanceof ModelTooLargeError)) throw error;
    }
  }

  const sum = (roles: readonly NetworkRole[], pick: (n: NetworkPlan) => number) =>
    roles.reduce((total, role) => total + pick(networks[role]), 0);
  const activations = activationBytes(manifest);
  return {
    provider,
    networks,
    precision: sessions.precision,
    ...(sessions.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: sessions.memoryBudgetBytes } : {}),
    fallbacks,
    downloadBytes: sum(NETWORK_ROLES, (n) => n.downloadBytes),
    firstTaskDownloadBytes: sum(TASK_NETWORKS[FIRST_TASK], (n) => n.downloadBytes),
    estimatedBytes: sum(NETWORK_ROLES, (n) => n.sessionBytes) + activations,
    allResident: sessions.memoryBudgetBytes === undefined,
    adapter: describeAdapter(facts),
    explanation,
    ...(notice !== undefined ? { providerNotice: notice } : {}),
  };
}
