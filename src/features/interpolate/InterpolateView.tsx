// The Interpolate view: endpoints from images (their latents), gallery results (their starting noise and
// class) or seeds; linear, spherical or both side by side; a path of 2-64 frames or a four-corner grid;
// a filmstrip with a scrubber; exports as animated GIF, WebM video and PNG strip.
import { useCallback, useMemo, useState } from 'react';
import { downloadBytes } from '../../components/download-file';
import { describeError } from '../../engine/describe-error';
import { InvalidSettingError } from '../../engine/errors';
import { tileImages, type RgbaImage } from '../../engine/image';
import { MAX_FRAMES, MIN_FRAMES, type InterpolationMethod } from '../../engine/interpolation';
import { LIMITS } from '../../engine/limits';
import { useStudio } from '../../store';
import { studioEngine } from '../../store/engine-instance';
import { ClassPicker } from '../generate/ClassPicker';
import { ImageInput } from '../image-input/ImageInput';
import type { LoadedImage } from '../image-input/load-image';
import { gifBytes, pngStripBytes, webmBlob } from './exports';
import { Filmstrip, type Strip } from './Filmstrip';
import { LatentPngInput, type StoredLatentImage } from './LatentPngInput';
import { renderFrames, seedNoise, type EndpointSpace } from './run-interpolation';
import './interpolate.css';

type EndpointMode = 'images' | 'gallery' | 'seeds';
type MethodChoice = InterpolationMethod | 'compare';

const ENDPOINT_MODES: Record<EndpointMode, string> = {
  images: 'Two images (their latents)',
  gallery: 'Two gallery results (noise and class)',
  seeds: 'Two seeds and a class',
};
const METHODS: Record<MethodChoice, string> = {
  linear: 'Linear',
  spherical: 'Spherical',
  compare: 'Compare linear and spherical side by side',
};
const METHOD_RUNS: Record<MethodChoice, readonly InterpolationMethod[]> = {
  linear: ['linear'],
  spherical: ['spherical'],
  compare: ['linear', 'spherical'],
};
const SLOTS = ['A', 'B', 'C', 'D'] as const;
const SAMPLE_FOR_SLOT = ['cat', 'apple', 'shapes', 'sunset'];
/** The grid's side is the frame count; more than this per side would be too many cells to sample. */
const MAX_GRID_SIDE = LIMITS.gridFramesPerSide.max;
const FRAME_DELAY_MS = 125;

/** Seconds since the call, read by the returned function. */
function stopwatch(): () => number {
  const start = performance.now();
  return () => (performance.now() - start) / 1000;
}

