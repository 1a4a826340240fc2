// The storage panel: browser storage used against the quota, the model sets in the cache with their
// sizes, and a button per set to delete it (files shared with another cached set stay); the bytes kept
// by downloads that stopped part-way, with a button to drop them.
import { useEffect, useState } from 'react';
import { formatBytes } from '../../engine/download-progress';
import { useStudio } from '../../store';
import { openModelCacheForViews as openModelCache, type CachedSetRecord } from '../../store/model-storage';
import { describeError } from '../../engine/api/describe-error';

/** A note under the table; a delete's note names its set and holds only while that set stays out of the cache. */
interface StorageMessage {
  readonly text: string;
  readonly deletedSource?: string;
}

interface CachedSetRow {
  readonly record: CachedSetRecord;
  /** bytes of its files in the cache now */
  readonly storedBytes: number;
}

interface StorageState {
  readonly estimate: StorageEstimate | null;
  readonly sets: readonly CachedSetRow[];
  /** bytes kept by downloads that stopped part-way (the next load resumes them) */
  readonly unfinishedBytes: number;
  readonly available: boolean;
}

async function readStorage(): Promise<StorageState> {
  const cache = await openModelCache();
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : null;
  const records = cache ? await cache.listSets() : [];
  const sets = await Promise.all(
    records.map(async (record) => ({ record, storedBytes: (await cache?.storedBytes(record)) ?? 0 })),
  );
  return {
    estimate,
    sets,
    unfinishedBytes: (await cache?.unfinishedBytes()) ?? 0,
    available: cache !== null,
  };
}

export function StoragePanel() {
  const loadStatus = useStudio((s) => s.loadStatus);
  const [state, setState] = useState<StorageState | null>(null);
  const [message, setMessage] = useState<StorageMessage | null>(null);

  /** Bumped after a delete, to re-read the storage. */
  const [version, setVersion] = useState(0);

  // Loads add sets to the cache: re-read whenever one settles, and after a delete.
  useEffect(() => {
    if (loadStatus === 'loading') return;
    let current = true;
    readStorage().then(
      (next) => current && setState(next),
      (error: unknown) =>
        current &&
        setMessage({
          text: `Could not read the browser storage: ${describeError(error)}`,
        }),
    );
    return () => {
      current = false;
    };
  }, [loadStatus, version]);

  const remove = async (record: CachedSetRecord) => {
    try {
      await (await openModelCache())?.deleteSet(record.source);
      setMessage({
        text: `Deleted the cached files of ${record.id}; it downloads again next time it loads.`,
        deletedSource: record.source,
      });
    } catch (error) {
      setMessage({
        text: `Could not delete ${record.id}: ${describeError(error)}`,
      });
    }
    setVersion((v) => v + 1);
  };

  const removeUnfinished = async () => {
    try {
      await (await openModelCache())?.deleteUnfinished();
      setMessage({
        text: 'Deleted the bytes of unfinished downloads; they start from the beginning next time.',
      });
    } catch (error) {
      setMessage({
        text: `Could not delete the unfinished downloads: ${describeError(error)}`,
      });
    }
    setVersion((v) => v + 1);
  };

  const usage = state?.estimate?.usage;
  const quota = state?.estimate?.quota;
  const recachedSinceDelete =
    state?.sets.some(({ record }) => record.source === message?.deletedSource) ?? false;
  return (
    <section aria-labelledby="storage-title">
      <h2 id="storage-title">Storage</h2>
      <p role="status" aria-label="Storage usage">
        {usage !== undefined && quota !== undefined
          ? `${formatBytes(usage)} used of ${formatBytes(quota)} (${((usage / quota) * 100).toFixed(1)} %)`
          : 'This browser does not report storage usage.'}
      </p>
      {state && !state.available && (
        <p className="warning">
          Cache Storage is unavailable here (it needs a secure context): sets are not cached.
        </p>
      )}
      <table aria-label="Cached model sets">
        <thead>
          <tr>
            <th scope="col">Set</th>
            <th scope="col">Source</th>
            <th scope="col">Size</th>
            <th scope="col">Cached</th>
            <th scope="col" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {state?.sets.map(({ record, storedBytes }) => (
            <tr key={record.source}>
              <td>{record.id}</td>
              <td className="muted">{record.source}</td>
              <td>{formatBytes(storedBytes)}</td>
              <td>{new Date(record.cachedAt).toLocaleString()}</td>
              <td>
                <button
                  type="button"
                  aria-label={`Delete cached set ${record.id}`}
                  onClick={() => void remove(record)}
                >
                  Delete cached set
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {state?.sets.length === 0 && <p className="muted">No model set is cached.</p>}
      {state && state.unfinishedBytes > 0 && (
        <p aria-label="Unfinished downloads">
          Unfinished downloads keep {formatBytes(state.unfinishedBytes)}; loading their set again resumes
          them.{' '}
          <button type="button" onClick={() => void removeUnfinished()}>
            Delete unfinished downloads
          </button>
        </p>
      )}
      {message && !recachedSinceDelete && <p role="note">{message.text}</p>}
    </section>
  );
}
