// Runtime-independent half of the ONNX Runtime adapters: opens the networks of a model set as sessions
// (graph I/O checked) and implements ModelSetRuntime on top of a small `TensorBinding` that says where
// latents live. Sessions open on first use (the first task's when the set loads) and are closed least
// recently used when a task needs room under the memory budget of the capability check; the reader
// (contract §2) has verified every file, so nothing is hashed here. Opening several networks reads one
// network ahead: the next one's files download and verify while the current one's session is created.
// onnxruntime-node and onnxruntime-web share this code because their InferenceSession/Tensor APIs are
// the same (onnxruntime-common); each package is imported by exactly one module (ort-node.ts,
// ort-web.ts), which passes its namespace in.
import type * as OrtCommon from 'onnxruntime-common';
import { ModelIoMismatchError, RuntimeFailureError, SamplingCancelledError } from '../engine/errors';
import { GRAPH_IO_NAMES } from '../engine/model-set/graph-io';
import { estimateSessionBytes } from '../engine/model-set/memory';
import { FIRST_TASK, NETWORK_ROLES, TASK_NETWORKS, type NetworkRole } from '../engine/model-set/networks';
import { REFERENCE_PRECISION, type PrecisionId } from '../engine/model-set/precisions';
import {
  releaseSource,
  type FileEntry,
  type ModelFileReader,
  type ModelFileSource,
} from '../engine/model-set/reader';
import type { ModelSetManifest, NetworkVariant } from '../engine/model-set/schema';
import type {
  ExecutionInfo,
  ModelSetRuntime,
  NetworkCallOptions,
  ResidencyReport,
} from '../engine/api/runtime-contract';
import type { LoadProgressEvent, OpeningProgress } from '../engine/api/studio-engine';
import { cpuLatentMath, cpuTensor, type CpuTensor, type LatentMath } from '../engine/latent/tensor';

export type OrtNamespace = Pick<typeof OrtCommon, 'InferenceSession' | 'Tensor'>;
type OrtSession = OrtCommon.InferenceSession;
type OrtTensor = OrtCommon.Tensor;

export type { ModelFileReader } from '../engine/model-set/reader';

/** InferenceSession.create failed (as opposed to reading the file): another variant may still open. */
class SessionCreationError extends RuntimeFailureError {}

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
  /** The variant each network opens (the capability plan's); float32 where absent. */
  readonly precision?: Partial<Readonly<Record<NetworkRole, PrecisionId>>>;
  /** Bytes the open sessions may take together (estimates); absent: sessions stay open once used. */
  readonly memoryBudgetBytes?: number;
  /** Networks opened before the set is returned; the rest open on first use. Default: the first task's. */
  readonly openFirst?: readonly NetworkRole[];
  /** Progress of the files read and sessions opened while loading; later opens report to their prepare's. */
  readonly onProgress?: (progress: LoadProgressEvent) => void;
  /**
   * What the loader adds to every progress event before anyone hears it (the browser's: which bytes came
   * from the cache, the whole set's totals), for the load's events and later opens' alike.
   */
  readonly describeProgress?: (progress: LoadProgressEvent) => LoadProgressEvent;
  readonly signal?: AbortSignal;
}

/** Opens the set's first sessions (DiT and decoder by default) and returns the runtime over them. */
export async function loadModelSet<T>(
  ort: OrtNamespace,
  binding: TensorBinding<T>,
  options: LoadOptions,
): Promise<ModelSetRuntime<T>> {
  const sessions = new SessionSet(ort, binding, options);
  try {
    await sessions.prepare(options.openFirst ?? TASK_NETWORKS[FIRST_TASK], options.signal);
  } catch (error) {
    await sessions.closeAll();
    throw error;
  }
  sessions.loadFinished();
  return new OrtModelSetRuntime(ort, binding, sessions, options.manifest);
}

interface OpenSession {
  readonly session: OrtSession;
  readonly bytes: number;
}

/** A network variant's files being read, and what stops that read. */
interface PendingRead {
  readonly files: Promise<VariantFiles>;
  readonly abort: AbortController;
}

/**
 * A session being opened, shared by every caller that asked for it. Its read (the download) is aborted
 * once every caller that can cancel has cancelled and none that cannot is waiting: one task's cancel
 * never fails another's wait, and a cancelled task does not leave a download running for nobody.
 */
interface Opening {
  readonly session: Promise<OrtSession>;
  readonly abort: AbortController;
  /** callers with a signal still waiting */
  cancellableWaiters: number;
  /** a caller without a signal waits (it cannot cancel, so the read always finishes) */
  held: boolean;
}

