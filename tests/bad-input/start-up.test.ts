// Bad input at start-up, table-driven: a link naming a set the studio lacks, damaged remembered URLs,
// and a bundled index that is not one. The studio always ends with a model set loaded or a message
// naming what failed, never a blank page or an exception.
import { beforeEach, expect, vi } from 'vitest';
import type { StudioEngine } from '../../src/engine/api/studio-engine';
import { FakeEngine, TINY_MANIFEST } from '../store/fake-engine';
import { installMemoryStorage } from '../storage/memory-storage';
import { badInputCases } from './suite';

const engine = new FakeEngine();
const loads: string[] = [];
// The fake's own loadModelSet takes no arguments; spy on it through the engine interface.
vi.spyOn(engine as StudioEngine, 'loadModelSet').mockImplementation(async (request) => {
  loads.push(request.source.kind === 'url' ? request.source.url : request.source.kind);
  return {
    manifest: TINY_MANIFEST,
    manifestSha256: 'sha',
    execution: { provider: 'wasm', adapter: 'WebAssembly', reason: 'test' },
  };
});
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
vi.stubGlobal('document', { baseURI: 'http://studio.test/' });
const INDEX = {
  modelSets: [{ id: TINY_MANIFEST.id, manifest: 'models/random-tiny/manifest.json' }],
  default: TINY_MANIFEST.id,
};
const serve = vi.fn(async () => new Response(JSON.stringify(INDEX)));
vi.stubGlobal('fetch', serve);
const storage = installMemoryStorage();
const { useStudio } = await import('../../src/store');
const { takeSetAsideReport } = await import('../../src/storage/preferences');
const initial = useStudio.getState();

beforeEach(() => {
  useStudio.setState(initial, true);
  storage.clear();
  loads.length = 0;
  takeSetAsideReport();
  serve.mockImplementation(async () => new Response(JSON.stringify(INDEX)));
});

interface StartCase {
  readonly name: string;
  readonly arrange: () => void;
  readonly loadStatus: 'ready' | 'error';
  /** Expected in the studio notice (ready) or the load error (error). */
  readonly message: string | RegExp;
  readonly catalogue?: readonly string[];
}

const URLS = 'svg-studio.url-model-sets';
const CASES: readonly StartCase[] = [
  {
    name: 'link names a set that does not exist',
    arrange: () => useStudio.setState({ selectedSetId: 'typo-set' }),
    loadStatus: 'ready',
    message: `The link's model set "typo-set" is not available here; loading ${TINY_MANIFEST.id} instead.`,
  },
  {
    name: 'remembered URLs are an object',
    arrange: () => storage.setItem(URLS, '{"a":1}'),
    loadStatus: 'ready',
    message: /set aside.*svg-studio\.url-model-sets \(must be a list of \[id, url\] pairs, got object\)/,
  },
  {
    name: 'remembered URLs are [null]',
    arrange: () => storage.setItem(URLS, '[null]'),
    loadStatus: 'ready',
    message: /svg-studio\.url-model-sets \(\[0\]: must be \[id, url\]\)/,
  },
  {
    name: 'one remembered URL of two is damaged',
    arrange: () =>
      storage.setItem(URLS, JSON.stringify([['other', 'https://models.test/other/manifest.json'], [3]])),
    loadStatus: 'ready',
    message: /\[1\]\.0: must be text/,
    catalogue: [TINY_MANIFEST.id, 'other'],
  },
  {
    name: 'index.json is an HTML page',
    arrange: () => serve.mockImplementation(async () => new Response('<!doctype html><html></html>')),
    loadStatus: 'error',
    message: 'models/index.json is not JSON (is the server sending an HTML page?)',
  },
  {
    name: 'index.json of the wrong shape',
    arrange: () => serve.mockImplementation(async () => new Response('{"sets":[]}')),
    loadStatus: 'error',
    message: 'models/index.json is not a model-set index (modelSets: missing; default: missing)',
  },
  {
    name: 'offline with a damaged saved index',
    arrange: () => {
      serve.mockImplementation(async () => {
        throw new TypeError('Failed to fetch');
      });
      storage.setItem('svg-studio.bundled-catalogue', '"garbage"');
    },
    loadStatus: 'error',
    message: 'Failed to fetch',
  },
];

badInputCases('unit', 'start-up', CASES, async ({ arrange, loadStatus, message, catalogue }) => {
  arrange();
  await expect(useStudio.getState().loadCatalogue()).resolves.toBeUndefined();
  const state = useStudio.getState();
  expect(state.loadStatus).toBe(loadStatus);
  const shown = loadStatus === 'ready' ? state.workspaceNotice : state.loadError;
  if (typeof message === 'string') expect(shown).toBe(message);
  else expect(shown).toMatch(message);
  if (loadStatus === 'ready') expect(state.manifest?.id).toBe(TINY_MANIFEST.id);
  if (catalogue) expect(state.catalogue.map((e) => e.id)).toEqual(catalogue);
});
