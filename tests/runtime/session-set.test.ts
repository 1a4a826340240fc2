// Per-task sessions on a fake ONNX Runtime: a load opens only the DiT and the decoder, the encoders open on
// first use, sessions are closed least recently used to stay within the budget (those the task needs
// last), residency is reported, a set that cannot hold a task's networks at once still runs it (they
// take turns, the reader is asked again), and reader sources (bytes or a location, external data) reach
// InferenceSession.create as they are. Loading reads one network ahead: the decoder's file is read while
// the DiT's session is created, and a failed open or a cancel stops that read and releases what it read;
// over the browser's download reader, those reads take over the ones its loader started ahead. A network
// opened after the load reports its bytes, its session and its open to the task's listener (the open as
// soon as it is, while the task goes on), and the task's cancel stops a download nobody else waits for.
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { IntegrityError, SamplingCancelledError } from '../../src/engine/errors';
import {
  NETWORK_ROLES,
  TASK_NETWORKS,
  type FileEntry,
  type ModelFileReader,
  type ModelFileSource,
  type ModelSetManifest,
  type NetworkRole,
} from '../../src/engine/model-set';
import { estimateSessionBytes } from '../../src/engine/model-set/memory';
import type { ModelSetRuntime } from '../../src/engine/api/runtime-contract';
import { cpuTensor, type CpuTensor } from '../../src/engine/latent/tensor';
import { GRAPH_IO_NAMES } from '../../src/engine/model-set/graph-io';
import { cpuTensorBinding, loadModelSet, type OrtNamespace } from '../../src/runtime/session-set';
import { FIRST_TASK } from '../../src/engine/model-set/networks';
import { DownloadReader } from '../../src/storage/model-download';
import { TINY_MANIFEST } from '../store/fake-engine';
import { FakeModelHost } from '../storage/fake-model-host';

const FILE_BYTES = 100;
const SESSION_BYTES = estimateSessionBytes({ file: 'x.onnx', bytes: FILE_BYTES, sha256: '' });

/** The tiny set with every network's float32 file FILE_BYTES long (the DiT with external data, if asked). */
function manifest(ditExternalData = false): ModelSetManifest {
  const networks = Object.fromEntries(
    NETWORK_ROLES.map((role) => {
      const entry = TINY_MANIFEST.networks[role];
      const external = role === 'dit' && ditExternalData;
      const float32 = {
        ...entry.variants.float32,
        bytes: FILE_BYTES - (external ? 40 : 0),
        ...(external ? { externalData: { file: 'dit.onnx.data', bytes: 40, sha256: 'cd'.repeat(32) } } : {}),
      };
      return [role, { ...entry, variants: { float32 } }];
    }),
  ) as unknown as ModelSetManifest['networks'];
  return { ...TINY_MANIFEST, networks };
}

const roleOf = (file: string): NetworkRole =>
  NETWORK_ROLES.find((role) => TINY_MANIFEST.networks[role].variants.float32.file === file) as NetworkRole;

class FakeTensor {
  readonly location = 'cpu';
  constructor(
    readonly type: string,
    readonly data: unknown,
    readonly dims: readonly number[],
  ) {}
  dispose(): void {}
}

/** A fake onnxruntime: sessions know their network from the file they were made from. */
function fakeOrt(log: string[], created: Array<{ model: unknown; options: unknown }>) {
  const ort = {
    Tensor: FakeTensor,
    InferenceSession: {
      async create(model: Uint8Array | string, options: unknown) {
        created.push({ model, options });
        const file =
          typeof model === 'string' ? model.replace(/^location:/, '') : new TextDecoder().decode(model);
        const role = roleOf(file);
        log.push(`open ${role}`);
        return {
          inputNames: [...GRAPH_IO_NAMES[role].inputs],
          outputNames: [GRAPH_IO_NAMES[role].output],
          async run() {
            return { [GRAPH_IO_NAMES[role].output]: new FakeTensor('float32', new Float32Array(4), [1, 4]) };
          },
          async release() {
            log.push(`close ${role}`);
          },
        };
      },
    },
  };
  return ort as unknown as OrtNamespace;
}

