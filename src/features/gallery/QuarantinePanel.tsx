// Stored gallery records that failed their check (wrong shape, damaged, from a future version) are set
// aside instead of breaking the studio; this panel says how many and what was wrong, and lets the user
// keep them (Export as JSON) or delete them. Nothing is deleted without the user asking.
import { downloadBytes } from '../../components/download-file';
import { useStudio } from '../../store';

export function QuarantinePanel() {
  const records = useStudio((s) => s.galleryQuarantine);
  const exportQuarantine = useStudio((s) => s.exportQuarantine);
  const deleteQuarantined = useStudio((s) => s.deleteQuarantined);
  if (records.length === 0) return null;
  const count = records.length === 1 ? '1 stored record' : `${records.length} stored records`;
  return (
    <section className="panel quarantine-panel" aria-label="Set-aside records">
      <h2>Set aside</h2>
      <p className="hint">
        {count} could not be read as gallery results and {records.length === 1 ? 'was' : 'were'} set aside
        (the rest of the gallery is unaffected).
      </p>
      <ul>
        {records.map((record) => (
          <li key={record.id}>
            <code>{record.id}</code>: {record.problems.slice(0, 3).join('; ')}
            {record.problems.length > 3 ? '; …' : ''}{' '}
            <button
              type="button"
              aria-label={`Delete set-aside record ${record.id}`}
              onClick={() => void deleteQuarantined(record.id)}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            downloadBytes(
              new TextEncoder().encode(exportQuarantine()),
              'svg-studio-set-aside-records.json',
              'application/json',
            )
          }
        >
          Export set-aside records
        </button>
        <button
          type="button"
          onClick={() => {
            if (window.confirm(`Delete ${count} set aside? This cannot be undone.`))
              void deleteQuarantined('all');
          }}
        >
          Delete set-aside records
        </button>
      </div>
    </section>
  );
}
