// Model-set picker, execution-provider selector, the always-visible "what ran" badge (with the
// load's overall progress; the Models view has the details) and which networks have open sessions
// (they open per task and may be closed to stay within the memory budget), with the download of one a
// task is opening after the load as a percentage on its chip.
import { useEffect, useMemo } from 'react';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { formatBytes } from '../../engine/download-progress';
import { NETWORK_LABEL, type NetworkRole } from '../../engine/model-set';
import type { ResidencyReport } from '../../engine/api/studio-engine';
import { PROVIDER_PREFERENCES, preferenceLabel, type ProviderPreference } from '../../engine/providers';
import { useStudio } from '../../store';
import { onEngineCallSettled, onNetworkOpening } from '../../store/engine-instance';
import type { NetworkOpening } from '../../store/model-slice';
import { openingLine, openingPercent } from './network-opening';

/** The provider picker's options: every preference, labelled from the provider table. */
const PROVIDER_CHOICES = Object.fromEntries(
  PROVIDER_PREFERENCES.map((preference) => [preference, preferenceLabel(preference)]),
) as Record<ProviderPreference, string>;

/** What a network's chip says after its name: nothing when open or closed, the share in while opening. */
function chipState(resident: boolean, opening: NetworkOpening | undefined): string {
  if (opening) return opening.stage === 'session' ? ' opening' : ` ${openingPercent(opening)} %`;
  return resident ? ' open' : ' closed';
}

/** One chip per network: filled when its session is open, with its download while a task opens it. */
export function Residency({
  report,
  opening = {},
}: {
  readonly report: ResidencyReport;
  readonly opening?: Partial<Readonly<Record<NetworkRole, NetworkOpening>>>;
}) {
  const open = report.networks.filter((n) => n.resident);
  const budget = report.budgetBytes === undefined ? '' : ` of a ${formatBytes(report.budgetBytes)} budget`;
  return (
    <div
      className="residency"
      role="status"
      aria-label="Open sessions"
      title={`${open.length} of ${report.networks.length} sessions open, about ${formatBytes(report.residentBytes)}${budget}; the others open when a task needs them`}
    >
      <span className="muted">Sessions</span>
      {report.networks.map((n) => {
        const opens = opening[n.role];
        const state = chipState(n.resident, opens);
        return (
          <span
            key={n.role}
            className="residency-chip"
            data-network={n.role}
            data-resident={n.resident}
            data-opening={opens?.stage ?? false}
            data-fallback={n.fallback !== undefined}
            title={`${opens ? `${openingLine(n.role, opens)} ` : ''}${n.file} (${n.precision}), about ${formatBytes(n.sessionBytes)} when open${n.fallback ? `. ${n.fallback}` : ''}`}
          >
            {NETWORK_LABEL[n.role]}
            {/* open and closed show as the chip's fill; an opening network's share is shown to everyone */}
            {opens ? state : <span className="visually-hidden">{state}</span>}
          </span>
        );
      })}
    </div>
  );
}

/**
 * The plan's notice that an explicit provider choice cannot run here and another one runs instead (e.g.
 * WebGPU remembered from another browser); nothing when the choice runs.
 */
export function ProviderNotice({ notice }: { readonly notice: string | undefined }) {
  if (!notice) return null;
  return (
    <p className="warning" role="note" aria-label="Execution provider notice">
      {notice}
    </p>
  );
}

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
  const residency = useStudio((s) => s.residency);
  const openingNetworks = useStudio((s) => s.openingNetworks);
  // An explicit choice (perhaps remembered from another browser) that cannot run here: the plan fell
  // back and says so; the stored choice is left as it is.
  const providerNotice = useStudio((s) => s.loadPlan?.providerNotice);
  const refreshResidency = useStudio((s) => s.refreshResidency);
  const engineCallSettled = useStudio((s) => s.engineCallSettled);
  const networkOpeningProgress = useStudio((s) => s.networkOpeningProgress);
  // The set picker's options: each catalogued set by its id, in catalogue order.
  const setChoices = useMemo(() => catalogue.map((entry) => [entry.id, entry.id] as const), [catalogue]);

  // Sessions open and close only inside engine calls: ask again after each one.
  useEffect(
    () =>
      onEngineCallSettled(({ method, id }) => {
        engineCallSettled(id);
        if (method !== 'networkResidency') void refreshResidency();
      }),
    [refreshResidency, engineCallSettled],
  );
  // A task opening a network after the load: its download shows on the chips and the task's status.
  useEffect(
    () => onNetworkOpening((event, call) => networkOpeningProgress(event, call.id)),
    [networkOpeningProgress],
  );

  return (
    <div className="model-bar">
      <label>
        Model set
        <ChoiceSelect
          choices={setChoices}
          value={selectedSetId ?? ''}
          onChange={(id) => void selectModelSet(id)}
        />
      </label>
      <label>
        Execution provider
        <ChoiceSelect
          choices={PROVIDER_CHOICES}
          value={provider}
          onChange={(preference) => void setProvider(preference)}
        />
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
      {loadStatus !== 'error' && <ProviderNotice notice={providerNotice} />}
      {loadStatus === 'ready' && residency && <Residency report={residency} opening={openingNetworks} />}
      {manifest?.randomWeights && (
        <p className="warning" role="note">
          {manifest.name}: this model set has random weights and produces noise. It exists to exercise the
          pipeline.
        </p>
      )}
    </div>
  );
}
