// Bad stored state, table-driven: malformed gallery records (read directly and through IndexedDB),
// storage faults (IndexedDB missing, refused, newer, failing; quota), and malformed localStorage values.
// Every case asserts the exact problem reported and that the good data stays intact.
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { beforeEach, expect, vi } from 'vitest';
import { StorageError } from '../../src/engine/errors';
import {
  IndexedDbGalleryStore,
  openGalleryStore,
  readRecord,
  type GalleryEntry,
} from '../../src/storage/gallery-db';
import {
  QUARANTINE_KEY,
  readRememberedUrlSets,
  readSavedBundledIndex,
  readSetAside,
  takeSetAsideReport,
} from '../../src/storage/preferences';
import { goodEntry, putRawRecords } from '../storage/gallery-fixtures';
import { installMemoryStorage } from '../storage/memory-storage';
import { badInputCases } from './suite';
import { SOLVER_NAMES } from '../../src/engine/schedulers/solvers';

const good = () => ({ ...goodEntry('bad'), recordVersion: 1 }) as Record<string, unknown>;
const withSettings = (patch: Record<string, unknown>) => ({
  ...good(),
  settings: { ...goodEntry('x').settings, ...patch },
});

interface RecordCase {
  readonly name: string;
  readonly record: unknown;
  readonly problems: readonly string[];
  /** false where IndexedDB itself refuses the value (no valid key). */
  readonly storable?: boolean;
}

const RECORDS: readonly RecordCase[] = [
  {
    name: 'settings: null',
    record: { ...good(), settings: null },
    problems: ['settings: must be an object of settings'],
  },
  { name: 'settings missing', record: { ...good(), settings: undefined }, problems: ['settings: missing'] },
  {
    name: 'settings is a string',
    record: { ...good(), settings: 'steps=4' },
    problems: ['settings: must be an object of settings'],
  },
  {
    name: 'steps 0',
    record: withSettings({ steps: 0 }),
    problems: ['settings.steps: must be an integer in 1..1000, got 0'],
  },
  {
    name: 'steps 1001',
    record: withSettings({ steps: 1001 }),
    problems: ['settings.steps: must be an integer in 1..1000, got 1001'],
  },
  {
    name: 'sampler "ddim"',
    record: withSettings({ sampler: 'ddim' }),
    problems: [`settings.sampler: must be one of ${SOLVER_NAMES.join(', ')}, got "ddim"`],
  },
  {
    name: 'schedule "early-x"',
    record: withSettings({ guidanceSchedule: 'early-x' }),
    problems: [
      'settings.guidanceSchedule: "early-x" is not one of constant, late, linear, early-<t>, cfg_star-<steps>-<ratio>, none',
    ],
  },
  {
    name: 'class -1',
    record: withSettings({ classId: -1 }),
    problems: ['settings.classId: must be an integer in 0..1000000, got -1'],
  },
  {
    name: 'seed 2^32',
    record: withSettings({ seed: 2 ** 32 }),
    problems: ['settings.seed: must be an integer in 0..4294967295, got 4294967296'],
  },
  {
    name: 'guidance Infinity',
    record: withSettings({ guidanceScale: Infinity }),
    problems: ['settings.guidanceScale: must be a number in 0..20, got Infinity'],
  },
  {
    name: 'guidance 1e300',
    record: withSettings({ guidanceScale: 1e300 }),
    problems: ['settings.guidanceScale: must be a number in 0..20, got 1e+300'],
  },
  {
    name: 'shift NaN',
    record: withSettings({ shift: NaN }),
    problems: ['settings.shift: must be a number in 0..20, got NaN'],
  },
  {
    name: 'batch "2" as text',
    record: withSettings({ batch: '2' }),
    problems: ['settings.batch: must be an integer in 1..16, got "2"'],
  },
  { name: 'image null', record: { ...good(), image: null }, problems: ['image: must be an image'] },
  {
    name: 'image bytes too few',
    record: { ...good(), image: { width: 2, height: 2, data: new Uint8ClampedArray(4) } },
    problems: ['image: holds 4 bytes, not 2x2x4'],
  },
  {
    name: 'image data a plain list',
    record: { ...good(), image: { width: 1, height: 1, data: [1, 2, 3, 4] } },
    problems: ['image.data: must be RGBA bytes (Uint8ClampedArray)'],
  },
  {
    name: 'image 0 pixels wide',
    record: { ...good(), image: { width: 0, height: 1, data: new Uint8ClampedArray(0) } },
    problems: ['image.width: must be at least 1'],
  },
  {
    name: 'latent a plain list',
    record: { ...good(), latentTokens: [0.5, -1] },
    problems: ['latentTokens: must be float32 latent values'],
  },
  {
    name: 'latent dims do not match',
    record: { ...good(), latentDims: [1, 2, 2] },
    problems: ['latentDims must match the number of latent values'],
  },
  {
    name: 'batch index beyond the batch',
    record: { ...good(), batchIndex: 2 },
    problems: ['batchIndex must be below the batch size'],
  },
  {
    name: 'batch index -1',
    record: { ...good(), batchIndex: -1 },
    problems: ['batchIndex: must be 0 or more, got -1'],
  },
  { name: 'createdAt NaN', record: { ...good(), createdAt: NaN }, problems: ['createdAt: must be a time'] },
  {
    name: 'empty model set id',
    record: { ...good(), modelSetId: '' },
    problems: ['modelSetId: must not be empty'],
  },
  {
    name: 'favourite "yes"',
    record: { ...good(), favourite: 'yes' },
    problems: ['favourite: must be true or false'],
  },
  {
    name: 'provider empty',
    record: { ...good(), provider: '' },
    problems: ['provider: must name an execution provider'],
  },
  { name: 'numeric id', record: { ...good(), id: 5 }, problems: ['id: must be text'] },
  {
    name: 'future record version',
    record: { ...good(), recordVersion: 99 },
    problems: ['recordVersion: must be the current record version'],
  },
  {
    name: 'two problems at once',
    record: { ...withSettings({ steps: 0 }), favourite: 'yes' },
    problems: ['settings.steps: must be an integer in 1..1000, got 0', 'favourite: must be true or false'],
  },
  { name: 'record is null', record: null, problems: ['must be an object'], storable: false },
  { name: 'record is a string', record: 'hello', problems: ['must be an object'], storable: false },
  { name: 'record is a list', record: [1, 2], problems: ['must be an object'], storable: false },
];

