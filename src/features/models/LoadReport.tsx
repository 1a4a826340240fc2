// What the latest load decided and did: the capability check (adapter facts, provider, the variant of
// each network with the exporter's check figures, memory estimate), byte progress per file and for the
// whole set with speed and ETA, and what happened in the browser cache.
import { formatBytes, formatSpeed, transferStats, type ByteSample } from '../../engine/download-progress';
import { CHECK_FIGURES, NETWORK_LABEL } from '../../engine/model-set';
import type { PlannedNetwork } from '../../engine/api/studio-engine';
import { formatDuration } from '../../engine/workspace/progress-eta';
import { useStudio } from '../../store';
import type { FileProgress } from '../../store/model-slice';

const STAGE_LABEL = {
  plan: 'planned',
  download: 'downloading',
  cache: 'from cache',
  verify: 'verifying',
  session: 'opening',
  open: 'loaded',
} as const;

/** Speed and ETA; once the load has ended (`live` false) an unfinished transfer shows neither. */
function Rate({ samples, total, live }: { samples: readonly ByteSample[]; total: number; live: boolean }) {
  const stats = transferStats(samples, total);
  const { bytesPerSecond, etaSeconds } =
    live || stats.etaSeconds === 0 ? stats : { bytesPerSecond: null, etaSeconds: null };
  return (
    <>
      <td>{bytesPerSecond === null ? '–' : formatSpeed(bytesPerSecond)}</td>
      <td>{etaSeconds === null ? '–' : etaSeconds === 0 ? 'done' : formatDuration(etaSeconds * 1000)}</td>
    </>
  );
}

/** The chosen variant of each network, with what the exporter measured against PyTorch float32. */
function VariantTable({ networks }: { networks: readonly PlannedNetwork[] }) {
  return (
    <table className="download-table" aria-label="Chosen variants">
      <thead>
        <tr>
          <th scope="col">Network</th>
          <th scope="col">Variant</th>
          <th scope="col">File</th>
          <th scope="col">Download</th>
          <th scope="col">Session (est.)</th>
          {CHECK_FIGURES.map((figure) => (
            <th scope="col" key={figure.key}>
              {figure.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {networks.map((n) => (
          <tr key={n.role} data-network={n.role} data-precision={n.precision}>
            <th scope="row">{NETWORK_LABEL[n.role]}</th>
            <td>{n.precision}</td>
            <td>{n.file}</td>
            <td>{formatBytes(n.downloadBytes)}</td>
            <td>{formatBytes(n.sessionBytes)}</td>
            {CHECK_FIGURES.map(({ key, format }) => {
              const value = n.check?.[key];
              return (
                <td key={key} className={value === undefined ? 'muted' : undefined}>
                  {value === undefined ? '–' : format(value)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where a row's bytes came from, and whether a view's first use read them (after the load). */
function sourceLabel(row: FileProgress): string {
  const source = row.fromCache ? 'cache' : 'source';
  if (!row.openedAfterLoad) return source;
  return row.sourceUnknown ? 'on first use' : `${source}, on first use`;
}

export function LoadReport() {
  const plan = useStudio((s) => s.loadPlan);
  const files = useStudio((s) => s.loadFiles);
  const total = useStudio((s) => s.loadTotal);
  const cacheReport = useStudio((s) => s.cacheReport);
  const loadStatus = useStudio((s) => s.loadStatus);
  const loadError = useStudio((s) => s.loadError);
  const sourceError = useStudio((s) => s.sourceError);
  const openingNetworks = useStudio((s) => s.openingNetworks);
  const error = sourceError ?? (loadStatus === 'error' ? loadError : null);
  const loading = loadStatus === 'loading';
  // Files a task is reading now for a network it opens after the load: their rows move, live.
  const opening = new Set(Object.values(openingNetworks).flatMap((network) => Object.keys(network.files)));
  const live = (file: string) => loading || opening.has(file);

  return (
    <>
      {error && (
        <p className="error" role="alert" aria-label="Model load error">
          Could not load the model set: {error}
        </p>
      )}
      <section aria-labelledby="capability-title">
        <h2 id="capability-title">Capability check</h2>
        {plan ? (
          <div role="region" aria-label="Capability report">
            <p>{plan.adapter}</p>
            <ul>
              {plan.explanation.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {plan.networks && <VariantTable networks={plan.networks} />}
          </div>
        ) : (
          <p className="muted">Runs when a model set starts loading, before any file is read.</p>
        )}
      </section>
      <section aria-labelledby="download-title">
        <h2 id="download-title">Download</h2>
        <table className="download-table" aria-label="Download progress">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">State</th>
              <th scope="col">Source</th>
              <th scope="col">Bytes</th>
              <th scope="col">Speed</th>
              <th scope="col">ETA</th>
            </tr>
          </thead>
          <tbody>
            {files.map((row) => (
              <tr key={row.file} data-stage={row.stage} data-from-cache={row.fromCache}>
                <td>{row.file}</td>
                <td>
                  {live(row.file) || row.loadedBytes >= row.totalBytes ? STAGE_LABEL[row.stage] : 'stopped'}
                </td>
                <td>{sourceLabel(row)}</td>
                <td>
                  <progress
                    value={row.loadedBytes}
                    max={row.totalBytes || 1}
                    aria-label={`${row.file} bytes`}
                  />{' '}
                  {formatBytes(row.loadedBytes)} / {formatBytes(row.totalBytes)}
                </td>
                <Rate samples={row.samples} total={row.totalBytes} live={live(row.file)} />
              </tr>
            ))}
          </tbody>
          {total && (
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td>{loadStatus === 'loading' ? 'loading' : loadStatus}</td>
                <td />
                <td>
                  <progress value={total.loadedBytes} max={total.totalBytes || 1} aria-label="Total bytes" />{' '}
                  {formatBytes(total.loadedBytes)} / {formatBytes(total.totalBytes)}
                </td>
                <Rate samples={total.samples} total={total.totalBytes} live={loading || opening.size > 0} />
              </tr>
            </tfoot>
          )}
        </table>
        {cacheReport && (
          <p role="status" aria-label="Cache status" data-cache-status={cacheReport.status}>
            Cache: {cacheReport.status}
            {cacheReport.note ? ` — ${cacheReport.note}` : ''}
          </p>
        )}
      </section>
    </>
  );
}
