// The model slice: the bundled catalogue with an offline copy, sets added by URL remembered across
// reloads, per-file and whole-set progress rows (cache or source), and a failed load from a URL that
// leaves the studio on the set it had; a network a task opens after the load joins the rows live, with
// its bytes, speed samples and state for the Models bar, until the task's call ends.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelFetchError } from '../../src/engine/errors';
import type {
  LoadedModelSet,
  LoadModelSetRequest,
  LoadProgressEvent,
  ResidencyReport,
  StudioEngine,
} from '../../src/engine/api/studio-engine';
import { TINY_MANIFEST } from './fake-engine';

const OTHER = { ...TINY_MANIFEST, id: 'other-set' };
const RESIDENCY: ResidencyReport = {
  networks: [
    { role: 'dit', precision: 'int4', file: 'dit.int4.onnx', resident: true, sessionBytes: 30 },
    { role: 'dinoEncoder', precision: 'float32', file: 'dino.onnx', resident: false, sessionBytes: 20 },
  ],
  residentBytes: 30,
  budgetBytes: 40,
};
const requests: LoadModelSetRequest[] = [];
/** What networkResidency answers (a test sets it to the sessions a view has opened). */
let residencyNow = RESIDENCY;

/** Loads succeed (reporting a plan, one cached and one downloaded file) unless the URL says "down". */
const engine = {
  async loadModelSet(
    request: LoadModelSetRequest,
    options?: { onProgress?: (event: LoadProgressEvent) => void },
  ): Promise<LoadedModelSet> {
    requests.push(request);
    const url = request.source.kind === 'url' ? request.source.url : '';
    if (url.includes('down')) throw new ModelFetchError(`${url} is unreachable`);
    const base = { kind: 'load', setTotalBytes: 30 } as const;
    const plan = {
      adapter: 'No WebGPU',
      explanation: ['WASM was selected.'],
      estimatedBytes: 40,
      downloadBytes: 30,
      // no WebGPU here: an explicit WebGPU choice runs on WASM and the plan says so (capabilities.ts)
      ...(request.provider === 'webgpu' ? { providerNotice: 'WebGPU is not available in this browser' } : {}),
    };
    for (const event of [
      { ...base, file: 'set', stage: 'plan', loadedBytes: 0, totalBytes: 30, setLoadedBytes: 0, plan },
      { ...base, file: 'a.onnx', stage: 'cache', loadedBytes: 10, totalBytes: 10, setLoadedBytes: 10 },
      { ...base, file: 'a.onnx', stage: 'session', loadedBytes: 10, totalBytes: 10, setLoadedBytes: 10 },
      { ...base, file: 'b.onnx', stage: 'download', loadedBytes: 5, totalBytes: 20, setLoadedBytes: 15 },
      { ...base, file: 'b.onnx', stage: 'download', loadedBytes: 20, totalBytes: 20, setLoadedBytes: 30 },
    ] as const) {
      options?.onProgress?.(event);
    }
    return {
      manifest: url.includes('other') ? OTHER : TINY_MANIFEST,
      manifestSha256: 'sha',
      execution: { provider: 'wasm', adapter: 'WebAssembly', reason: 'WASM was selected' },
      cache: { status: 'stored' },
    };
  },
  // After a load the store starts the idle-time warm-up (generation slice); nothing to warm here.
  async warmUp() {
    return { done: 0, forwards: 0, forwardTimesMs: [], decodeMs: 0, stopped: true };
  },
  async networkResidency(): Promise<ResidencyReport> {
    return residencyNow;
  },
} as unknown as StudioEngine;

vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const storage = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (key: string) => storage.get(key) ?? null,
  setItem: (key: string, value: string) => void storage.set(key, value),
});
vi.stubGlobal('document', { baseURI: 'http://studio.test/' });
const INDEX = {
  modelSets: [{ id: 'random-tiny', manifest: 'models/random-tiny/manifest.json' }],
  default: 'random-tiny',
};
const fetchIndex = vi.fn(async () => new Response(JSON.stringify(INDEX)));
vi.stubGlobal('fetch', fetchIndex);
const { useStudio } = await import('../../src/store');
const initial = useStudio.getState();

beforeEach(() => {
  useStudio.setState(initial, true);
  storage.clear();
  requests.length = 0;
  residencyNow = RESIDENCY;
  fetchIndex.mockImplementation(async () => new Response(JSON.stringify(INDEX)));
});

