// The generation view: settings on the left; the running job, its results and comparison grids on the right.
import { useStudio } from '../../store';
import { ComparisonGrid } from './ComparisonGrid';
import { GeneratePanel } from './GeneratePanel';
import { ResultView } from './ResultView';

export function GenerateWorkspace() {
  const notice = useStudio((s) => s.workspaceNotice);
  return (
    <div className="workspace">
      <GeneratePanel />
      <div className="workspace-main">
        {notice && (
          <p className="notice" role="status" aria-label="Workspace notice">
            {notice}
          </p>
        )}
        <ResultView />
        <ComparisonGrid />
      </div>
    </div>
  );
}
