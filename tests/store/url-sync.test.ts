// The page URL and the workspace: a link's refused values are reported, not applied, and then dropped
// from the address too (a copied link must reproduce what is shown); a start without a link keeps its URL.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeEngine, TINY_MANIFEST } from './fake-engine';

const engine = new FakeEngine();
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');
const { startUrlSync } = await import('../../src/store/url-sync');
const initial = useStudio.getState();

/** A window whose address replaceState rewrites, as a browser's does. */
function openPage(search: string) {
  const location = { search };
  const replaceState = vi.fn((_data: unknown, _unused: string, url: string) => {
    location.search = url;
  });
  vi.stubGlobal('window', { location, history: { replaceState } });
  useStudio.setState(initial, true);
  const stop = startUrlSync(useStudio);
  return { location, replaceState, stop };
}

/** What the model slice does when the set finishes loading (runLoad). */
function finishLoad() {
  useStudio.setState({ manifest: TINY_MANIFEST, selectedSetId: TINY_MANIFEST.id, loadStatus: 'ready' });
  useStudio.getState().adoptManifestDefaults(TINY_MANIFEST);
}

afterEach(() => vi.unstubAllGlobals());

describe('url sync', () => {
  it('rewrites a link with refused values to the settings applied, after saying which were refused', () => {
    const page = openPage(`?view=generate&set=${TINY_MANIFEST.id}&class=999&steps=abc&seed=9`);
    expect(useStudio.getState().workspaceNotice).toMatch(/steps: "abc" is not a number/);
    expect(page.replaceState).not.toHaveBeenCalled(); // the set is not loaded yet
    finishLoad();
    const params = new URLSearchParams(page.location.search);
    const { settings } = useStudio.getState();
    expect(params.get('class')).toBe(String(settings.classId));
    expect(params.get('class')).not.toBe('999');
    expect(params.get('steps')).toBe(String(TINY_MANIFEST.sampler.steps));
    expect(params.get('seed')).toBe('9');
    expect(params.get('view')).toBe('generate');
    expect(useStudio.getState().workspaceNotice).toMatch(/steps: "abc"/);
    page.stop();
  });

  it('replaces a link’s unknown set with the one loaded', () => {
    const page = openPage('?set=typo&seed=4');
    finishLoad();
    expect(new URLSearchParams(page.location.search).get('set')).toBe(TINY_MANIFEST.id);
    page.stop();
  });

  it('leaves a plain start’s address alone until a setting changes', () => {
    const page = openPage('?view=models');
    finishLoad();
    expect(page.replaceState).not.toHaveBeenCalled();
    useStudio.getState().updateSettings({ seed: 5 });
    expect(new URLSearchParams(page.location.search).get('seed')).toBe('5');
    page.stop();
  });
});
