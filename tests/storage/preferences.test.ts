// Stored preferences read back through their schemas: wrong shapes are set aside (kept under the
// quarantine key) and reported once, never thrown into start-up (defect 2).
import { beforeEach, describe, expect, it } from 'vitest';
import {
  QUARANTINE_KEY,
  readProviderPreference,
  readRememberedUrlSets,
  readSavedBundledIndex,
  readSetAside,
  rememberProviderPreference,
  rememberUrlSets,
  saveBundledIndex,
  takeSetAsideReport,
} from '../../src/storage/preferences';
import { PROVIDER_PREFERENCES } from '../../src/engine/providers';
import { installMemoryStorage } from './memory-storage';

const URL_SETS_KEY = 'svg-studio.url-model-sets';
const PROVIDER_KEY = 'svg-studio.provider';
const storage = installMemoryStorage();

beforeEach(() => {
  storage.clear();
  takeSetAsideReport();
});

describe('remembered model-set URLs', () => {
  it('round-trips the list', () => {
    rememberUrlSets([{ id: 'a', url: 'https://example.org/a/manifest.json' }]);
    expect(readRememberedUrlSets()).toEqual([{ id: 'a', url: 'https://example.org/a/manifest.json' }]);
    expect(takeSetAsideReport()).toBeNull();
  });

  it.each([
    ['an object', '{"a":1}', /must be a list of \[id, url\] pairs, got object/],
    ['a string', '"https://example.org"', /got string/],
    ['[null]', '[null]', /\[0\]: must be \[id, url\]/],
    ['text that is not JSON', 'not json', /not valid JSON/],
  ])('sets %s aside and starts with no remembered sets', (_label, stored, reason) => {
    storage.setItem(URL_SETS_KEY, stored);
    expect(() => readRememberedUrlSets()).not.toThrow();
    expect(readRememberedUrlSets()).toEqual([]);
    const [aside] = readSetAside();
    expect(aside).toMatchObject({ key: URL_SETS_KEY, text: stored });
    expect(aside?.problems.join('; ')).toMatch(reason);
    const report = takeSetAsideReport();
    expect(report).toMatch(/set aside/);
    expect(report).toContain(QUARANTINE_KEY);
    // Once: the next read finds the key cleared and reports nothing.
    readRememberedUrlSets();
    expect(takeSetAsideReport()).toBeNull();
  });

  it('keeps the usable pairs of a partly damaged list and rewrites it', () => {
    storage.setItem(
      URL_SETS_KEY,
      JSON.stringify([
        ['a', 'https://example.org/a'],
        [1, 2],
        ['b', 'not a url'],
      ]),
    );
    expect(readRememberedUrlSets()).toEqual([{ id: 'a', url: 'https://example.org/a' }]);
    expect(JSON.parse(storage.getItem(URL_SETS_KEY)!)).toEqual([['a', 'https://example.org/a']]);
    expect(readSetAside()[0]?.problems).toHaveLength(3);
  });
});

describe('saved bundled index', () => {
  it('round-trips a valid index and sets a damaged one aside', () => {
    saveBundledIndex({
      modelSets: [{ id: 'svg-mini', manifest: 'models/svg-mini/manifest.json' }],
      default: 'svg-mini',
    });
    expect(readSavedBundledIndex()?.default).toBe('svg-mini');
    storage.setItem('svg-studio.bundled-catalogue', '{"modelSets":null,"default":"x"}');
    expect(readSavedBundledIndex()).toBeNull();
    expect(readSetAside()[0]?.key).toBe('svg-studio.bundled-catalogue');
  });

  it('reads nothing, without throwing, where localStorage itself refuses', () => {
    const original = globalThis.localStorage;
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    try {
      expect(readRememberedUrlSets()).toEqual([]);
      expect(() => rememberUrlSets([])).not.toThrow();
    } finally {
      Object.defineProperty(globalThis, 'localStorage', { configurable: true, value: original });
    }
  });
});

describe('execution-provider choice', () => {
  it('round-trips every preference the top bar offers', () => {
    expect(readProviderPreference()).toBeNull();
    for (const provider of PROVIDER_PREFERENCES) {
      rememberProviderPreference(provider);
      expect(readProviderPreference()).toBe(provider);
    }
    expect(takeSetAsideReport()).toBeNull();
  });

  it.each([
    ['a provider this build lacks', '"webnn"', /provider must be auto, webgpu or wasm/],
    ['a number', '3', /provider must be/],
    ['text that is not JSON', 'webgpu', /not valid JSON/],
  ])('sets %s aside and reads no choice (Automatic)', (_label, stored, reason) => {
    storage.setItem(PROVIDER_KEY, stored);
    expect(readProviderPreference()).toBeNull();
    expect(readSetAside()[0]).toMatchObject({ key: PROVIDER_KEY, text: stored });
    expect(readSetAside()[0]?.problems.join('; ')).toMatch(reason);
    expect(takeSetAsideReport()).toContain(PROVIDER_KEY);
    expect(storage.getItem(PROVIDER_KEY)).toBeNull();
  });
});
