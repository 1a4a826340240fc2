// A compact strip of the newest gallery results for the Generate view: a click puts that result's
// parameters back into the workspace ("Use these settings" without leaving the view).
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { useStudio } from '../../store';
import { entryLabel } from './entry-label';
import './gallery.css';

/** How many of the newest results the strip shows. */
const RECENT_COUNT = 8;

export function RecentResults() {
  const entries = useStudio((s) => s.galleryEntries);
  const applyEntrySettings = useStudio((s) => s.applyEntrySettings);
  const recent = entries.slice(0, RECENT_COUNT);
  if (recent.length === 0) return null;
  return (
    <section className="panel recent-results" aria-label="Recent results">
      <h2>Recent results</h2>
      <ul className="recent-strip">
        {recent.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className="thumbnail"
              aria-label={`Use the settings of ${entryLabel(entry)}`}
              title="Use these settings"
              onClick={() => void applyEntrySettings(entry.id)}
            >
              <RgbaCanvas image={entry.image} label={`Recent image ${entry.className}`} size={56} />
              {entry.favourite && <span className="favourite-mark">★</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