badInputCases('unit', 'gallery records', RECORDS, ({ record, problems }) => {
  expect(readRecord(record)).toEqual({ ok: false, problems });
});

badInputCases(
  'unit',
  'gallery records through IndexedDB',
  RECORDS.filter((c) => c.storable !== false),
  async ({ record, problems }) => {
    const factory = new IDBFactory();
    const store = await IndexedDbGalleryStore.open(factory);
    await store.put(goodEntry('kept'));
    await putRawRecords(factory, [record]);
    const listing = await store.list();
    expect(listing.entries.map((e) => e.id)).toEqual(['kept']);
    expect(listing.newlyQuarantined.map((q) => q.problems)).toEqual([problems]);
    // The bad record is kept aside as it was; the good entry is untouched on the next read.
    const again = await store.list();
    expect(again.newlyQuarantined).toEqual([]);
    expect(again.entries[0]).toEqual(goodEntry('kept'));
    expect((await store.listQuarantine()).map((q) => q.record)).toEqual([record]);
  },
);

interface FaultCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

const brokenFactory = (error: unknown) =>
  ({
    open: () => {
      throw error;
    },
  }) as unknown as IDBFactory;

const FAULTS: readonly FaultCase[] = [
  {
    name: 'no IndexedDB at all',
    run: async () => {
      const opened = await openGalleryStore(undefined);
      expect(opened.store.persistent).toBe(false);
      expect(opened.fallbackReason).toBe('this browser offers no IndexedDB');
    },
  },
  {
    name: 'IndexedDB refused (private window)',
    run: async () => {
      const opened = await openGalleryStore(
        brokenFactory(new DOMException('The user denied permission', 'SecurityError')),
      );
      expect(opened.fallbackReason).toBe(
        'IndexedDB did not open (SecurityError: The user denied permission)',
      );
    },
  },
  {
    name: 'a newer build upgraded the database',
    run: async () => {
      const factory = new IDBFactory();
      const request = factory.open('svg-studio', 99);
      await new Promise((resolve) => (request.onsuccess = () => resolve(request.result.close())));
      const opened = await openGalleryStore(factory);
      expect(opened.store.persistent).toBe(false);
      expect(opened.fallbackReason).toMatch(/^IndexedDB did not open \(VersionError: /);
    },
  },
  {
    name: 'reading fails',
    run: async () => {
      const store = await IndexedDbGalleryStore.open(new IDBFactory());
      const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(() => {
        throw new DOMException('disk I/O error', 'UnknownError');
      });
      try {
        await expect(store.list()).rejects.toThrow(
          new StorageError('IndexedDB failed while reading the gallery: UnknownError: disk I/O error'),
        );
      } finally {
        getAll.mockRestore();
      }
    },
  },
  {
    name: 'quota full on save',
    run: async () => {
      const store = await IndexedDbGalleryStore.open(new IDBFactory());
      await store.put(goodEntry('kept'));
      const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
        throw new DOMException('quota', 'QuotaExceededError');
      });
      try {
        await expect(store.put(goodEntry('new'))).rejects.toThrow(
          "the browser's storage quota is full: saving a result was not saved (it is kept for this session)",
        );
      } finally {
        put.mockRestore();
      }
      expect((await store.list()).entries.map((e) => e.id)).toEqual(['kept']);
    },
  },
  {
    name: 'a value IndexedDB cannot clone',
    run: async () => {
      const store = await IndexedDbGalleryStore.open(new IDBFactory());
      const hostile = {
        ...goodEntry('q'),
        image: { width: 1, height: 1, data: () => 0 },
      } as unknown as GalleryEntry;
      await expect(store.put(hostile)).rejects.toBeInstanceOf(StorageError);
      expect((await store.list()).entries).toEqual([]);
    },
  },
];

