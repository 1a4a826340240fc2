// The gallery slice over a real (fake-indexeddb) store: a malformed stored record is set aside and
// reported once instead of blanking the studio (defect 1); the status counts what was actually saved
// after a quota failure (defect 11); restored settings are all checked, with every problem in one
// notice (defect 12); two tabs keep their galleries in step, including clear and delete of entries
// the other tab added (defect 14).
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { create } from 'zustand';
import { encodePng } from '../../src/engine/formats/png';
import { resultTextChunks } from '../../src/engine/formats/result-metadata';
import { putRawRecords } from '../storage/gallery-fixtures';
import { FakeEngine, loadTinySet, resetToTinySet, TINY_MANIFEST } from './fake-engine';

const engine = new FakeEngine();
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');
type StudioState = ReturnType<typeof useStudio.getState>;
const { createGallerySlice, galleryStatus, visibleEntries } = await import('../../src/store/gallery-slice');
const { createGenerationSlice } = await import('../../src/store/generation-slice');
const { createModelSlice } = await import('../../src/store/model-slice');

/** A second tab: its own store over the same database. */
function otherTab() {
  return create<StudioState>()(
    (...args) =>
      ({
        ...createModelSlice(...args),
        ...createGenerationSlice(...args),
        ...createGallerySlice(...args),
      }) as StudioState,
  );
}

const resetStudio = resetToTinySet(useStudio, engine);
let factory: IDBFactory;

beforeEach(async () => {
  factory = new IDBFactory();
  resetStudio();
  await useStudio.getState().openGallery(factory);
});
afterEach(() => useStudio.getState().closeGallery());

const generate = async (patch: Partial<StudioState['settings']> = {}) => {
  useStudio.getState().updateSettings({ steps: 1, batch: 1, ...patch });
  await useStudio.getState().generate();
};

