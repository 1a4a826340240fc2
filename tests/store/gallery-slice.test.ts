// The gallery slice over the in-memory store (no indexedDB in this environment): a finished run adds one
// entry per batch item, favourite/delete/clear/filter, "Use these settings", and restoring from a PNG.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { encodePng } from '../../src/engine/formats/png';
import { resultTextChunks } from '../../src/engine/formats/result-metadata';
import { FakeEngine, resetToTinySet, TINY_MANIFEST } from './fake-engine';

const engine = new FakeEngine();
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');
const { visibleEntries } = await import('../../src/store/gallery-slice');

const resetStudio = resetToTinySet(useStudio, engine);

beforeEach(async () => {
  resetStudio();
  await useStudio.getState().openGallery();
  await useStudio.getState().clearGallery();
});

const pngFile = async (text: Record<string, string>, name: string) => {
  const bytes = await encodePng({ width: 1, height: 1, data: new Uint8ClampedArray(4) }, text);
  return new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'image/png' });
};

describe('gallery slice', () => {
  it('opens in memory without IndexedDB and says so', () => {
    expect(useStudio.getState().galleryPersistent).toBe(false);
    expect(useStudio.getState().galleryNotice).toMatch(/kept in memory for this session/);
  });

  it('adds one entry per batch item when a generation finishes, with its settings and latent', async () => {
    // The fake's latent is [batch, 2, 2]; fill item b with the value b to check each entry gets its own.
    const fakeGenerate = engine.generate.bind(engine);
    vi.spyOn(engine, 'generate').mockImplementationOnce(async (request, options) => {
      const result = await fakeGenerate(request, options);
      const latentTokens = Float32Array.from({ length: request.batch * 4 }, (_, i) => Math.floor(i / 4));
      return { ...result, latentTokens };
    });
    useStudio.getState().updateSettings({ seed: 7, batch: 3, steps: 2, classId: 1 });
    await useStudio.getState().generate();
    const entries = useStudio.getState().galleryEntries;
    expect(entries).toHaveLength(3);
    expect(entries.map((e) => e.batchIndex).sort()).toEqual([0, 1, 2]);
    for (const entry of entries) {
      expect(entry.modelSetId).toBe(TINY_MANIFEST.id);
      expect(entry.settings).toMatchObject({ seed: 7, steps: 2, classId: 1 });
      expect(entry.latentDims).toEqual([1, 2, 2]);
      expect([...entry.latentTokens]).toEqual([0, 0, 0, 0].fill(entry.batchIndex));
    }
  });

  it('favourites, filters by class and favourites, deletes and clears', async () => {
    useStudio.getState().updateSettings({ batch: 1, steps: 1, classId: 0 });
    await useStudio.getState().generate();
    useStudio.getState().updateSettings({ classId: 2 });
    await useStudio.getState().generate();
    const [classTwo, classZero] = useStudio.getState().galleryEntries;
    expect(classTwo?.settings.classId).toBe(2);

    useStudio.getState().setGalleryFilter({ classId: 0 });
    expect(visibleEntries(useStudio.getState()).map((e) => e.id)).toEqual([classZero?.id]);
    useStudio.getState().setGalleryFilter({ classId: null, favouritesOnly: true });
    expect(visibleEntries(useStudio.getState())).toEqual([]);
    await useStudio.getState().toggleFavourite(classTwo!.id);
    expect(visibleEntries(useStudio.getState()).map((e) => e.id)).toEqual([classTwo?.id]);

    useStudio.getState().selectEntry(classTwo!.id);
    await useStudio.getState().deleteEntry(classTwo!.id);
    expect(useStudio.getState().selectedEntryId).toBeNull();
    expect(useStudio.getState().galleryEntries.map((e) => e.id)).toEqual([classZero?.id]);
    await useStudio.getState().clearGallery();
    expect(useStudio.getState().galleryEntries).toEqual([]);
  });

  it('"Use these settings" restores an entry\'s parameters into the workspace', async () => {
    useStudio.getState().updateSettings({ seed: 42, steps: 3, batch: 1, classId: 2 });
    await useStudio.getState().generate();
    useStudio.getState().updateSettings({ seed: 1, steps: 1, classId: 0 });
    await useStudio.getState().applyEntrySettings(useStudio.getState().galleryEntries[0]!.id);
    expect(useStudio.getState().settings).toMatchObject({ seed: 42, steps: 3, classId: 2 });
    expect(useStudio.getState().workspaceNotice).toMatch(/Settings restored from the gallery/);
  });

  it('restores settings from one of our PNGs and names the problem with any other file', async () => {
    const ours = await pngFile(
      resultTextChunks({
        modelSetId: TINY_MANIFEST.id,
        manifestSha256: '',
        settings: { ...useStudio.getState().settings, seed: 123, steps: 4, classId: 1 },
        batchIndex: 0,
        appVersion: 'test',
      }),
      'ours.png',
    );
    await useStudio.getState().restoreSettingsFromFile(ours);
    expect(useStudio.getState().settings).toMatchObject({ seed: 123, steps: 4, classId: 1 });
    expect(useStudio.getState().workspaceNotice).toBe('Settings restored from ours.png.');

    const before = useStudio.getState().settings;
    await useStudio.getState().restoreSettingsFromFile(await pngFile({}, 'other.png'));
    expect(useStudio.getState().workspaceNotice).toMatch(/other\.png: not an SVG Studio PNG/);
    await useStudio.getState().restoreSettingsFromFile(new File(['hello'], 'notes.txt'));
    expect(useStudio.getState().workspaceNotice).toMatch(/notes\.txt: not a PNG/);
    expect(useStudio.getState().settings).toEqual(before);
  });

  it('refuses a PNG from a model set that is not in the catalogue, leaving settings alone', async () => {
    const before = useStudio.getState().settings;
    const foreign = await pngFile(
      resultTextChunks({
        modelSetId: 'no-such-set',
        manifestSha256: '',
        settings: { ...useStudio.getState().settings, seed: 5 },
        batchIndex: null,
        appVersion: 'test',
      }),
      'foreign.png',
    );
    await useStudio.getState().restoreSettingsFromFile(foreign);
    expect(useStudio.getState().workspaceNotice).toMatch(/"no-such-set", which is not available here/);
    expect(useStudio.getState().settings).toEqual(before);
  });
});
