// Full view of one gallery result: the image, every parameter, and its actions.
import { useState } from 'react';
import { APP_VERSION } from '../../app-version';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { downloadBytes } from '../../components/download-file';
import { latentTextChunk } from '../../engine/formats/latent-payload';
import { encodePng } from '../../engine/formats/png';
import { resultTextChunks } from '../../engine/formats/result-metadata';
import { useStudio } from '../../store';
import type { GalleryEntry } from '../../store/gallery-slice';
import { entrySamplerLabel } from './entry-label';

export function EntryDetails({ entry }: { readonly entry: GalleryEntry }) {
  const toggleFavourite = useStudio((s) => s.toggleFavourite);
  const deleteEntry = useStudio((s) => s.deleteEntry);
  const applyEntrySettings = useStudio((s) => s.applyEntrySettings);
  const [storeLatent, setStoreLatent] = useState(true);
  const { settings } = entry;

  const savePng = async () => {
    // The latent (half precision, deflated) lets Interpolate and Edit reuse this result exactly.
    const latent = storeLatent ? await latentTextChunk(entry.latentTokens, entry.latentDims) : {};
    const png = await encodePng(entry.image, {
      ...latent,
      ...resultTextChunks({
        modelSetId: entry.modelSetId,
        manifestSha256: entry.manifestSha256,
        settings,
        batchIndex: entry.batchIndex,
        appVersion: APP_VERSION,
      }),
    });
    downloadBytes(
      png,
      `svg-${entry.modelSetId}-class${settings.classId}-seed${settings.seed}-${entry.batchIndex}.png`,
      'image/png',
    );
  };

  return (
    <section className="panel entry-details" aria-label="Selected result">
      <RgbaCanvas image={entry.image} label="Selected result" size={320} />
      <dl>
        <dt>Class</dt>
        <dd>
          {settings.classId}: {entry.className}
        </dd>
        <dt>Seed</dt>
        <dd>
          {settings.seed} (image {entry.batchIndex + 1} of {settings.batch})
        </dd>
        <dt>Sampler</dt>
        <dd>{entrySamplerLabel(entry)}</dd>
        <dt>Guidance</dt>
        <dd>
          {settings.guidanceScale} ({settings.guidanceSchedule})
        </dd>
        <dt>Model set</dt>
        <dd>{entry.modelSetId}</dd>
        <dt>Made</dt>
        <dd>
          {new Date(entry.createdAt).toLocaleString()} on {entry.provider.toUpperCase()} in{' '}
          {Math.round(entry.totalMs)} ms
        </dd>
      </dl>
      <div className="actions">
        <button type="button" aria-pressed={entry.favourite} onClick={() => void toggleFavourite(entry.id)}>
          {entry.favourite ? '★ Favourite' : '☆ Favourite'}
        </button>
        <button type="button" onClick={() => void applyEntrySettings(entry.id)}>
          Use these settings
        </button>
        <button type="button" onClick={() => void savePng()}>
          Download PNG
        </button>
        <label>
          <input type="checkbox" checked={storeLatent} onChange={(e) => setStoreLatent(e.target.checked)} />
          Store latent in PNG
        </label>
        <button type="button" onClick={() => void deleteEntry(entry.id)}>
          Delete
        </button>
      </div>
    </section>
  );
}