describe('gallery slice over IndexedDB', () => {
  it('sets a record with settings: null aside, keeps the good ones, and reports it once (defect 1)', async () => {
    await generate({ seed: 1 });
    const good = useStudio.getState().galleryEntries[0]!;
    await putRawRecords(factory, [{ ...good, id: 'broken', settings: null }]);

    useStudio.setState({ workspaceNotice: null });
    await useStudio.getState().openGallery(factory);
    const state = useStudio.getState();
    expect(state.galleryEntries.map((e) => e.id)).toEqual([good.id]);
    expect(state.galleryEntries.every((e) => e.settings && typeof e.settings.classId === 'number')).toBe(
      true,
    );
    expect(() => visibleEntries({ ...state, galleryClassFilter: 0 })).not.toThrow();
    expect(state.galleryQuarantine).toHaveLength(1);
    expect(state.workspaceNotice).toMatch(/1 gallery record could not be read and was set aside \(settings:/);

    useStudio.setState({ workspaceNotice: null });
    await useStudio.getState().openGallery(factory);
    expect(useStudio.getState().workspaceNotice).toBeNull();
    expect(useStudio.getState().galleryQuarantine).toHaveLength(1);
    expect(JSON.parse(useStudio.getState().exportQuarantine()).records[0].record.id).toBe('broken');
    await useStudio.getState().deleteQuarantined('all');
    expect(useStudio.getState().galleryQuarantine).toEqual([]);
    expect(useStudio.getState().galleryEntries).toHaveLength(1);
  });

  it('counts only the results actually saved after a quota failure (defect 11)', async () => {
    const realPut = IDBObjectStore.prototype.put;
    let puts = 0;
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (++puts === 2) throw new DOMException('quota exceeded', 'QuotaExceededError');
      return realPut.apply(this, args);
    });
    try {
      await generate({ batch: 2 });
    } finally {
      put.mockRestore();
    }
    const state = useStudio.getState();
    expect(state.galleryEntries).toHaveLength(2);
    expect(galleryStatus(state)).toBe('2 results · 1 saved in this browser, 1 kept for this session only');
    expect(state.galleryNotice).toMatch(/storage quota is full.*\(1 of 2 new results saved\)/);
    // After a reload only the saved one is there, and the status says so.
    await useStudio.getState().openGallery(factory);
    expect(galleryStatus(useStudio.getState())).toBe('1 result · saved in this browser');
  });

  it('refuses a PNG whose class the set lacks, listing every problem in one notice (defect 12)', async () => {
    const before = useStudio.getState().settings;
    const png = await encodePng(
      { width: 1, height: 1, data: new Uint8ClampedArray(4) },
      resultTextChunks({
        modelSetId: TINY_MANIFEST.id,
        manifestSha256: '',
        settings: { ...before, classId: 999_999 },
        batchIndex: 0,
        appVersion: 'test',
      }),
    );
    await useStudio
      .getState()
      .restoreSettingsFromFile(new File([png as Uint8Array<ArrayBuffer>], 'class.png'));
    expect(useStudio.getState().workspaceNotice).toBe(
      `class.png: settings not applied (class 999999 does not exist in ${TINY_MANIFEST.name} (0..9)).`,
    );
    expect(useStudio.getState().settings).toEqual(before);

    const bad = await encodePng(
      { width: 1, height: 1, data: new Uint8ClampedArray(4) },
      {
        'svg-studio': JSON.stringify({
          schema: 'svg-studio/result',
          version: 1,
          modelSetId: TINY_MANIFEST.id,
          manifestSha256: '',
          settings: { ...before, guidanceSchedule: 'early-x', steps: 5000, guidanceScale: 1e300 },
          batchIndex: 0,
          appVersion: 'test',
        }),
      },
    );
    await useStudio.getState().restoreSettingsFromFile(new File([bad as Uint8Array<ArrayBuffer>], 'bad.png'));
    const notice = useStudio.getState().workspaceNotice ?? '';
    expect(notice).toMatch(/^bad\.png: invalid SVG Studio metadata/);
    expect(notice).toContain('steps: must be an integer in 1..1000, got 5000');
    expect(notice).toContain('guidanceScale: must be a number in 0..20, got 1e+300');
    expect(notice).toContain('guidanceSchedule: "early-x" is not one of');
    expect(useStudio.getState().settings).toEqual(before);
  });

  it('keeps a link notice and a missing-class notice together instead of replacing one (defect 12)', () => {
    useStudio.setState({
      workspaceNotice: 'Some link settings were not applied: schedule: "early-x" is not one of ….',
      pendingLinkSettings: { classId: 999_999 },
    });
    useStudio.getState().adoptManifestDefaults(TINY_MANIFEST);
    const lines = (useStudio.getState().workspaceNotice ?? '').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/schedule: "early-x"/);
    expect(lines[1]).toMatch(/class 999999 does not exist/);
  });

  it('keeps two tabs in step: additions, deletions and clear of entries the other tab added (defect 14)', async () => {
    const tabB = otherTab();
    loadTinySet(tabB);
    await tabB.getState().openGallery(factory);
    try {
      await generate({ seed: 11 });
      const added = useStudio.getState().galleryEntries[0]!;
      await vi.waitFor(() => expect(tabB.getState().galleryEntries.map((e) => e.id)).toEqual([added.id]));

      // Tab B deletes the entry tab A added; tab A follows.
      await tabB.getState().deleteEntry(added.id);
      await vi.waitFor(() => expect(useStudio.getState().galleryEntries).toEqual([]));

      // Tab A adds two more; tab B clears them all, and tab A follows.
      await generate({ seed: 12 });
      await generate({ seed: 13 });
      await vi.waitFor(() => expect(tabB.getState().galleryEntries).toHaveLength(2));
      await tabB.getState().clearGallery();
      await vi.waitFor(() => expect(useStudio.getState().galleryEntries).toEqual([]));
    } finally {
      tabB.getState().closeGallery();
    }
  });

  it('ignores channel messages of the wrong shape', async () => {
    const before = useStudio.getState().galleryEntries;
    const stranger = new BroadcastChannel('svg-studio.gallery');
    stranger.postMessage({ kind: 'something-else' });
    stranger.postMessage(null);
    stranger.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(useStudio.getState().galleryEntries).toBe(before);
  });
});
