// The Interpolate view: endpoints from images (their latents), gallery results (their starting noise and
// class) or seeds; linear, spherical or both side by side; a path of 2-64 frames or a four-corner grid;
// a filmstrip with a scrubber; exports as animated GIF, WebM video and PNG strip. The run itself is the
// store's (interpolate-slice.ts over the engine pipeline): Cancel, progress with an ETA, and exports that
// always take the finished run's frames under that run's name.
import { useCallback, useMemo, useState } from 'react';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { downloadBytes } from '../../components/download-file';
import { describeError } from '../../engine/api/describe-error';
import { InvalidSettingError } from '../../engine/errors';
import { MAX_FRAMES, MIN_FRAMES, type InterpolationMethod } from '../../engine/latent/interpolation';
import { LIMITS } from '../../engine/limits';
import {
  exportFrames,
  FRAME_DELAY_MS,
  interpolationGif,
  interpolationPngStrip,
  seedEndpoints,
  seedNoise,
  type InterpolationEndpoints,
  type InterpolationProgress,
  type MethodChoice,
} from '../../engine/pipelines/interpolate';
import { useStudio } from '../../store';
import { entryLabel } from '../gallery/entry-label';
import { ClassPicker } from '../generate/ClassPicker';
import { ImageInput } from '../image-input/ImageInput';
import type { LoadedImage } from '../image-input/load-image';
import { webmBlob } from './exports';
import { Filmstrip, type Strip } from './Filmstrip';
import { LatentPngInput, type StoredLatentImage } from './LatentPngInput';
import { useOpeningLine } from '../models/network-opening';
import './interpolate.css';

type EndpointMode = 'images' | 'gallery' | 'seeds';

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
const METHOD_TITLES: Record<InterpolationMethod, string> = { linear: 'Linear', spherical: 'Spherical' };
const SLOTS = ['A', 'B', 'C', 'D'] as const;
const SAMPLE_FOR_SLOT = ['cat', 'apple', 'shapes', 'sunset'];
/** The grid's side is the frame count; more than this per side would be too many cells to sample. */
const MAX_GRID_SIDE = LIMITS.gridFramesPerSide.max;

/** The running line: what is being made, the share done and the time left. */
function progressText(progress: InterpolationProgress | null): string {
  if (!progress || progress.stage === 'endpoints') return 'Preparing endpoints…';
  const method = progress.method ? `${METHOD_TITLES[progress.method]}: ` : '';
  const eta = progress.etaMs === null ? '' : `, about ${Math.ceil(progress.etaMs / 1000)} s left`;
  return `${method}${progress.framesDone} of ${progress.framesTotal} frames (${Math.floor(progress.fraction * 100)} %${eta})`;
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
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(false);
  /** A problem with the inputs or an export (the run's own errors are the store's). */
  const [error, setError] = useState<string | null>(null);
  const running = useStudio((s) => s.interpolationRun);
  // Image endpoints open the encoders on first use: the line says how far their download is.
  const openingLine = useOpeningLine();
  const anyRunActive = useStudio((s) => s.activeRun !== null);
  const finished = useStudio((s) => s.interpolation);
  const runError = useStudio((s) => s.interpolationError);
  const interpolate = useStudio((s) => s.interpolate);
  const cancelInterpolation = useStudio((s) => s.cancelInterpolation);
  const strips = useMemo<Strip[]>(
    () => finished?.strips.map((s) => ({ title: METHOD_TITLES[s.method], frames: s.frames })) ?? [],
    [finished],
  );

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

  /** The endpoints as the engine pipeline takes them; throws a message naming what is missing. */
  const endpoints = (): InterpolationEndpoints => {
    if (!manifest) throw new Error('no model set is loaded');
    if (mode === 'images') {
      // A stored latent is used as it is; images are encoded by the pipeline, one per call.
      const items = slots.map((slot, i) => {
        const latent = stored[i];
        if (latent) return { latentTokens: latent.latentTokens };
        const loaded = images[i];
        if (!loaded) throw new InvalidSettingError(`Choose image ${slot} first.`);
        return loaded.image;
      });
      return { kind: 'images', items };
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
    return seedEndpoints(
      manifest,
      slots.map((_, i) => seeds[i] ?? 0),
      { ...settings, classId },
    );
  };

  const run = async () => {
    if (!manifest || framesProblem) return;
    setError(null);
    setPlaying(false);
    let chosen: InterpolationEndpoints;
    try {
      chosen = endpoints();
    } catch (failure) {
      setError(describeError(failure));
      return;
    }
    setFrame(0);
    await interpolate({ endpoints: chosen, frames, choice: method });
  };

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
          <ChoiceSelect choices={ENDPOINT_MODES} value={mode} onChange={setMode} />
        </label>
        <label>
          Method
          <ChoiceSelect choices={METHODS} value={method} onChange={setMethod} />
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
                      {entryLabel(entry)}
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
          disabled={!ready || anyRunActive || framesProblem !== null}
        >
          Interpolate
        </button>
        {running && (
          <>
            <span role="status">{openingLine ?? progressText(running.progress)}</span>
            {running.progress && running.progress.stage === 'frames' && (
              <progress aria-label="Interpolation progress" max={1} value={running.progress.fraction} />
            )}
            <button type="button" onClick={cancelInterpolation}>
              Cancel
            </button>
          </>
        )}
        {finished && !running && (
          <span aria-label="Interpolation time">
            {`${finished.seconds.toFixed(2)} s for ${finished.strips.length * (finished.strips[0]?.frames.length ?? 0)} frames`}
          </span>
        )}
      </div>
      {(error ?? runError) && (
        <p role="alert" className="error">
          {error ?? runError}
        </p>
      )}

      {finished && strips.length > 0 && (
        <>
          <Filmstrip
            strips={strips}
            frame={Math.min(frame, strips[0]!.frames.length - 1)}
            onFrame={onFrame}
            playing={playing}
            onPlaying={setPlaying}
            columns={finished.columns}
            delayMs={FRAME_DELAY_MS}
          />
          <div className="export-row">
            <button
              type="button"
              onClick={() =>
                void exportWith(async () =>
                  downloadBytes(interpolationGif(finished), `${finished.baseName}.gif`, 'image/gif'),
                )
              }
            >
              Export GIF
            </button>
            <button
              type="button"
              onClick={() =>
                void exportWith(async () => {
                  const blob = await webmBlob(exportFrames(finished.strips), FRAME_DELAY_MS);
                  downloadBytes(
                    new Uint8Array(await blob.arrayBuffer()),
                    `${finished.baseName}.webm`,
                    'video/webm',
                  );
                })
              }
            >
              Export WebM
            </button>
            <button
              type="button"
              onClick={() =>
                void exportWith(async () =>
                  downloadBytes(
                    await interpolationPngStrip(finished),
                    `${finished.baseName}.png`,
                    'image/png',
                  ),
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