/** A network variant's files as the reader handed them over: the graph, and its external data if any. */
interface VariantFiles {
  readonly graph: ModelFileSource;
  readonly externalData?: ModelFileSource;
}

/** ONNX Runtime has copied what it needs from the files (or will never open them): their handles go. */
function releaseFiles(files: VariantFiles): void {
  releaseSource(files.graph);
  if (files.externalData) releaseSource(files.externalData);
}

/** Files read for a session that will not use them: released once (and if) the read ends. */
function discardFiles(reading: Promise<VariantFiles>): void {
  void reading.then(releaseFiles, () => undefined);
}

/**
 * The sessions of one model set under a memory budget. `open` is kept in least-recently-used order
 * (a Map iterates in insertion order; every use re-inserts), sessions running a forward are never closed,
 * and a network is opened at most once at a time.
 */
export class SessionSet {
  private readonly open = new Map<NetworkRole, OpenSession>();
  private readonly opening = new Map<NetworkRole, Opening>();
  private readonly running = new Map<NetworkRole, number>();
  private onProgress: LoadOptions['onProgress'];
  /** The progress listeners of the prepare calls under way after the load (the tasks' own callers). */
  private readonly taskListeners = new Set<(progress: OpeningProgress) => void>();
  /** Networks whose planned variant ONNX Runtime could not open, with why: they run float32 instead. */
  private readonly fallbacks = new Map<NetworkRole, string>();

  constructor(
    private readonly ort: OrtNamespace,
    private readonly binding: TensorBinding<unknown>,
    private readonly options: LoadOptions,
  ) {
    this.onProgress = options.onProgress;
  }

  /** Later opens happen outside the load call: its progress callback no longer listens (theirs do). */
  loadFinished(): void {
    this.onProgress = undefined;
  }

  variant(role: NetworkRole): { precision: PrecisionId; variant: NetworkVariant } {
    const variants = this.options.manifest.networks[role].variants;
    const wanted = this.fallbacks.has(role)
      ? REFERENCE_PRECISION
      : (this.options.precision?.[role] ?? REFERENCE_PRECISION);
    const variant = variants[wanted];
    if (!variant) {
      throw new RuntimeFailureError(
        `${role}: the model set has no ${wanted} variant (it has ${Object.keys(variants).join(', ')})`,
      );
    }
    return { precision: wanted, variant };
  }

  sessionBytes(role: NetworkRole): number {
    return estimateSessionBytes(this.variant(role).variant);
  }

  /**
   * Opens every network of `roles` in turn, making room for each by closing others first. Reading is
   * pipelined: the next network's files start to download (and verify) as soon as the current one's are
   * in, so they arrive while its session is created. One read at a time: two downloads would share the
   * bandwidth and delay the file the next session waits for, and a reader's in-memory bytes (no cache, or
   * Node) are not counted by the session budget. When an open fails or `signal` aborts, the read ahead is
   * aborted and whatever it read is released.
   *
   * One of two read-aheads, at two moments: this one overlaps reading with session creation, for any
   * reader (Node's files too) and for every task. The browser's loader (src/worker/web-engine.ts) starts
   * DownloadReader.readAhead (src/storage/model-download.ts) earlier, for the first task's files while
   * ONNX Runtime itself still downloads and compiles, when no SessionSet exists yet; the reads made here
   * then take those over through the reader (one download per file, its progress reported once).
   *
   * `onProgress` hears the files read and sessions opened while this call runs (a task opening the
   * encoders on first use), as the load's listener hears the load's; `signal` cancels this call, and the
   * download of a network nobody else waits for with it (see Opening).
   */
  async prepare(
    roles: readonly NetworkRole[],
    signal?: AbortSignal,
    onProgress?: (progress: OpeningProgress) => void,
  ): Promise<void> {
    if (onProgress) this.taskListeners.add(onProgress);
    /** reads started for networks whose open has not been asked for yet */
    const reads = new Map<NetworkRole, PendingRead>();
    let finished = false;
    const readAhead = (role: NetworkRole | undefined) => {
      if (finished || !role || reads.has(role) || this.open.has(role) || this.opening.has(role)) return;
      let variant: NetworkVariant;
      try {
        variant = this.variant(role).variant;
      } catch {
        return; // a variant the set lacks: its open names it
      }
      // Its own abort, not `signal`: once handed to an open the read is shared by every caller awaiting
      // that network, and the open decides when to stop it. The load's signal still stops it.
      const abort = new AbortController();
      const files = this.readVariant(role, variant, this.readSignal(abort.signal));
      files.catch(() => undefined); // a failed read is reported by its network's open, not here
      reads.set(role, { files, abort });
    };
    try {
      for (const [index, role] of roles.entries()) {
        if (signal?.aborted)
          throw new SamplingCancelledError('the task was cancelled before its networks opened');
        readAhead(role);
        const read = reads.get(role);
        const next = roles[index + 1];
        // The next network's read starts once this one's files are in (a failed read starts none).
        void (read?.files ?? Promise.resolve()).then(
          () => readAhead(next),
          () => undefined,
        );
        reads.delete(role);
        await this.acquire(role, roles, read, signal);
      }
    } finally {
      finished = true;
      if (onProgress) this.taskListeners.delete(onProgress);
      for (const read of reads.values()) {
        read.abort.abort(new RuntimeFailureError('an earlier network of the task failed to open'));
        discardFiles(read.files);
      }
    }
  }