describe('model slice', () => {
  it('loads the bundled default, and offline uses the saved copy of the catalogue', async () => {
    await useStudio.getState().loadCatalogue();
    expect(requests[0]?.source).toEqual({
      kind: 'url',
      url: 'http://studio.test/models/random-tiny/manifest.json',
    });
    expect(useStudio.getState().loadStatus).toBe('ready');

    useStudio.setState(initial, true);
    fetchIndex.mockImplementation(async () => {
      throw new TypeError('Failed to fetch');
    });
    await useStudio.getState().loadCatalogue();
    expect(useStudio.getState().catalogue.map((e) => e.id)).toEqual(['random-tiny']);
    expect(useStudio.getState().loadStatus).toBe('ready');
  });

  it('adds a set loaded by URL to the catalogue and remembers it for the next start', async () => {
    await useStudio.getState().loadCatalogue();
    await useStudio.getState().loadFromUrl('https://models.test/other/manifest.json');
    const state = useStudio.getState();
    expect(state.selectedSetId).toBe('other-set');
    expect(state.catalogue.map((e) => [e.id, e.origin])).toEqual([
      ['random-tiny', 'bundled'],
      ['other-set', 'url'],
    ]);
    useStudio.setState(initial, true);
    await useStudio.getState().loadCatalogue();
    expect(useStudio.getState().catalogue.map((e) => e.id)).toEqual(['random-tiny', 'other-set']);
  });

  it('keeps one progress row per file, marking bytes that came from the cache', async () => {
    await useStudio.getState().loadFromUrl('https://models.test/other/manifest.json');
    const { loadFiles, loadTotal, loadPlan, cacheReport } = useStudio.getState();
    expect(loadFiles.map((f) => [f.file, f.stage, f.loadedBytes, f.fromCache])).toEqual([
      ['a.onnx', 'session', 10, true],
      ['b.onnx', 'download', 20, false],
    ]);
    expect(loadFiles[1]?.samples.map((s) => s.loadedBytes)).toEqual([5, 20]);
    expect(loadTotal).toMatchObject({ loadedBytes: 30, totalBytes: 30 });
    expect(loadPlan?.explanation).toEqual(['WASM was selected.']);
    expect(cacheReport).toEqual({ status: 'stored' });
  });

  it('remembers the execution provider for the next start, and loads with it', async () => {
    await useStudio.getState().loadCatalogue();
    await useStudio.getState().setProvider('wasm');
    expect(requests.at(-1)?.provider).toBe('wasm');
    // A reload: the store is created anew from the same localStorage.
    vi.resetModules();
    const reloaded = (await import('../../src/store')).useStudio;
    expect(reloaded.getState().provider).toBe('wasm');
    await reloaded.getState().loadCatalogue();
    expect(requests.at(-1)?.provider).toBe('wasm');
  });

  it('keeps a remembered WebGPU choice that ran on WASM here, with the plan’s notice for the top bar', async () => {
    storage.set('svg-studio.provider', '"webgpu"');
    vi.resetModules();
    const reloaded = (await import('../../src/store')).useStudio;
    await reloaded.getState().loadCatalogue();
    expect(requests.at(-1)?.provider).toBe('webgpu');
    expect(reloaded.getState().loadStatus).toBe('ready');
    expect(reloaded.getState().loadPlan?.providerNotice).toBe('WebGPU is not available in this browser');
    expect(reloaded.getState().provider).toBe('webgpu');
    expect(storage.get('svg-studio.provider')).toBe('"webgpu"'); // the user's setting is not overwritten
  });

  it('starts on Automatic when the stored provider is not one, and says it was set aside', async () => {
    storage.set('svg-studio.provider', '"quantum"');
    vi.resetModules();
    const reloaded = (await import('../../src/store')).useStudio;
    expect(reloaded.getState().provider).toBe('auto');
    await reloaded.getState().loadCatalogue();
    expect(reloaded.getState().loadStatus).toBe('ready');
    expect(reloaded.getState().workspaceNotice).toMatch(/svg-studio\.provider/);
  });

  it('keeps the engine’s report of open sessions for the top bar', async () => {
    expect(useStudio.getState().residency).toBeNull();
    await useStudio.getState().refreshResidency();
    expect(useStudio.getState().residency).toEqual(RESIDENCY);
  });

  it('adds the files of networks a view opened after the load to the download rows and total', async () => {
    await useStudio.getState().loadCatalogue();
    const { dinoEncoder, decoder } = TINY_MANIFEST.networks;
    const resident = (role: 'dinoEncoder' | 'decoder' | 'dit', file: string) => ({
      role,
      precision: 'float32' as const,
      file,
      resident: true,
      sessionBytes: 1,
    });
    // The Reconstruct view opened the encoder and the decoder; the DiT was closed to make room.
    residencyNow = {
      networks: [
        resident('dinoEncoder', dinoEncoder.variants.float32!.file),
        resident('decoder', decoder.variants.float32!.file),
        { ...resident('dit', 'dit.onnx'), resident: false },
      ],
      residentBytes: 2,
    };
    await useStudio.getState().refreshResidency();
    await useStudio.getState().refreshResidency(); // asked again after the next call: listed once
    const { loadFiles, loadTotal } = useStudio.getState();
    expect(loadFiles.map((f) => [f.file, f.stage, f.loadedBytes, f.openedAfterLoad ?? false])).toEqual([
      ['a.onnx', 'session', 10, false],
      ['b.onnx', 'download', 20, false],
      ['dino_encoder.onnx', 'open', dinoEncoder.variants.float32!.bytes, true],
      ['decoder.onnx', 'open', decoder.variants.float32!.bytes, true],
    ]);
    const grown = 30 + dinoEncoder.variants.float32!.bytes + decoder.variants.float32!.bytes;
    expect(loadTotal).toMatchObject({ loadedBytes: grown, totalBytes: grown });
  });

  it('shows a network a task opens after the load live: its row, the grown total, its share in', async () => {
    await useStudio.getState().loadCatalogue();
    await useStudio.getState().refreshResidency(); // the DINO encoder's planned variant: float32
    const dino = TINY_MANIFEST.networks.dinoEncoder.variants.float32!;
    const event = (stage: 'download' | 'session', loadedBytes: number) =>
      ({
        kind: 'load',
        file: dino.file,
        network: 'dinoEncoder',
        stage,
        loadedBytes,
        totalBytes: dino.bytes,
      }) as const;
    const half = Math.floor(dino.bytes / 2);
    useStudio.getState().networkOpeningProgress(event('download', half), 7);
    let state = useStudio.getState();
    expect(state.openingNetworks.dinoEncoder).toMatchObject({
      callId: 7,
      stage: 'download',
      loadedBytes: half,
      totalBytes: dino.bytes,
    });
    const row = state.loadFiles.find((f) => f.file === dino.file);
    expect(row).toMatchObject({
      stage: 'download',
      loadedBytes: half,
      openedAfterLoad: true,
      fromCache: false,
    });
    expect(row?.sourceUnknown).toBeUndefined(); // watched: where the bytes come from is known
    expect(state.loadTotal).toMatchObject({ loadedBytes: 30 + half, totalBytes: 30 + dino.bytes });
    expect(state.loadTotal?.samples).toHaveLength(1); // the load's samples are not a speed for this
    useStudio.getState().networkOpeningProgress(event('download', dino.bytes), 7);
    useStudio.getState().networkOpeningProgress(event('session', dino.bytes), 7);
    state = useStudio.getState();
    expect(state.openingNetworks.dinoEncoder).toMatchObject({ stage: 'session', loadedBytes: dino.bytes });
    expect(state.openingNetworks.dinoEncoder?.samples.length).toBeGreaterThan(1);
    expect(state.loadTotal).toMatchObject({ loadedBytes: 30 + dino.bytes, totalBytes: 30 + dino.bytes });
    expect(state.loadFiles.filter((f) => f.file === dino.file)).toHaveLength(1);
    // another call's end leaves it; its own call's end ends it, and the residency lists the row once
    useStudio.getState().engineCallSettled(8);
    expect(useStudio.getState().openingNetworks.dinoEncoder).toBeDefined();
    useStudio.getState().engineCallSettled(7);
    expect(useStudio.getState().openingNetworks).toEqual({});
    residencyNow = {
      ...RESIDENCY,
      networks: [
        { role: 'dinoEncoder', precision: 'float32', file: dino.file, resident: true, sessionBytes: 1 },
      ],
    };
    await useStudio.getState().refreshResidency();
    expect(useStudio.getState().loadFiles.filter((f) => f.file === dino.file)).toHaveLength(1);
  });

  it('ends a network’s opening when its session is open, while the task that opened it runs on', async () => {
    await useStudio.getState().loadCatalogue();
    await useStudio.getState().refreshResidency(); // the DINO encoder is closed
    const dino = TINY_MANIFEST.networks.dinoEncoder.variants.float32!;
    const residual = TINY_MANIFEST.networks.residualEncoder.variants.float32!;
    const event = (
      network: 'dinoEncoder' | 'residualEncoder',
      stage: 'download' | 'session' | 'open',
      loadedBytes: number,
    ) => {
      const file = network === 'dinoEncoder' ? dino : residual;
      return { kind: 'load', file: file.file, network, stage, loadedBytes, totalBytes: file.bytes } as const;
    };
    const store = useStudio.getState();
    store.networkOpeningProgress(event('dinoEncoder', 'download', dino.bytes), 7);
    store.networkOpeningProgress(event('dinoEncoder', 'session', dino.bytes), 7);
    store.networkOpeningProgress(event('residualEncoder', 'download', 1), 7); // read one ahead
    // what the engine answers when asked again: the DINO encoder open
    residencyNow = {
      ...RESIDENCY,
      networks: RESIDENCY.networks.map((n) => (n.role === 'dinoEncoder' ? { ...n, resident: true } : n)),
      residentBytes: 50,
    };
    store.networkOpeningProgress(event('dinoEncoder', 'open', dino.bytes), 7);
    let state = useStudio.getState();
    // call 7 has not ended: the DINO encoder is no longer opening, and the chip's report has it open at once
    expect(Object.keys(state.openingNetworks)).toEqual(['residualEncoder']);
    expect(state.residency?.networks.find((n) => n.role === 'dinoEncoder')?.resident).toBe(true);
    expect(state.residency?.residentBytes).toBe(30 + 20);
    expect(state.loadFiles.find((f) => f.file === dino.file)).toMatchObject({
      stage: 'open',
      loadedBytes: dino.bytes,
    });
    await vi.waitFor(() => expect(useStudio.getState().residency).toBe(residencyNow)); // asked again
    // the task's call is cancelled while the residual encoder downloads: that one is not open
    useStudio.getState().engineCallSettled(7);
    state = useStudio.getState();
    expect(state.openingNetworks).toEqual({});
    expect(state.residency?.networks.map((n) => [n.role, n.resident])).toEqual([
      ['dit', true],
      ['dinoEncoder', true],
    ]);
  });

  it('measures a download started over by a later call afresh (a cancelled one left its row)', async () => {
    await useStudio.getState().loadCatalogue();
    await useStudio.getState().refreshResidency();
    const dino = TINY_MANIFEST.networks.dinoEncoder.variants.float32!;
    const event = (loadedBytes: number) =>
      ({
        kind: 'load',
        file: dino.file,
        network: 'dinoEncoder',
        stage: 'download',
        loadedBytes,
        totalBytes: dino.bytes,
      }) as const;
    const store = useStudio.getState();
    store.networkOpeningProgress(event(4), 1);
    store.networkOpeningProgress(event(8), 1);
    store.engineCallSettled(1); // cancelled half-way: the row stays, stopped
    store.networkOpeningProgress(event(2), 2);
    const state = useStudio.getState();
    const row = state.loadFiles.find((f) => f.file === dino.file);
    expect(row).toMatchObject({ loadedBytes: 2 });
    expect(row?.samples).toHaveLength(1); // no speed from the first call's samples
    expect(state.openingNetworks.dinoEncoder).toMatchObject({ callId: 2, loadedBytes: 2 });
    expect(state.openingNetworks.dinoEncoder?.samples).toHaveLength(1);
    // the total counts the file once, with the bytes in now
    expect(state.loadTotal).toMatchObject({ loadedBytes: 30 + 2, totalBytes: 30 + dino.bytes });
    expect(state.loadTotal?.samples).toHaveLength(1);
  });

  it('ignores opening events while a set loads (no task runs then)', () => {
    useStudio.setState({ loadStatus: 'loading' });
    useStudio
      .getState()
      .networkOpeningProgress(
        { kind: 'load', file: 'x.onnx', network: 'dit', stage: 'download', loadedBytes: 1, totalBytes: 2 },
        1,
      );
    expect(useStudio.getState().openingNetworks).toEqual({});
    expect(useStudio.getState().loadFiles).toEqual([]);
  });

  it('stays on the loaded set when a URL fails, with the reason for the model manager', async () => {
    await useStudio.getState().loadCatalogue();
    await useStudio.getState().loadFromUrl('https://down.test/manifest.json');
    const state = useStudio.getState();
    expect(state.loadStatus).toBe('ready');
    expect(state.selectedSetId).toBe('random-tiny');
    expect(state.manifest?.id).toBe('random-tiny');
    // the message, then what to do about it (describeError)
    expect(state.sourceError).toMatch(/^https:\/\/down\.test\/manifest\.json is unreachable\. Check/);
    expect(state.catalogue).toHaveLength(1);
    // The refused load never reached its plan, so the report still describes the running set.
    expect(state.loadPlan?.explanation).toEqual(['WASM was selected.']);
    expect(state.loadFiles.map((f) => f.file)).toEqual(['a.onnx', 'b.onnx']);
    expect(state.cacheReport).toEqual({ status: 'stored' });
  });
});
