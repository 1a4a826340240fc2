// Studio shell: model-set bar on top, a tab strip of views (see features/workspace-tabs), the active view.
import { useEffect, useState } from 'react';
import { StudioNotice } from './components/StudioNotice';
import { useSettingsDrop } from './features/gallery/useSettingsDrop';
import { useStudioShortcuts } from './features/generate/useStudioShortcuts';
import { ModelBar } from './features/models/ModelBar';
import { findTab, WORKSPACE_TABS } from './features/workspace-tabs';
import { useStudio } from './store';
import { writeViewToUrl } from './store/url-sync';

export function App() {
  const loadCatalogue = useStudio((s) => s.loadCatalogue);
  const openGallery = useStudio((s) => s.openGallery);
  const [activeTabId, setActiveTabId] = useState(
    () => findTab(new URLSearchParams(window.location.search).get('view')).id,
  );
  useStudioShortcuts();
  useSettingsDrop();
  useEffect(() => {
    void loadCatalogue();
    void openGallery();
  }, [loadCatalogue, openGallery]);

  const active = findTab(activeTabId);
  return (
    <div className="app">
      <header className="app-header">
        <h1>SVG Studio</h1>
        <ModelBar />
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
      <StudioNotice />
      <main id={`view-${active.id}`} role="tabpanel" aria-labelledby={`tab-${active.id}`}>
        <active.View />
      </main>
    </div>
  );
}
