// The "Models" view: the model manager. Sources on one side; on the other what the latest load decided
// (capability check), how it went (download progress, cache) and what the browser stores.
import { LoadReport } from './LoadReport';
import { ModelSources } from './ModelSources';
import { StoragePanel } from './StoragePanel';
import './models.css';

export function ModelsView() {
  return (
    <div className="models-view">
      <ModelSources />
      <div className="models-report">
        <LoadReport />
        <StoragePanel />
      </div>
    </div>
  );
}