badInputCases('unit', 'gallery storage faults', FAULTS, ({ run }) => run());

const storage = installMemoryStorage();
beforeEach(() => {
  storage.clear();
  takeSetAsideReport();
});

interface StoredValueCase {
  readonly name: string;
  readonly key: string;
  readonly text: string;
  readonly problems: readonly string[];
}

const URLS = 'svg-studio.url-model-sets';
const INDEX = 'svg-studio.bundled-catalogue';
const STORED: readonly StoredValueCase[] = [
  {
    name: 'URL list is an object',
    key: URLS,
    text: '{"a":1}',
    problems: ['must be a list of [id, url] pairs, got object'],
  },
  {
    name: 'URL list is a string',
    key: URLS,
    text: '"https://x.org"',
    problems: ['must be a list of [id, url] pairs, got string'],
  },
  {
    name: 'URL list is null',
    key: URLS,
    text: 'null',
    problems: ['must be a list of [id, url] pairs, got object'],
  },
  { name: 'URL list is [null]', key: URLS, text: '[null]', problems: ['[0]: must be [id, url]'] },
  {
    name: 'URL pair of numbers',
    key: URLS,
    text: '[[1,2]]',
    problems: ['[0].0: must be text', '[0].1: must be text'],
  },
  { name: 'URL pair without URL', key: URLS, text: '[["a"]]', problems: ['[0].1: must be text'] },
  { name: 'URL that is not one', key: URLS, text: '[["a","not a url"]]', problems: ['[0].1: must be a URL'] },
  {
    name: 'URL pair with empty id',
    key: URLS,
    text: '[["","https://x.org/m.json"]]',
    problems: ['[0].0: must not be empty'],
  },
  { name: 'URL list not JSON', key: URLS, text: 'nope', problems: ['not valid JSON'] },
  {
    name: 'index with modelSets null',
    key: INDEX,
    text: '{"modelSets":null,"default":"x"}',
    problems: ['modelSets: must be a list of sets'],
  },
  {
    name: 'index default not listed',
    key: INDEX,
    text: '{"modelSets":[],"default":"x"}',
    problems: ['default must name a listed set'],
  },
  {
    name: 'index set without manifest',
    key: INDEX,
    text: '{"modelSets":[{"id":"a"}],"default":"a"}',
    problems: ['modelSets.0.manifest: missing'],
  },
  { name: 'index not JSON', key: INDEX, text: '{{', problems: ['not valid JSON'] },
];

badInputCases('unit', 'stored preferences', STORED, ({ key, text, problems }) => {
  storage.setItem(key, text);
  const read = () => (key === URLS ? readRememberedUrlSets() : readSavedBundledIndex());
  expect(read).not.toThrow();
  expect([[], null]).toContainEqual(read());
  expect(readSetAside()).toEqual([{ key, text, problems, at: expect.any(Number) }]);
  expect(takeSetAsideReport()).toContain(`kept under "${QUARANTINE_KEY}"`);
  read();
  expect(takeSetAsideReport()).toBeNull();
  expect(readSetAside()).toHaveLength(1);
});