interface Harness {
  readonly runtime: ModelSetRuntime<CpuTensor>;
  readonly log: string[];
  readonly reads: string[];
  readonly created: Array<{ model: unknown; options: unknown }>;
}

async function load(
  options: { budgetSessions?: number; source?: 'bytes' | 'location'; ditExternalData?: boolean } = {},
): Promise<Harness> {
  const log: string[] = [];
  const reads: string[] = [];
  const created: Harness['created'] = [];
  const released: string[] = [];
  const readFile: ModelFileReader = async (entry: FileEntry): Promise<ModelFileSource> => {
    reads.push(entry.file);
    return options.source === 'location'
      ? { kind: 'location', location: `location:${entry.file}`, release: () => released.push(entry.file) }
      : { kind: 'bytes', bytes: new TextEncoder().encode(entry.file) };
  };
  const ort = fakeOrt(log, created);
  const binding = cpuTensorBinding(ort, { provider: 'cpu', adapter: 'fake', reason: 'test' }, () => ({}));
  const runtime = await loadModelSet(ort, binding, {
    manifest: manifest(options.ditExternalData),
    readFile,
    ...(options.budgetSessions !== undefined
      ? { memoryBudgetBytes: options.budgetSessions * SESSION_BYTES }
      : {}),
  });
  if (options.source === 'location') log.push(`released ${released.join(', ')}`);
  return { runtime, log, reads, created };
}

const pixels = () => cpuTensor(new Float32Array(3 * 64 * 64), [1, 3, 64, 64]);
const resident = (runtime: ModelSetRuntime<CpuTensor>) =>
  runtime.residency!()
    .networks.filter((n) => n.resident)
    .map((n) => n.role);

