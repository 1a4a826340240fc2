// Studio shell: model-set bar on top, generation controls on the left, results on the right.
import { useEffect } from 'react';
import { GeneratePanel } from './features/generate/GeneratePanel';
import { ResultView } from './features/generate/ResultView';
import { useStudioShortcuts } from './features/generate/useStudioShortcuts';
import { ModelBar } from './features/models/ModelBar';
import { useStudio } from './store';

export function App() {
  const loadCatalogue = useStudio((s) => s.loadCatalogue);
  useStudioShortcuts();
  useEffect(() => {
    void loadCatalogue();
  }, [loadCatalogue]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>SVG Studio</h1>
        <ModelBar />
      </header>
      <main className="workspace">
        <GeneratePanel />
        <ResultView />
      </main>
    </div>
  );
}
