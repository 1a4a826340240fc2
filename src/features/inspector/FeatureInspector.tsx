// DINO feature inspector: the first three principal components of an image's DINO patch tokens as RGB
// over the image, cosine similarity of a clicked patch to every patch of the same image and of a second
// image (patch correspondence), and the aligned residual channels as small heat maps. Each image is
// encoded alone (DINO tokens do not depend on the batch; the residual channels would). The encoding is the
// store's (inspect-slice.ts): one run at a time with every view, and Cancel.
import { useCallback, useMemo, useState } from 'react';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { RunFeedback } from '../../components/RunFeedback';
import {
  cosineSimilarities,
  heatMapImage,
  overlay,
  residualChannelImages,
  tokenVector,
  type Grid,
} from '../../engine/analysis/feature-maps';
import type { EncodeImagesResult } from '../../engine/api/studio-engine';
import { useStudio } from '../../store';
import type { InspectedImage } from '../../store/inspect-slice';
import { ImageInput } from '../image-input/ImageInput';
import type { LoadedImage } from '../image-input/load-image';
import { PatchCanvas } from './PatchCanvas';
import { useOpeningLine } from '../models/network-opening';
import './inspector.css';

/** Similarity maps use the fixed range [-1, 1] so two images' maps are comparable. */
const SIMILARITY_RANGE = [-1, 1] as const;

export function FeatureInspector() {
  const manifest = useStudio((s) => s.manifest);
  const ready = useStudio((s) => s.loadStatus === 'ready');
  const first = useStudio((s) => s.inspected.first);
  const second = useStudio((s) => s.inspected.second);
  const busy = useStudio((s) => s.inspectRun !== null);
  // The DINO encoder opens on first use: the line says how far its download is.
  const openingLine = useOpeningLine();
  const error = useStudio((s) => s.inspectError);
  const inspect = useStudio((s) => s.inspect);
  const cancelInspect = useStudio((s) => s.cancelInspect);
  const [selected, setSelected] = useState<number | null>(null);
  const [opacity, setOpacity] = useState(0.6);

  const onFirst = useCallback(
    (loaded: LoadedImage) => {
      setSelected(null);
      void inspect('first', loaded.image);
    },
    [inspect],
  );
  const onSecond = useCallback((loaded: LoadedImage) => void inspect('second', loaded.image), [inspect]);

  const grid: Grid | null = manifest ? manifest.latent.grid : null;
  const current = (encoded: InspectedImage | null) => (encoded?.modelSetId === manifest?.id ? encoded : null);
  const a = current(first)?.result ?? null;
  const pca = current(first)?.pca ?? null;
  const b = current(second)?.result ?? null;
  const tokenDims = (r: EncodeImagesResult) => r.dinoDims.slice(1);

  const residualMaps = useMemo(
    () => (a && grid ? residualChannelImages(a.residual, a.residualDims, 0, grid) : []),
    [a, grid],
  );
  const similarity = useMemo(() => {
    if (!a || !grid || selected === null) return null;
    const query = tokenVector(a.dinoTokens, tokenDims(a), selected);
    const map = (r: EncodeImagesResult) =>
      overlay(
        r.inputs[0]!,
        heatMapImage(cosineSimilarities(r.dinoTokens, tokenDims(r), query), grid, SIMILARITY_RANGE),
        opacity,
      );
    return { same: map(a), other: b ? map(b) : null };
  }, [a, b, grid, selected, opacity]);

  const explained = pca
    ? (() => {
        const total = pca.result.variances.reduce((s, v) => s + v, 0);
        return (
          [...pca.result.variances].map((v) => v.toExponential(2)).join(', ') +
          ` (sum ${total.toExponential(2)})`
        );
      })()
    : '';

  return (
    <div className="inspector">
      <section className="panel" aria-label="Inspector inputs">
        <h2>Inspect DINO features</h2>
        <ImageInput onImage={onFirst} acceptsPaste />
        <ImageInput onImage={onSecond} sampleLabel="Second sample image" uploadLabel="Upload second image" />
        <label className="inspector-opacity">
          Overlay opacity
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={opacity}
            aria-label="Overlay opacity"
            onChange={(event) => setOpacity(Number(event.target.value))}
          />
        </label>
        {!ready && <p className="inspector-note">Load a model set to inspect features.</p>}
        <RunFeedback
          running={busy ? (openingLine ?? 'Encoding…') : null}
          statusLabel="Inspector status"
          onCancel={cancelInspect}
          error={error}
        />
      </section>
      {!busy && !error && !a && (
        <section className="panel" aria-label="Features">
          <p className="empty-state">
            No image inspected yet. Drop, paste or upload an image, or choose a sample image: the principal
            components of its DINO patch features appear here as colours, and clicking a patch shows which
            patches resemble it (in a second image too).
          </p>
        </section>
      )}
      {a && grid && pca && (
        <section className="panel" aria-label="Features">
          <div className="inspector-row">
            <figure>
              <PatchCanvas
                image={overlay(a.inputs[0]!, pca.image, opacity)}
                label="PCA of DINO patch tokens"
                grid={grid}
                selected={selected}
                onPick={setSelected}
              />
              <figcaption>
                First three principal components → RGB. Click a patch (or use the arrow keys).
                <br />
                Variances: {explained}; PCA {pca.ms.toFixed(1)} ms
              </figcaption>
            </figure>
            {similarity && selected !== null && (
              <>
                <figure>
                  <PatchCanvas
                    image={similarity.same}
                    label="Similarity to the patch, same image"
                    grid={grid}
                    selected={selected}
                  />
                  <figcaption aria-label="Selected patch">
                    row {Math.floor(selected / grid[1]) + 1}, column {(selected % grid[1]) + 1}
                  </figcaption>
                </figure>
                {similarity.other && (
                  <figure>
                    <PatchCanvas
                      image={similarity.other}
                      label="Similarity to the patch, second image"
                      grid={grid}
                      selected={null}
                    />
                    <figcaption>Cosine similarity, −1 (dark) … 1 (bright), in the second image</figcaption>
                  </figure>
                )}
              </>
            )}
          </div>
          <h3>Residual channels (aligned)</h3>
          <div className="inspector-residual">
            {residualMaps.map((map, channel) => (
              <figure key={channel}>
                <RgbaCanvas image={map} label={`Residual channel ${channel + 1}`} size={72} />
                <figcaption>{channel + 1}</figcaption>
              </figure>
            ))}
          </div>
          <p className="inspector-note">Each map is scaled to its own minimum (dark) and maximum (bright).</p>
        </section>
      )}
    </div>
  );
}
