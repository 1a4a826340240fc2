// Keeps the page URL in step with the workspace, so copying the address shares a reproducible result.
// On start the link's settings are held until a model set is loaded (they override its defaults);
// from then on every settings change rewrites the query with history.replaceState (no new history entries).
import { parseSettingsQuery, writeSettingsQuery } from '../engine/workspace/settings-url';
import type { useStudio } from './index';
import { joinNotices } from './notices';

type StudioStore = typeof useStudio;

/** Reads the link once and keeps the URL updated; returns the unsubscribe function. */
export function startUrlSync(store: StudioStore): () => void {
  const link = parseSettingsQuery(window.location.search);
  store.setState({
    pendingLinkSettings: link.settings,
    ...(link.modelSetId ? { selectedSetId: link.modelSetId } : {}),
    ...(link.rejected.length > 0
      ? {
          workspaceNotice: joinNotices(
            store.getState().workspaceNotice,
            `Some link settings were not applied: ${link.rejected.join('; ')}.`,
          ),
        }
      : {}),
  });
  // A page opened with a link gets its address rewritten once the link is applied: the values that were
  // refused (reported above, or a class or set this studio lacks) must not travel on in a copied link.
  const openedWithLink =
    link.modelSetId !== null || Object.keys(link.settings).length > 0 || link.rejected.length > 0;
  return store.subscribe((state, previous) => {
    const changed = state.settings !== previous.settings || state.selectedSetId !== previous.selectedSetId;
    const linkApplied = previous.pendingLinkSettings !== null && state.pendingLinkSettings === null;
    // Until the link has been applied over the loaded set's defaults, the URL is the source of truth.
    if (!(changed || (linkApplied && openedWithLink))) return;
    if (state.pendingLinkSettings !== null || state.loadStatus !== 'ready') return;
    const search = writeSettingsQuery(window.location.search, state.selectedSetId, state.settings);
    if (search !== window.location.search) window.history.replaceState(null, '', search);
  });
}

/** Records the open view (?view=) so a link opens it. */
export function writeViewToUrl(viewId: string): void {
  const params = new URLSearchParams(window.location.search);
  params.set('view', viewId);
  window.history.replaceState(null, '', `?${params.toString()}`);
}
