// The generation view: settings on the left, the running job and its results on the right.
import { GeneratePanel } from './GeneratePanel';
import { ResultView } from './ResultView';

export function GenerateWorkspace() {
  return (
    <div className="workspace">
      <GeneratePanel />
      <ResultView />
    </div>
  );
}
