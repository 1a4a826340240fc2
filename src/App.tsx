// Studio shell: model-set bar on top, a tab strip of views (see features/workspace-tabs), the active view.
// Each part sits in its own error boundary, so a view that fails to render (say, on data it did not
// expect) shows what failed while the tabs, the model bar and the other views keep working.
import { useEffect, useState } from 'react';
import { ErrorBoundary } from './components/ErrorBoundary';
import { StudioNotice } from './components/StudioNotice';
import { useSettingsDrop } from './features/gallery/useSettingsDrop';
import { useStudioShortcuts } from './features/generate/useStudioShortcuts';
import { ModelBar } from './features/models/ModelBar';
import { findTab, unknownViewNotice, WORKSPACE_TABS } from './features/workspace-tabs';
import { useStudio } from './store';
import { joinNotices } from './store/notices';
import { writeViewToUrl } from './store/url-sync';

export function App() {
  const loadCatalogue = useStudio((s) => s.loadCatalogue);
  const openGallery = useStudio((s) => s.openGallery);
  const closeGallery = useStudio((s) => s.closeGallery);
  const notice = useStudio((s) => s.workspaceNotice);
  const [activeTabId, setActiveTabId] = useState(
    () => findTab(new URLSearchParams(window.location.search).get('view')).id,
  );
  useStudioShortcuts();
  useSettingsDrop();
  useEffect(() => {
    const viewNotice = unknownViewNotice(new URLSearchParams(window.location.search).get('view'));
    if (viewNotice)
      useStudio.setState((s) => ({ workspaceNotice: joinNotices(s.workspaceNotice, viewNotice) }));
  }, []);
  useEffect(() => {
    void loadCatalogue();
    void openGallery();
    return closeGallery;
  }, [loadCatalogue, openGallery, closeGallery]);

  const active = findTab(activeTabId);
  return (
    <div className="app">
      <header className="app-header">
        <h1>SVG Studio</h1>
        <ErrorBoundary label="model bar">
          <ModelBar />
        </ErrorBoundary>
      </header>
      <nav className="tab-strip" role="tablist" aria-label="Studio views">
        {WORKSPACE_TABS.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={tab.id === active.id}
            aria-controls={`view-${tab.id}`}
            onClick={() => {
              setActiveTabId(tab.id);
              writeViewToUrl(tab.id);
            }}
          >
            {tab.label}
          </button>
        ))}
      </nav>
      <ErrorBoundary label="notice line">
        <StudioNotice notice={notice} onDismiss={() => useStudio.setState({ workspaceNotice: null })} />
      </ErrorBoundary>
      <main id={`view-${active.id}`} role="tabpanel" aria-labelledby={`tab-${active.id}`}>
        {/* keyed by view: switching tabs leaves a failed view behind and renders the next one afresh */}
        <ErrorBoundary key={active.id} label={`${active.label} view`}>
          <active.View />
        </ErrorBoundary>
      </main>
    </div>
  );
}

/** The whole studio under a last boundary: even a failing shell shows a message, never a blank page. */
export function StudioRoot() {
  return (
    <ErrorBoundary label="studio">
      <App />
    </ErrorBoundary>
  );
}
