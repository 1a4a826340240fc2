// Model-set picker, execution-provider selector and the always-visible "what ran" badge (with the
// load's overall progress; the Models view has the details).
import { formatBytes } from '../../engine/download-progress';
import type { ProviderPreference } from '../../engine/studio-engine';
import { useStudio } from '../../store';

const PROVIDERS: ReadonlyArray<{ value: ProviderPreference; label: string }> = [
  { value: 'auto', label: 'Automatic' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'WASM' },
];

export function ModelBar() {
  const catalogue = useStudio((s) => s.catalogue);
  const selectedSetId = useStudio((s) => s.selectedSetId);
  const selectModelSet = useStudio((s) => s.selectModelSet);
  const provider = useStudio((s) => s.provider);
  const setProvider = useStudio((s) => s.setProvider);
  const manifest = useStudio((s) => s.manifest);
  const execution = useStudio((s) => s.execution);
  const loadStatus = useStudio((s) => s.loadStatus);
  const loadProgress = useStudio((s) => s.loadProgress);
  const loadError = useStudio((s) => s.loadError);
  const loadTotal = useStudio((s) => s.loadTotal);

  return (
    <div className="model-bar">
      <label>
        Model set
        <select value={selectedSetId ?? ''} onChange={(e) => void selectModelSet(e.target.value)}>
          {catalogue.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        Execution provider
        <select value={provider} onChange={(e) => void setProvider(e.target.value as ProviderPreference)}>
          {PROVIDERS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <div
        className="execution"
        role="status"
        aria-label="Execution status"
        data-load-state={loadStatus}
        data-provider={execution?.provider ?? ''}
      >
        {loadStatus === 'loading' && (
          <span>
            Loading {loadProgress ? `${loadProgress.file} (${loadProgress.stage})` : '…'}
            {loadTotal && loadTotal.totalBytes > 0
              ? ` · ${Math.floor((100 * loadTotal.loadedBytes) / loadTotal.totalBytes)} % of ${formatBytes(loadTotal.totalBytes)}`
              : ''}
          </span>
        )}
        {loadStatus === 'ready' && execution && (
          <span title={execution.reason}>
            Running on <strong>{execution.provider.toUpperCase()}</strong> · {execution.adapter}
          </span>
        )}
        {loadStatus === 'error' && <span className="error">Model set failed to load: {loadError}</span>}
      </div>
      {manifest?.randomWeights && (
        <p className="warning" role="note">
          {manifest.name}: this model set has random weights and produces noise. It exists to exercise the
          pipeline.
        </p>
      )}
    </div>
  );
}
