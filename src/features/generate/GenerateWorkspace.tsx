// The generation view: settings on the left; the running job, its results and comparison grids on the right.
import { RecentResults } from '../gallery/RecentResults';
import { ComparisonGrid } from './ComparisonGrid';
import { GeneratePanel } from './GeneratePanel';
import { ResultView } from './ResultView';

export function GenerateWorkspace() {
  return (
    <div className="workspace">
      <GeneratePanel />
      <div className="workspace-main">
        <ResultView />
        <RecentResults />
        <ComparisonGrid />
      </div>
    </div>
  );
}
