// Where a model set comes from: the catalogue (bundled sets and sets added by URL), a manifest URL typed
// by the user, or local files (picked, or a folder dropped on the zone); and Cancel for a running load.
import { useState, type DragEvent, type FormEvent } from 'react';
import { useStudio } from '../../store';
import { cancelLoad } from '../../store/load-control';
import { fromDataTransfer, fromFileList } from './local-files';

const ORIGIN_LABEL = { bundled: 'bundled', url: 'added by URL', local: 'local files' } as const;

export function ModelSources() {
  const catalogue = useStudio((s) => s.catalogue);
  const selectedSetId = useStudio((s) => s.selectedSetId);
  const selectModelSet = useStudio((s) => s.selectModelSet);
  const loadFromUrl = useStudio((s) => s.loadFromUrl);
  const loadFromFiles = useStudio((s) => s.loadFromFiles);
  const loading = useStudio((s) => s.loadStatus === 'loading');
  const [url, setUrl] = useState('');
  const [dragging, setDragging] = useState(false);

  const submitUrl = (event: FormEvent) => {
    event.preventDefault();
    const text = url.trim();
    if (text) void loadFromUrl(new URL(text, document.baseURI).href);
  };

  const onDrop = async (event: DragEvent) => {
    // preventDefault also tells the studio-wide settings drop to leave this drop alone.
    event.preventDefault();
    setDragging(false);
    await loadFromFiles(await fromDataTransfer(event.dataTransfer));
  };

  return (
    <section className="model-sources" aria-labelledby="model-sources-title">
      <h2 id="model-sources-title">Sources</h2>
      <ul className="model-catalogue" aria-label="Model sets">
        {catalogue.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              aria-pressed={entry.id === selectedSetId}
              disabled={loading}
              onClick={() => void selectModelSet(entry.id)}
            >
              {entry.id}
            </button>{' '}
            <span className="muted">{ORIGIN_LABEL[entry.origin]}</span>
          </li>
        ))}
      </ul>
      <form className="model-url" onSubmit={submitUrl}>
        <label>
          Manifest URL
          <input
            type="url"
            value={url}
            placeholder="https://example.org/models/my-set/manifest.json"
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <button type="submit" disabled={loading || url.trim() === ''}>
          Load
        </button>
        {loading && (
          // Stops the downloads at once; nothing of the cancelled load is kept in the cache.
          <button type="button" onClick={cancelLoad}>
            Cancel load
          </button>
        )}
      </form>
      <div
        className={`model-drop${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => void onDrop(e)}
      >
        <label>
          Model files
          <input
            type="file"
            multiple
            disabled={loading}
            onChange={(e) => {
              if (e.target.files?.length) void loadFromFiles(fromFileList(e.target.files));
              e.target.value = '';
            }}
          />
        </label>
        <p className="muted">
          Pick manifest.json with its ONNX files, or drop the model-set folder here. Local files are read from
          disk and not cached.
        </p>
      </div>
    </section>
  );
}