describe('loadModelSet: sessions per task', () => {
  it('opens only the DiT and the decoder at load; an encoder opens on first use, once', async () => {
    const { runtime, log, reads } = await load();
    expect(log).toEqual(['open dit', 'open decoder']);
    expect(resident(runtime)).toEqual(['decoder', 'dit']);
    await runtime.encodeDino(pixels());
    await runtime.encodeDino(pixels());
    expect(log).toEqual(['open dit', 'open decoder', 'open dinoEncoder']);
    expect(reads).toEqual(['dit.onnx', 'decoder.onnx', 'dino_encoder.onnx']);
    await runtime.dispose();
    expect(log.slice(3).sort()).toEqual(['close decoder', 'close dinoEncoder', 'close dit']);
  });

  it('reports residency with the estimates and the budget', async () => {
    const { runtime } = await load({ budgetSessions: 3 });
    expect(runtime.residency!()).toEqual({
      networks: NETWORK_ROLES.map((role) => ({
        role,
        precision: 'float32',
        file: TINY_MANIFEST.networks[role].variants.float32.file,
        resident: role === 'dit' || role === 'decoder',
        sessionBytes: SESSION_BYTES,
      })),
      residentBytes: 2 * SESSION_BYTES,
      budgetBytes: 3 * SESSION_BYTES,
    });
  });

  it('closes the least recently used session the task does not need, first', async () => {
    const { runtime, log } = await load({ budgetSessions: 3 });
    await runtime.prepare!(TASK_NETWORKS.reconstruct);
    // dino fits (3 of 3); residual needs room: the DiT is the one reconstruction does not need
    expect(log).toEqual([
      'open dit',
      'open decoder',
      'open dinoEncoder',
      'close dit',
      'open residualEncoder',
    ]);
    expect(resident(runtime)).toEqual(['dinoEncoder', 'residualEncoder', 'decoder']);
    log.length = 0;
    await runtime.prepare!(TASK_NETWORKS.generate);
    // the DiT needs room: of the encoders, the DINO one was used longest ago
    expect(log).toEqual(['close dinoEncoder', 'open dit']);
    expect(resident(runtime)).toEqual(['residualEncoder', 'decoder', 'dit']);
    expect(runtime.residency!().residentBytes).toBe(3 * SESSION_BYTES);
  });

  it('runs a task whose networks cannot all be open at once: they take turns, the reader is asked again', async () => {
    const { runtime, log, reads } = await load({ budgetSessions: 1 });
    // Even the load could hold one session at a time: the DiT made way for the decoder.
    expect(log).toEqual(['open dit', 'close dit', 'open decoder']);
    await runtime.velocity(cpuTensor(new Float32Array(4), [1, 4]), 0.5, [0]);
    await runtime.decode(cpuTensor(new Float32Array(4), [1, 4]));
    await runtime.encodeDino(pixels());
    await runtime.encodeResidual(pixels());
    expect(log.slice(3)).toEqual([
      'close decoder',
      'open dit',
      'close dit',
      'open decoder',
      'close decoder',
      'open dinoEncoder',
      'close dinoEncoder',
      'open residualEncoder',
    ]);
    expect(reads.filter((file) => file === 'dit.onnx')).toHaveLength(2);
    expect(resident(runtime)).toEqual(['residualEncoder']);
  });

  it('passes a location and the external data to InferenceSession.create, then releases the sources', async () => {
    const { created, log } = await load({ source: 'location', ditExternalData: true });
    expect(created[0]).toEqual({
      model: 'location:dit.onnx',
      options: { externalData: [{ path: 'dit.onnx.data', data: 'location:dit.onnx.data' }] },
    });
    expect(created[1]?.model).toBe('location:decoder.onnx');
    expect(log.at(-1)).toBe('released dit.onnx, dit.onnx.data, decoder.onnx');
  });

  it('hands bytes over as they are (the reader verified them; nothing is hashed here)', async () => {
    const { created } = await load();
    expect(created[0]?.model).toEqual(new TextEncoder().encode('dit.onnx'));
  });

  it('falls back to float32, naming the op, when ONNX Runtime cannot open a 4-bit graph', async () => {
    const log: string[] = [];
    const inner = fakeOrt(log, []);
    const ort = {
      ...inner,
      InferenceSession: {
        create: async (model: Uint8Array, options: unknown) => {
          if (new TextDecoder().decode(model) === 'dit.int4.onnx') {
            throw new Error('Could not find an implementation for MatMulNBits(1) node with name ""');
          }
          return inner.InferenceSession.create(model, options as never);
        },
      },
    } as unknown as OrtNamespace;
    const base = manifest();
    const int4 = {
      file: 'dit.int4.onnx',
      bytes: 20,
      sha256: 'ef'.repeat(32),
      quantization: { op: 'com.microsoft.MatMulNBits', bits: 4, blockSize: 32 },
    };
    const withInt4 = {
      ...base,
      networks: {
        ...base.networks,
        dit: { ...base.networks.dit, variants: { ...base.networks.dit.variants, int4 } },
      },
    } as ModelSetManifest;
    const binding = cpuTensorBinding(ort, { provider: 'cpu', adapter: 'fake', reason: 'test' }, () => ({}));
    const runtime = await loadModelSet(ort, binding, {
      manifest: withInt4,
      precision: { dit: 'int4' },
      readFile: async (entry) => ({ kind: 'bytes', bytes: new TextEncoder().encode(entry.file) }),
    });
    const dit = runtime.residency!().networks.find((n) => n.role === 'dit');
    expect(dit).toMatchObject({ precision: 'float32', file: 'dit.onnx', resident: true });
    expect(dit?.fallback).toBe(
      'dit.int4.onnx: ONNX Runtime could not load the graph (the graph uses com.microsoft.MatMulNBits, 4-bit ' +
        'weights; this runtime may lack the op): Could not find an implementation for MatMulNBits(1) node with ' +
        'name ""; fell back to float32 (dit.onnx)',
    );
    expect(log).toEqual(['open dit', 'open decoder']);
  });

  it('refuses a variant the set does not have, naming it', async () => {
    const ort = fakeOrt([], []);
    const binding = cpuTensorBinding(ort, { provider: 'cpu', adapter: 'fake', reason: 'test' }, () => ({}));
    await expect(
      loadModelSet(ort, binding, {
        manifest: manifest(),
        precision: { dit: 'int4' },
        readFile: async () => ({ kind: 'bytes', bytes: new Uint8Array() }),
      }),
    ).rejects.toThrow(/dit: the model set has no int4 variant \(it has float32\)/);
    // the same for the network read ahead: named by its own open, after the DiT's
    await expect(
      loadModelSet(ort, binding, {
        manifest: manifest(),
        precision: { decoder: 'int4' },
        readFile: async () => ({ kind: 'bytes', bytes: new TextEncoder().encode('dit.onnx') }),
      }),
    ).rejects.toThrow(/decoder: the model set has no int4 variant \(it has float32\)/);
  });
});

