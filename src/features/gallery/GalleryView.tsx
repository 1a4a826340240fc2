// The gallery: every result kept with its parameters, newest first, filterable by class and favourites;
// the selected result opens in a full view with its settings and actions.
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { useStudio } from '../../store';
import { galleryStatus, visibleEntries } from '../../store/gallery-slice';
import { EntryDetails } from './EntryDetails';
import { entryLabel } from './entry-label';
import { QuarantinePanel } from './QuarantinePanel';
import './gallery.css';

export function GalleryView() {
  const entries = useStudio((s) => s.galleryEntries);
  const classFilter = useStudio((s) => s.galleryClassFilter);
  const favouritesOnly = useStudio((s) => s.galleryFavouritesOnly);
  const persistent = useStudio((s) => s.galleryPersistent);
  const unsavedIds = useStudio((s) => s.unsavedEntryIds);
  const notice = useStudio((s) => s.galleryNotice);
  const selectedId = useStudio((s) => s.selectedEntryId);
  const setFilter = useStudio((s) => s.setGalleryFilter);
  const selectEntry = useStudio((s) => s.selectEntry);
  const clearGallery = useStudio((s) => s.clearGallery);
  const visible = visibleEntries({
    galleryEntries: entries,
    galleryClassFilter: classFilter,
    galleryFavouritesOnly: favouritesOnly,
  });
  const classes = [...new Map(entries.map((e) => [e.settings.classId, e.className])).entries()].sort(
    (a, b) => a[0] - b[0],
  );
  const selected = entries.find((e) => e.id === selectedId) ?? null;

  return (
    <div className="gallery-view">
      <section className="panel gallery-list" aria-label="Gallery">
        <div className="gallery-toolbar">
          <label>
            Filter by class
            <select
              aria-label="Filter by class"
              value={classFilter ?? ''}
              onChange={(e) => setFilter({ classId: e.target.value === '' ? null : Number(e.target.value) })}
            >
              <option value="">All classes</option>
              {classes.map(([id, name]) => (
                <option key={id} value={id}>
                  {id}: {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={favouritesOnly}
              onChange={(e) => setFilter({ favouritesOnly: e.target.checked })}
            />
            Favourites only
          </label>
          <button
            type="button"
            disabled={entries.length === 0}
            onClick={() => {
              if (window.confirm(`Delete all ${entries.length} results from the gallery?`))
                void clearGallery();
            }}
          >
            Clear gallery
          </button>
        </div>
        <p className="hint" role="status" aria-label="Gallery status">
          {galleryStatus({
            galleryEntries: entries,
            galleryPersistent: persistent,
            unsavedEntryIds: unsavedIds,
          })}
        </p>
        {notice && (
          <p className="notice" role="alert">
            {notice}
          </p>
        )}
        <ul className="gallery-grid">
          {visible.map((entry) => (
            <li key={entry.id}>
              <button
                type="button"
                className="thumbnail"
                aria-pressed={entry.id === selectedId}
                aria-label={`Open result: ${entryLabel(entry)}`}
                onClick={() => selectEntry(entry.id)}
              >
                <RgbaCanvas image={entry.image} label={`Gallery image ${entry.className}`} size={96} />
                {entry.favourite && <span className="favourite-mark">★</span>}
              </button>
            </li>
          ))}
        </ul>
        {visible.length === 0 && (
          <p className="hint">
            No results{entries.length > 0 ? ' match the filter' : ' yet: generate something'}.
          </p>
        )}
      </section>
      <div className="gallery-side">
        <QuarantinePanel />
        {selected && <EntryDetails entry={selected} />}
      </div>
    </div>
  );
}