export function InterpolateView() {
  const manifest = useStudio((s) => s.manifest);
  const ready = useStudio((s) => s.loadStatus === 'ready');
  const settings = useStudio((s) => s.settings);
  const gallery = useStudio((s) => s.galleryEntries);
  const [mode, setMode] = useState<EndpointMode>('images');
  const [method, setMethod] = useState<MethodChoice>('spherical');
  const [frames, setFrames] = useState(8);
  const [gridMode, setGridMode] = useState(false);
  const [images, setImages] = useState<(LoadedImage | null)[]>([null, null, null, null]);
  const [stored, setStored] = useState<(StoredLatentImage | null)[]>([null, null, null, null]);
  const [galleryIds, setGalleryIds] = useState<string[]>(['', '', '', '']);
  const [seeds, setSeeds] = useState([1, 2, 3, 4]);
  const [classId, setClassId] = useState(0);
  const [strips, setStrips] = useState<Strip[]>([]);
  const [columns, setColumns] = useState(8);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [timing, setTiming] = useState<string | null>(null);

  const slots = SLOTS.slice(0, gridMode ? 4 : 2);
  const imageHandlers = useMemo(
    () =>
      SLOTS.map(
        (_, index) => (loaded: LoadedImage) =>
          setImages((current) => current.map((image, i) => (i === index ? loaded : image))),
      ),
    [],
  );
  const storedHandlers = useMemo(
    () =>
      SLOTS.map(
        (_, index) => (latent: StoredLatentImage) =>
          setStored((current) => current.map((item, i) => (i === index ? latent : item))),
      ),
    [],
  );

  const framesProblem =
    !Number.isInteger(frames) || frames < MIN_FRAMES || frames > (gridMode ? MAX_GRID_SIDE : MAX_FRAMES)
      ? `Frames must be a whole number from ${MIN_FRAMES} to ${gridMode ? MAX_GRID_SIDE : MAX_FRAMES}${gridMode ? ' in grid mode (frames per side)' : ''}.`
      : null;

  /** The endpoints in the space they are interpolated in; throws a message naming what is missing. */
  const endpoints = async (): Promise<EndpointSpace> => {
    if (!manifest) throw new Error('no model set is loaded');
    const engine = studioEngine();
    if (mode === 'images') {
      const chosen = slots.map((slot, i) => {
        const latent = stored[i];
        if (latent) return latent;
        const loaded = images[i];
        if (!loaded) throw new InvalidSettingError(`Choose image ${slot} first.`);
        return loaded.image;
      });
      // A stored latent is used as it is; images are encoded one per call (the residual alignment uses
      // batch statistics, so each latent is its own).
      const points: Float32Array[] = [];
      for (const item of chosen)
        points.push(
          'latentTokens' in item
            ? item.latentTokens
            : (await engine.encodeImages({ images: [item] })).latentTokens,
        );
      return { kind: 'latent', points };
    }
    if (mode === 'gallery') {
      const entries = slots.map((slot, i) => {
        const entry = gallery.find((e) => e.id === galleryIds[i]);
        if (!entry) throw new InvalidSettingError(`Choose gallery result ${slot} first.`);
        return entry;
      });
      return {
        kind: 'noise',
        // the batch size is the renderer's; the rest is the first result's run
        settings: entries[0]!.settings,
        points: entries.map((e) => seedNoise(manifest, e.settings.seed, e.settings.batch, e.batchIndex)),
      };
    }
    return {
      kind: 'noise',
      settings: { ...settings, classId },
      points: slots.map((_, i) => seedNoise(manifest, seeds[i] ?? 0, 1, 0)),
    };
  };

  const run = async () => {
    if (!manifest || framesProblem) return;
    setError(null);
    setPlaying(false);
    setBusy('Preparing endpoints…');
    const elapsed = stopwatch();
    try {
      const space = await endpoints();
      const made: Strip[] = [];
      for (const m of METHOD_RUNS[method]) {
        const images = await renderFrames(studioEngine(), manifest, space, frames, m, (done, total) =>
          setBusy(`${METHODS[m]}: ${done} of ${total} frames`),
        );
        made.push({ title: METHODS[m], frames: images });
      }
      setStrips(made);
      setColumns(gridMode ? frames : Math.min(frames, 8));
      setFrame(0);
      setTiming(`${elapsed().toFixed(2)} s for ${made.length * made[0]!.frames.length} frames`);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(null);
    }
  };

  /** One image per frame: the strips side by side when comparing. */
  const exportFrames = (): RgbaImage[] =>
    strips.length === 1
      ? [...strips[0]!.frames]
      : strips[0]!.frames.map((_, k) =>
          tileImages(
            strips.map((s) => s.frames[k]!),
            strips.length,
          ),
        );
  const baseName = `interpolation-${method}-${gridMode ? `grid${frames}` : `${frames}f`}`;

  const exportWith = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  const onFrame = useCallback((next: number) => setFrame(next), []);

  return (
    <div className="interpolate-view">
      <h2>Interpolate</h2>
      {!ready && <p className="hint">Load a model set to interpolate.</p>}
      <div className="settings-row">
        <label>
          Endpoints
          <select value={mode} onChange={(e) => setMode(e.target.value as EndpointMode)}>
            {Object.entries(ENDPOINT_MODES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Method
          <select value={method} onChange={(e) => setMethod(e.target.value as MethodChoice)}>
            {Object.entries(METHODS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Frames
          <input
            type="number"
            min={MIN_FRAMES}
            max={gridMode ? MAX_GRID_SIDE : MAX_FRAMES}
            value={Number.isNaN(frames) ? '' : frames}
            onChange={(e) => setFrames(e.target.valueAsNumber)}
          />
        </label>
        <label>
          <input type="checkbox" checked={gridMode} onChange={(e) => setGridMode(e.target.checked)} />
          Grid mode (four corners)
        </label>
      </div>
      {framesProblem && (
        <p role="alert" className="error">
          {framesProblem}
        </p>
      )}

      <div className="endpoints">
        {slots.map((slot, i) => (
          <div key={`${mode}-${slot}`} className="endpoint">
            <h3>Endpoint {slot}</h3>
            {mode === 'images' && (
              <ImageInput
                onImage={imageHandlers[i]!}
                sampleLabel={`Sample image ${slot}`}
                uploadLabel={`Upload image ${slot}`}
                initialSample={images[i] ? undefined : SAMPLE_FOR_SLOT[i]}
              />
            )}
            {mode === 'images' && manifest && (
              <LatentPngInput
                label={`PNG with stored latent ${slot}`}
                tokenCount={manifest.latent.grid[0] * manifest.latent.grid[1] * manifest.latent.channels}
                onLatent={storedHandlers[i]!}
              />
            )}
            {mode === 'images' && stored[i] && (
              <p className="hint">
                Using the stored latent of {stored[i].name}{' '}
                <button
                  type="button"
                  onClick={() => setStored((all) => all.map((item, k) => (k === i ? null : item)))}
                >
                  Use image {slot} instead
                </button>
              </p>
            )}
            {mode === 'gallery' && (
              <label>
                Gallery result {slot}
                <select
                  value={galleryIds[i]}
                  onChange={(e) =>
                    setGalleryIds((ids) => ids.map((id, k) => (k === i ? e.target.value : id)))
                  }
                >
                  <option value="">Choose a result</option>
                  {gallery.map((entry) => (
                    <option key={entry.id} value={entry.id}>
                      {entry.className}, seed {entry.settings.seed}, image {entry.batchIndex + 1}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {mode === 'seeds' && (
              <label>
                Seed {slot}
                <input
                  type="number"
                  min={0}
                  value={seeds[i]}
                  onChange={(e) =>
                    setSeeds((all) => all.map((s, k) => (k === i ? e.target.valueAsNumber : s)))
                  }
                />
              </label>
            )}
          </div>
        ))}
      </div>
      {mode === 'gallery' && gallery.length === 0 && (
        <p className="hint">The gallery is empty: generate images first, they are kept there.</p>
      )}
      {mode === 'seeds' && manifest && (
        <ClassPicker names={manifest.classes.names} value={classId} onChange={setClassId} />
      )}

      <div className="settings-row">
        <button
          type="button"
          onClick={() => void run()}
          disabled={!ready || busy !== null || framesProblem !== null}
        >
          Interpolate
        </button>
        {busy && <span role="status">{busy}</span>}
        {timing && !busy && <span aria-label="Interpolation time">{timing}</span>}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}

      {strips.length > 0 && (
        <>
          <Filmstrip
            strips={strips}
            frame={Math.min(frame, strips[0]!.frames.length - 1)}
            onFrame={onFrame}
            playing={playing}
            onPlaying={setPlaying}
            columns={columns}
            delayMs={FRAME_DELAY_MS}
          />
          <div className="export-row">
            <button
              type="button"
              onClick={() =>
                void exportWith(async () =>
                  downloadBytes(gifBytes(exportFrames(), FRAME_DELAY_MS), `${baseName}.gif`, 'image/gif'),
                )
              }
            >
              Export GIF
            </button>
            <button
              type="button"
              onClick={() =>
                void exportWith(async () => {
                  const blob = await webmBlob(exportFrames(), FRAME_DELAY_MS);
                  downloadBytes(new Uint8Array(await blob.arrayBuffer()), `${baseName}.webm`, 'video/webm');
                })
              }
            >
              Export WebM
            </button>
            <button
              type="button"
              onClick={() =>
                void exportWith(async () =>
                  downloadBytes(await pngStripBytes(exportFrames(), columns), `${baseName}.png`, 'image/png'),
                )
              }
            >
              Export PNG strip
            </button>
          </div>
        </>
      )}
    </div>
  );
}