/** A promise with its resolve handle: a session creation or a read that the test lets finish. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * A load whose DiT session creation waits on `ditCreated` (or fails with `ditFails`), over a reader that
 * logs when each read starts and ends and hands out locations that log their release.
 */
function gatedLoad(options: {
  readonly read?: (entry: FileEntry, signal: AbortSignal | undefined) => Promise<void>;
  readonly ditFails?: string;
  readonly signal?: AbortSignal;
}) {
  const log: string[] = [];
  const inner = fakeOrt(log, []);
  const ditCreated = gate();
  const ort = {
    ...inner,
    InferenceSession: {
      create: async (model: string, sessionOptions: unknown) => {
        if (model === 'location:dit.onnx') {
          log.push('create dit');
          await ditCreated.promise;
          if (options.ditFails) throw new Error(options.ditFails);
        }
        return inner.InferenceSession.create(model, sessionOptions as never);
      },
    },
  } as unknown as OrtNamespace;
  const signals = new Map<string, AbortSignal | undefined>();
  const readFile: ModelFileReader = async (entry, onProgress, signal) => {
    log.push(`read ${entry.file}`);
    signals.set(entry.file, signal);
    await options.read?.(entry, signal);
    onProgress?.(entry.bytes, entry.bytes);
    log.push(`read ${entry.file} done`);
    return {
      kind: 'location',
      location: `location:${entry.file}`,
      release: () => log.push(`release ${entry.file}`),
    };
  };
  const progress: string[] = [];
  const binding = cpuTensorBinding(ort, { provider: 'cpu', adapter: 'fake', reason: 'test' }, () => ({}));
  const loading = loadModelSet(ort, binding, {
    manifest: manifest(),
    readFile,
    onProgress: (event) => progress.push(`${event.stage} ${event.file} ${event.loadedBytes}`),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { loading, log, progress, signals, ditCreated };
}

describe('loadModelSet: reading ahead', () => {
  it("reads the decoder's file while the DiT's session is being created", async () => {
    const { loading, log, progress, ditCreated } = gatedLoad({});
    await vi.waitFor(() => expect(log).toContain('read decoder.onnx done'));
    expect(log).toContain('create dit');
    expect(log).not.toContain('open dit'); // the DiT's session is still being created
    // one read at a time: the decoder's starts once the DiT's files are in
    expect(log.indexOf('read decoder.onnx')).toBeGreaterThan(log.indexOf('read dit.onnx done'));
    ditCreated.open();
    const runtime = await loading;
    expect(log.slice(-4)).toEqual(['open dit', 'release dit.onnx', 'open decoder', 'release decoder.onnx']);
    // progress per file: each file's download, then its session being created, then open
    expect(progress).toEqual([
      `download dit.onnx ${FILE_BYTES}`,
      `session dit.onnx ${FILE_BYTES}`,
      `download decoder.onnx ${FILE_BYTES}`,
      `open dit.onnx ${FILE_BYTES}`,
      `session decoder.onnx ${FILE_BYTES}`,
      `open decoder.onnx ${FILE_BYTES}`,
    ]);
    expect(resident(runtime)).toEqual(['decoder', 'dit']);
  });

  it("fails the load with the decoder read's own error, closing the DiT it opened meanwhile", async () => {
    const { loading, log, ditCreated } = gatedLoad({
      read: async (entry) => {
        if (entry.file === 'decoder.onnx')
          throw new IntegrityError('decoder.onnx: SHA-256 is 00, the manifest says ab');
      },
    });
    ditCreated.open();
    await expect(loading).rejects.toThrow(
      new IntegrityError('decoder.onnx: SHA-256 is 00, the manifest says ab'),
    );
    expect(log.slice(-3)).toEqual(['open dit', 'release dit.onnx', 'close dit']);
  });

  it('aborts the read ahead when the DiT cannot open, and releases what it read', async () => {
    const decoderRead = gate();
    const { loading, log, signals, ditCreated } = gatedLoad({
      ditFails: 'protobuf parsing failed',
      read: async (entry) => {
        if (entry.file === 'decoder.onnx') await decoderRead.promise;
      },
    });
    await vi.waitFor(() => expect(log).toContain('read decoder.onnx'));
    ditCreated.open();
    await expect(loading).rejects.toThrow(
      'dit.onnx: ONNX Runtime could not load the graph: protobuf parsing failed',
    );
    expect(signals.get('decoder.onnx')?.aborted).toBe(true);
    decoderRead.open(); // this reader ignores the abort: what it hands over still goes
    await vi.waitFor(() => expect(log).toContain('release decoder.onnx'));
    expect(log).not.toContain('open decoder');
  });

  it('cancels the read ahead with the load, and keeps no session open', async () => {
    const cancel = new AbortController();
    const { loading, log, signals, ditCreated } = gatedLoad({
      signal: cancel.signal,
      read: (entry, signal) =>
        entry.file === 'decoder.onnx'
          ? new Promise((_, reject) =>
              signal?.addEventListener('abort', () =>
                reject(new SamplingCancelledError('loading decoder.onnx was cancelled')),
              ),
            )
          : Promise.resolve(),
    });
    await vi.waitFor(() => expect(log).toContain('read decoder.onnx'));
    cancel.abort();
    expect(signals.get('decoder.onnx')?.aborted).toBe(true);
    ditCreated.open(); // ONNX Runtime cannot stop a creation: it ends, and the session is closed
    await expect(loading).rejects.toThrow();
    expect(log).toContain('close dit');
    expect(log).not.toContain('open decoder');
  });
});

describe("loadModelSet over the browser loader's read ahead", () => {
  it('takes over the reads the loader started early: each file fetched once, each figure reported once', async () => {
    // Files whose bytes are their names (the fake ORT tells the network from them), hashed for real.
    const body = (file: string) => new TextEncoder().encode(file);
    const base = manifest();
    const networks = Object.fromEntries(
      NETWORK_ROLES.map((role) => {
        const entry = base.networks[role];
        const bytes = body(entry.variants.float32.file);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        return [
          role,
          { ...entry, variants: { float32: { ...entry.variants.float32, bytes: bytes.length, sha256 } } },
        ];
      }),
    ) as unknown as ModelSetManifest['networks'];
    const set: ModelSetManifest = { ...base, networks };
    const first = TASK_NETWORKS[FIRST_TASK].map((role) => set.networks[role].variants.float32);
    const host = new FakeModelHost();
    host.behaviours = first.map((entry) => ({ body: body(entry.file) }));
    const downloads = new DownloadReader({
      manifestUrl: 'https://models.test/set/manifest.json',
      cache: null,
      fetch: host.fetch,
    });
    // What src/worker/web-engine.ts does before ONNX Runtime has started: the first task's files, ahead.
    const figures: string[] = [];
    downloads.readAhead(first, (entry, loaded) => figures.push(`${entry.file} ${loaded}`));
    const log: string[] = [];
    const ort = fakeOrt(log, []);
    const binding = cpuTensorBinding(ort, { provider: 'cpu', adapter: 'fake', reason: 'test' }, () => ({}));
    const runtime = await loadModelSet(ort, binding, {
      manifest: set,
      readFile: downloads.read,
      onProgress: (event) => {
        if (event.stage === 'download') figures.push(`${event.file} ${event.loadedBytes}`);
      },
    });
    expect(resident(runtime).sort()).toEqual([...TASK_NETWORKS[FIRST_TASK]].sort());
    expect(host.requests.map((request) => request.url)).toEqual(
      first.map((entry) => `https://models.test/set/${entry.file}`),
    );
    expect(figures.sort()).toEqual(first.map((entry) => `${entry.file} ${entry.bytes}`).sort());
    downloads.dropReadAhead(); // nothing left to drop: both reads were taken over
    expect(host.requests).toHaveLength(first.length);
  });
});

/**
 * A loaded set whose encoder reads report half their bytes, then wait on `encoderRead` (or fail when
 * their signal aborts, as the browser's reader does); the load's own listener logs into `loadEvents`.
 */
async function loadWithSlowEncoders(options: { budgetSessions?: number } = {}) {
  const log: string[] = [];
  const signals = new Map<string, AbortSignal | undefined>();
  const encoderRead = gate();
  const loadEvents: string[] = [];
  const readFile: ModelFileReader = async (entry, onProgress, signal) => {
    signals.set(entry.file, signal);
    if (roleOf(entry.file).endsWith('Encoder')) {
      onProgress?.(entry.bytes / 2, entry.bytes);
      await new Promise<void>((resolve, reject) => {
        signal?.addEventListener('abort', () => {
          log.push(`abort ${entry.file}`);
          reject(new SamplingCancelledError(`loading ${entry.file} was cancelled; nothing of it was kept`));
        });
        void encoderRead.promise.then(resolve);
      });
    }
    onProgress?.(entry.bytes, entry.bytes);
    return { kind: 'bytes', bytes: new TextEncoder().encode(entry.file) };
  };
  const ort = fakeOrt(log, []);
  const binding = cpuTensorBinding(ort, { provider: 'cpu', adapter: 'fake', reason: 'test' }, () => ({}));
  const runtime = await loadModelSet(ort, binding, {
    manifest: manifest(),
    readFile,
    onProgress: (event) => loadEvents.push(`${event.stage} ${event.file}`),
    ...(options.budgetSessions !== undefined
      ? { memoryBudgetBytes: options.budgetSessions * SESSION_BYTES }
      : {}),
  });
  loadEvents.length = 0;
  log.length = 0;
  return { runtime, log, signals, encoderRead, loadEvents };
}

describe('networks opened on first use', () => {
  it("reports their download, session and open to the task's listener (not the finished load's)", async () => {
    const { runtime, encoderRead, loadEvents } = await loadWithSlowEncoders();
    const events: string[] = [];
    const preparing = runtime.prepare!(TASK_NETWORKS.encodeImages, undefined, (event) =>
      events.push(`${event.network} ${event.stage} ${event.file} ${event.loadedBytes}/${event.totalBytes}`),
    );
    await vi.waitFor(() => expect(events).toHaveLength(1));
    // live: half the DINO encoder is in while the task waits
    expect(events).toEqual([`dinoEncoder download dino_encoder.onnx ${FILE_BYTES / 2}/${FILE_BYTES}`]);
    encoderRead.open();
    await preparing;
    expect(events).toEqual([
      `dinoEncoder download dino_encoder.onnx ${FILE_BYTES / 2}/${FILE_BYTES}`,
      `dinoEncoder download dino_encoder.onnx ${FILE_BYTES}/${FILE_BYTES}`,
      // read one network ahead: the residual encoder's download starts as the DINO session is created
      `residualEncoder download residual_encoder.onnx ${FILE_BYTES / 2}/${FILE_BYTES}`,
      `dinoEncoder session dino_encoder.onnx ${FILE_BYTES}/${FILE_BYTES}`,
      `residualEncoder download residual_encoder.onnx ${FILE_BYTES}/${FILE_BYTES}`,
      `dinoEncoder open dino_encoder.onnx ${FILE_BYTES}/${FILE_BYTES}`,
      `residualEncoder session residual_encoder.onnx ${FILE_BYTES}/${FILE_BYTES}`,
      `residualEncoder open residual_encoder.onnx ${FILE_BYTES}/${FILE_BYTES}`,
    ]);
    expect(loadEvents).toEqual([]);
    // a later task opening nothing hears nothing
    const later: string[] = [];
    await runtime.prepare!(TASK_NETWORKS.encodeImages, undefined, (event) => later.push(event.file));
    expect(later).toEqual([]);
  });

  it('passes every event through the loader’s describeProgress, as during the load', async () => {
    const ort = fakeOrt([], []);
    const binding = cpuTensorBinding(ort, { provider: 'cpu', adapter: 'fake', reason: 'test' }, () => ({}));
    const runtime = await loadModelSet(ort, binding, {
      manifest: manifest(),
      readFile: async (entry) => ({ kind: 'bytes', bytes: new TextEncoder().encode(entry.file) }),
      describeProgress: (event) => ({ ...event, stage: event.stage === 'download' ? 'cache' : event.stage }),
    });
    const stages: string[] = [];
    await runtime.prepare!(['dinoEncoder'], undefined, (event) => stages.push(event.stage));
    // this reader reports no bytes; the session's events are described too
    expect(stages).toEqual(['session', 'open']);
  });

  it('says a network is open as soon as its session is, while the task still opens the next one', async () => {
    const residualRead = gate();
    const ort = fakeOrt([], []);
    const binding = cpuTensorBinding(ort, { provider: 'cpu', adapter: 'fake', reason: 'test' }, () => ({}));
    const runtime = await loadModelSet(ort, binding, {
      manifest: manifest(),
      readFile: async (entry) => {
        if (entry.file === 'residual_encoder.onnx') await residualRead.promise;
        return { kind: 'bytes', bytes: new TextEncoder().encode(entry.file) };
      },
    });
    const events: string[] = [];
    let prepared = false;
    const preparing = runtime.prepare!(TASK_NETWORKS.reconstruct, undefined, (event) =>
      events.push(`${event.network} ${event.stage}`),
    ).then(() => (prepared = true));
    await vi.waitFor(() => expect(events).toContain('dinoEncoder open'));
    // the task waits on the residual encoder's download: the DINO encoder is open already, and says so
    expect(events).toEqual(['dinoEncoder session', 'dinoEncoder open']);
    expect(resident(runtime)).toContain('dinoEncoder');
    expect(prepared).toBe(false);
    residualRead.open();
    await preparing;
    expect(events.slice(2)).toEqual(['residualEncoder session', 'residualEncoder open']);
  });

  it("a task's cancel stops the download it alone waits for; the network opens on the next use", async () => {
    const { runtime, log, signals, encoderRead } = await loadWithSlowEncoders();
    const cancel = new AbortController();
    const stages: string[] = [];
    const preparing = runtime.prepare!(TASK_NETWORKS.encodeImages, cancel.signal, (event) =>
      stages.push(event.stage),
    );
    await vi.waitFor(() => expect(signals.has('dino_encoder.onnx')).toBe(true));
    cancel.abort();
    await expect(preparing).rejects.toThrow(SamplingCancelledError);
    expect(signals.get('dino_encoder.onnx')?.aborted).toBe(true);
    expect(log).toEqual(['abort dino_encoder.onnx']);
    expect(stages).not.toContain('open'); // a cancelled open never says it is open
    expect(resident(runtime)).toEqual(['decoder', 'dit']);
    // nothing left half-open: the next use reads again and opens
    encoderRead.open();
    await runtime.prepare!(['dinoEncoder']);
    expect(resident(runtime)).toContain('dinoEncoder');
  });

  it("one caller's cancel does not stop a download another caller still waits for", async () => {
    const { runtime, signals, encoderRead } = await loadWithSlowEncoders();
    const cancel = new AbortController();
    const cancelled = runtime.prepare!(['dinoEncoder'], cancel.signal);
    const other = runtime.prepare!(['dinoEncoder'], new AbortController().signal);
    await vi.waitFor(() => expect(signals.has('dino_encoder.onnx')).toBe(true));
    cancel.abort();
    await expect(cancelled).rejects.toThrow(SamplingCancelledError);
    expect(signals.get('dino_encoder.onnx')?.aborted).toBe(false);
    encoderRead.open();
    await other;
    expect(resident(runtime)).toContain('dinoEncoder');
  });

  it('a network call that reopens its session under a tight budget reports the reopen to its listener', async () => {
    const { runtime, encoderRead, loadEvents } = await loadWithSlowEncoders({ budgetSessions: 1 });
    const events: string[] = [];
    const encoding = runtime.encodeDino(pixels(), {
      onProgress: (event) => events.push(`${event.network} ${event.stage} ${event.loadedBytes}`),
    });
    await vi.waitFor(() => expect(events).toEqual([`dinoEncoder download ${FILE_BYTES / 2}`]));
    encoderRead.open();
    await encoding;
    expect(events).toEqual([
      `dinoEncoder download ${FILE_BYTES / 2}`,
      `dinoEncoder download ${FILE_BYTES}`,
      `dinoEncoder session ${FILE_BYTES}`,
      `dinoEncoder open ${FILE_BYTES}`,
    ]);
    expect(loadEvents).toEqual([]);
    // the listener is gone with the call: a later reopen for another caller is not reported to it
    await runtime.decode(cpuTensor(new Float32Array(4), [1, 4]));
    expect(events).toHaveLength(4);
  });

  it("a cancel during a network call's reopen stops its download, as a task's cancel does", async () => {
    const { runtime, log, signals, encoderRead } = await loadWithSlowEncoders({ budgetSessions: 1 });
    const cancel = new AbortController();
    const stages: string[] = [];
    const encoding = runtime.encodeDino(pixels(), {
      signal: cancel.signal,
      onProgress: (event) => stages.push(event.stage),
    });
    await vi.waitFor(() => expect(stages).toEqual(['download']));
    cancel.abort();
    await expect(encoding).rejects.toThrow(SamplingCancelledError);
    expect(signals.get('dino_encoder.onnx')?.aborted).toBe(true);
    expect(log).toEqual(['close decoder', 'abort dino_encoder.onnx']);
    expect(stages).toEqual(['download']);
    expect(resident(runtime)).toEqual([]);
    // nothing left half-open: the next call reads again and opens
    encoderRead.open();
    await runtime.encodeDino(pixels());
    expect(resident(runtime)).toEqual(['dinoEncoder']);
  });

  it('a cancel before the networks open reads nothing', async () => {
    const { runtime, signals } = await loadWithSlowEncoders();
    const cancel = new AbortController();
    cancel.abort();
    await expect(runtime.prepare!(TASK_NETWORKS.encodeImages, cancel.signal)).rejects.toThrow(
      SamplingCancelledError,
    );
    expect(signals.has('dino_encoder.onnx')).toBe(false);
  });
});