  /**
   * The open session of `role`, opening it (and closing least recently used others) when needed; `read`
   * is its planned variant's files already being read (by `prepare`), released if not needed after all.
   * With `signal`, this caller stops waiting when it aborts (see Opening for the read itself).
   */
  async acquire(
    role: NetworkRole,
    task: readonly NetworkRole[] = [role],
    read?: PendingRead,
    signal?: AbortSignal,
  ): Promise<OrtSession> {
    const open = this.open.get(role);
    if (open) {
      if (read) discardFiles(read.files);
      this.open.delete(role);
      this.open.set(role, open); // most recently used
      return open.session;
    }
    let opening = this.opening.get(role);
    if (opening) {
      if (read) discardFiles(read.files);
    } else {
      const abort = read?.abort ?? new AbortController();
      opening = {
        session: this.openSession(role, task, abort.signal, read?.files).finally(() =>
          this.opening.delete(role),
        ),
        abort,
        cancellableWaiters: 0,
        held: false,
      };
      this.opening.set(role, opening);
    }
    return this.waitFor(role, opening, signal);
  }

  /** One caller's wait on a shared open; the last cancellable caller to leave stops its download. */
  private waitFor(role: NetworkRole, opening: Opening, signal: AbortSignal | undefined): Promise<OrtSession> {
    if (!signal) {
      opening.held = true;
      return opening.session;
    }
    const file = this.variant(role).variant.file;
    const cancelled = () => new SamplingCancelledError(`cancelled while ${file} was opening`);
    if (signal.aborted) return Promise.reject(cancelled());
    opening.cancellableWaiters++;
    return new Promise<OrtSession>((resolve, reject) => {
      let waiting = true;
      const leave = () => {
        if (!waiting) return;
        waiting = false;
        opening.cancellableWaiters--;
        signal.removeEventListener('abort', cancel);
      };
      const cancel = () => {
        if (!waiting) return;
        leave();
        if (opening.cancellableWaiters === 0 && !opening.held) opening.abort.abort(cancelled());
        reject(cancelled());
      };
      signal.addEventListener('abort', cancel, { once: true });
      opening.session.then(
        (session) => {
          leave();
          resolve(session);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }

  /**
   * Runs `work` on the session of `role`; the session cannot be closed while it runs. When the session
   * was closed to make room (a tight budget), its reopen is cancelled by `signal` and reported to
   * `onProgress`, as a `prepare` call's opens are.
   */
  async use<R>(
    role: NetworkRole,
    work: (session: OrtSession) => Promise<R>,
    { signal, onProgress }: NetworkCallOptions = {},
  ): Promise<R> {
    if (onProgress) this.taskListeners.add(onProgress);
    let session: OrtSession;
    try {
      session = await this.acquire(role, undefined, undefined, signal);
    } finally {
      if (onProgress) this.taskListeners.delete(onProgress);
    }
    this.running.set(role, (this.running.get(role) ?? 0) + 1);
    try {
      return await work(session);
    } finally {
      this.running.set(role, (this.running.get(role) ?? 1) - 1);
    }
  }

  residency(): ResidencyReport {
    const networks = NETWORK_ROLES.map((role) => {
      const { precision, variant } = this.variant(role);
      return {
        role,
        precision,
        file: variant.file,
        resident: this.open.has(role),
        sessionBytes: this.sessionBytes(role),
        ...(this.fallbacks.has(role) ? { fallback: this.fallbacks.get(role) as string } : {}),
      };
    });
    const budget = this.options.memoryBudgetBytes;
    return {
      networks,
      residentBytes: [...this.open.values()].reduce((sum, s) => sum + s.bytes, 0),
      ...(budget !== undefined ? { budgetBytes: budget } : {}),
    };
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.opening.values()].map((opening) => opening.session));
    const sessions = [...this.open.values()];
    this.open.clear();
    await Promise.all(sessions.map((s) => s.session.release()));
  }

  /**
   * Closes sessions until `bytes` more fit the budget: least recently used first, those the current
   * task does not need before those it does; never one that is running a forward. When nothing more can
   * close the new session opens anyway (the budget is an estimate, and the planner checked that each
   * network fits on its own).
   */
  private async makeRoom(bytes: number, task: readonly NetworkRole[]): Promise<void> {
    const budget = this.options.memoryBudgetBytes;
    if (budget === undefined) return;
    const used = () => [...this.open.values()].reduce((sum, s) => sum + s.bytes, 0);
    const idle = [...this.open.keys()].filter((role) => !this.running.get(role));
    const order = [...idle.filter((r) => !task.includes(r)), ...idle.filter((r) => task.includes(r))];
    for (const role of order) {
      if (used() + bytes <= budget) return;
      const closing = this.open.get(role);
      this.open.delete(role);
      await closing?.session.release();
    }
  }

  /**
   * Opens the planned variant (from `files` when they are already being read); when ONNX Runtime cannot
   * create it (e.g. a 4-bit graph on a runtime without com.microsoft.MatMulNBits) and it is not the
   * reference, opens float32 instead and says so.
   */
  private async openSession(
    role: NetworkRole,
    task: readonly NetworkRole[],
    stop: AbortSignal,
    files?: Promise<VariantFiles>,
  ): Promise<OrtSession> {
    const { precision, variant } = this.variant(role);
    try {
      return await this.openVariant(role, variant, task, stop, files);
    } catch (error) {
      if (precision === REFERENCE_PRECISION || !(error instanceof SessionCreationError)) throw error;
      const reference = this.options.manifest.networks[role].variants[REFERENCE_PRECISION];
      this.fallbacks.set(role, `${error.message}; fell back to ${REFERENCE_PRECISION} (${reference.file})`);
      return this.openVariant(role, this.variant(role).variant, task, stop);
    }
  }

  /** What stops a read: its open's (or read ahead's) own signal, and the load's. */
  private readSignal(own: AbortSignal): AbortSignal {
    return this.options.signal ? AbortSignal.any([this.options.signal, own]) : own;
  }

  /** Reads a variant's graph, then its external data; progress is reported per file. */
  private async readVariant(
    role: NetworkRole,
    variant: NetworkVariant,
    signal: AbortSignal,
  ): Promise<VariantFiles> {
    const read = (file: FileEntry) =>
      this.options.readFile(file, (loaded) => this.report(role, 'download', file, loaded), signal);
    const graph = await read(variant);
    if (!variant.externalData) return { graph };
    try {
      // Weights beyond protobuf's 2 GB limit live in a side file the graph refers to by name.
      return { graph, externalData: await read(variant.externalData) };
    } catch (error) {
      releaseFiles({ graph });
      throw error;
    }
  }

  /** One progress event, to the load's listener while it loads and to every task's under way. */
  private report(
    network: NetworkRole,
    stage: LoadProgressEvent['stage'],
    file: FileEntry,
    loadedBytes: number,
  ): void {
    if (!this.onProgress && this.taskListeners.size === 0) return;
    const raw: OpeningProgress = {
      kind: 'load',
      file: file.file,
      network,
      loadedBytes,
      totalBytes: file.bytes,
      stage,
    };
    const event = { ...(this.options.describeProgress?.(raw) ?? raw), network };
    this.onProgress?.(event);
    for (const listener of this.taskListeners) listener(event);
  }

  private async openVariant(
    role: NetworkRole,
    variant: NetworkVariant,
    task: readonly NetworkRole[],
    stop: AbortSignal,
    files?: Promise<VariantFiles>,
  ): Promise<OrtSession> {
    const bytes = this.sessionBytes(role);
    // The read runs while others close to make room: closing a session does not wait on the network.
    const reading = files ?? this.readVariant(role, variant, this.readSignal(stop));
    let read: VariantFiles | undefined;
    try {
      await this.makeRoom(bytes, task);
      read = await reading;
      // Everyone waiting cancelled as the last bytes came in: no session is created for nobody.
      stop.throwIfAborted();
      const options = this.binding.sessionOptions(role);
      const { graph, externalData } = read;
      if (externalData && variant.externalData) {
        options.externalData = [
          {
            path: variant.externalData.file,
            data: externalData.kind === 'bytes' ? externalData.bytes : externalData.location,
          },
        ];
      }
      this.report(role, 'session', variant, variant.bytes);
      const session = await createSession(this.ort, graph, options, variant);
      try {
        checkGraphIo(role, variant.file, session);
      } catch (error) {
        await session.release();
        throw error;
      }
      this.open.set(role, { session, bytes });
      this.report(role, 'open', variant, variant.bytes);
      return session;
    } finally {
      if (read) releaseFiles(read);
      else discardFiles(reading); // failed before the read ended: its files go when it does
    }
  }
}

async function createSession(
  ort: OrtNamespace,
  source: ModelFileSource,
  options: OrtCommon.InferenceSession.SessionOptions,
  variant: NetworkVariant,
): Promise<OrtSession> {
  try {
    return source.kind === 'bytes'
      ? await ort.InferenceSession.create(source.bytes, options)
      : await ort.InferenceSession.create(source.location, options);
  } catch (error) {
    const q = variant.quantization;
    const uses = q ? ` (the graph uses ${q.op}, ${q.bits}-bit weights; this runtime may lack the op)` : '';
    throw new SessionCreationError(
      `${variant.file}: ONNX Runtime could not load the graph${uses}: ${describe(error)}`,
      { cause: error },
    );
  }
}

/** The graph must expose exactly the names the manifest and graph-io.json promise. */
function checkGraphIo(role: NetworkRole, file: string, session: OrtSession): void {
  const expected = GRAPH_IO_NAMES[role];
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
  private disposed = false;

  constructor(
    private readonly ort: OrtNamespace,
    private readonly binding: TensorBinding<T>,
    private readonly sessions: SessionSet,
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

  encodeDino(pixels: CpuTensor, options?: NetworkCallOptions): Promise<CpuTensor> {
    return this.runOnCpu('dinoEncoder', { pixels: this.cpuInput(pixels) }, options);
  }

  encodeResidual(pixels: CpuTensor, options?: NetworkCallOptions): Promise<CpuTensor> {
    return this.runOnCpu('residualEncoder', { pixels: this.cpuInput(pixels) }, options);
  }

  decode(latent: CpuTensor, options?: NetworkCallOptions): Promise<CpuTensor> {
    return this.runOnCpu('decoder', { latent: this.cpuInput(latent) }, options);
  }

  async velocity(x: T, t: number, labels: ArrayLike<number>, options?: NetworkCallOptions): Promise<T> {
    const batch = labels.length;
    const feeds = {
      x: this.binding.asOrtTensor(x),
      t: new this.ort.Tensor('float32', new Float32Array(batch).fill(t), [batch]),
      y: new this.ort.Tensor('int64', BigInt64Array.from(Array.from(labels, (v) => BigInt(v))), [batch]),
    };
    const output = await this.run('dit', feeds, options);
    return this.binding.fromOrtTensor(output);
  }

  prepare(
    roles: readonly NetworkRole[],
    signal?: AbortSignal,
    onProgress?: (progress: OpeningProgress) => void,
  ): Promise<void> {
    if (this.disposed) return Promise.reject(new RuntimeFailureError('the model set was disposed'));
    return this.sessions.prepare(roles, signal, onProgress);
  }

  residency(): ResidencyReport {
    return this.sessions.residency();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.sessions.closeAll();
    this.binding.dispose();
  }

  private cpuInput(tensor: CpuTensor): OrtTensor {
    return new this.ort.Tensor('float32', tensor.data, tensor.dims);
  }

  private async runOnCpu(
    role: NetworkRole,
    feeds: Record<string, OrtTensor>,
    options: NetworkCallOptions | undefined,
  ): Promise<CpuTensor> {
    const output = await this.run(role, feeds, options);
    const data = output.location === 'cpu' ? output.data : await output.getData(true);
    if (!(data instanceof Float32Array)) {
      throw new RuntimeFailureError(
        `${this.sessions.variant(role).variant.file}: output is ${output.type}, expected float32`,
      );
    }
    return cpuTensor(data, output.dims);
  }

  private async run(
    role: NetworkRole,
    feeds: Record<string, OrtTensor>,
    options: NetworkCallOptions | undefined,
  ): Promise<OrtTensor> {
    if (this.disposed) throw new RuntimeFailureError('the model set was disposed');
    const file = this.sessions.variant(role).variant.file;
    const outputName = GRAPH_IO_NAMES[role].output;
    const result = await this.sessions.use(
      role,
      async (session) => {
        try {
          return await session.run(feeds);
        } catch (error) {
          throw new RuntimeFailureError(`${file}: inference failed: ${describe(error)}`, { cause: error });
        }
      },
      options,
    );
    for (const [name, value] of Object.entries(result)) {
      if (name !== outputName) value.dispose();
    }
    const output = result[outputName];
    if (!output) throw new ModelIoMismatchError(`${file}: no output "${outputName}"`);
    return output;
  }
}
