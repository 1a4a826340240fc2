// The Edit view: SDEdit (encode an image, noise it back to t0 = 1 - strength with seeded noise, re-sample
// with a chosen class and guidance) and the region edit of the paper's Fig. 6 (a box drawn on the source;
// tokens on the kept side follow the source's noised trajectory, so only the other side changes).
// The run is the store's (edit-slice.ts): Cancel, progress per step with an ETA, one run at a time.
import { useCallback, useState } from 'react';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { downloadBytes } from '../../components/download-file';
import { describeError } from '../../engine/api/describe-error';
import { latentTextChunk } from '../../engine/formats/latent-payload';
import { encodePng } from '../../engine/formats/png';
import { boxKeepMask, type KeepRegion, type RegionBox } from '../../engine/schedulers/start';
import { useStudio } from '../../store';
import type { FinishedEdit } from '../../store/edit-slice';
import { ClassPicker } from '../generate/ClassPicker';
import { ImageInput } from '../image-input/ImageInput';
import type { LoadedImage } from '../image-input/load-image';
import { LatentPngInput, type StoredLatentImage } from '../interpolate/LatentPngInput';
import { BoxCanvas } from './BoxCanvas';
import { useOpeningLine } from '../models/network-opening';
import './edit.css';

const KEEP_LABELS: Record<KeepRegion, string> = {
  outside: 'Outside the box (the box changes)',
  inside: 'Inside the box (the rest changes)',
};
const BOX_FIELDS: ReadonlyArray<readonly [keyof RegionBox, string]> = [
  ['x', 'Box x'],
  ['y', 'Box y'],
  ['width', 'Box width'],
  ['height', 'Box height'],
];

/** What the finished run was asked, in words (from the run's own request, not the form). */
function editSummary(edit: FinishedEdit, classNames: readonly string[]): string {
  const { strength, classId, guidanceScale, seed, keepTokens, keep } = edit.request;
  return `strength ${strength}, class ${classNames[classId] ?? classId}, guidance ${guidanceScale}, seed ${seed}${
    keepTokens && keep ? `, keeping ${keep} the box` : ''
  } — ${edit.seconds.toFixed(2)} s`;
}

export function EditView() {
  const manifest = useStudio((s) => s.manifest);
  const ready = useStudio((s) => s.loadStatus === 'ready');
  const settings = useStudio((s) => s.settings);
  const [source, setSource] = useState<LoadedImage | StoredLatentImage | null>(null);
  const [storeLatent, setStoreLatent] = useState(true);
  const [strength, setStrength] = useState(0.6);
  const [classId, setClassId] = useState(0);
  const [guidance, setGuidance] = useState(settings.guidanceScale);
  const [seed, setSeed] = useState(0);
  const [useRegion, setUseRegion] = useState(false);
  const [box, setBox] = useState<RegionBox | null>(null);
  const [keep, setKeep] = useState<KeepRegion>('outside');
  const result = useStudio((s) => s.editResult);
  const running = useStudio((s) => s.editRun);
  // The source image opens the encoders on first use: the line says how far their download is.
  const openingLine = useOpeningLine();
  const anyRunActive = useStudio((s) => s.activeRun !== null);
  const runError = useStudio((s) => s.editError);
  /** A problem with the inputs (the run's own errors are the store's). */
  const [inputError, setInputError] = useState<string | null>(null);
  const error = inputError ?? runError;
  const clearEdit = useStudio((s) => s.clearEdit);
  const edit = useStudio((s) => s.edit);
  const cancelEdit = useStudio((s) => s.cancelEdit);

  const onImage = useCallback(
    (loaded: LoadedImage | StoredLatentImage) => {
      setSource(loaded);
      clearEdit();
    },
    [clearEdit],
  );
  const onBox = useCallback((next: RegionBox) => {
    setBox(next);
    setUseRegion(true);
  }, []);

  const run = async () => {
    if (!manifest || !source) return;
    const [gridH, gridW] = manifest.latent.grid;
    setInputError(null);
    let keepTokens: Uint8Array | undefined;
    try {
      keepTokens = useRegion
        ? boxKeepMask(box ?? { x: 0, y: 0, width: 0, height: 0 }, gridH, gridW, keep)
        : undefined;
    } catch (failure) {
      setInputError(describeError(failure));
      return;
    }
    await edit({
      source: 'latentTokens' in source ? source : source.image,
      classId,
      seed,
      guidanceScale: guidance,
      strength,
      ...(keepTokens ? { keepTokens, keep } : {}),
    });
  };

  /** The edited image as PNG, with its latent (half precision, compressed) when asked for. */
  const download = async (finished: FinishedEdit) => {
    const text = storeLatent ? await latentTextChunk(finished.latentTokens, finished.latentDims) : {};
    const { classId: madeClass, seed: madeSeed } = finished.request;
    downloadBytes(
      await encodePng(finished.after, text),
      `svg-edit-class${madeClass}-seed${madeSeed}.png`,
      'image/png',
    );
  };

  return (
    <div className="edit-view">
      <h2>Edit</h2>
      {!ready && <p className="hint">Load a model set to edit images.</p>}
      <ImageInput
        onImage={onImage}
        sampleLabel="Edit sample image"
        uploadLabel="Upload image to edit"
        initialSample="cat"
      />
      {manifest && (
        <LatentPngInput
          label="PNG with stored latent to edit"
          tokenCount={manifest.latent.grid[0] * manifest.latent.grid[1] * manifest.latent.channels}
          onLatent={onImage}
        />
      )}
      {source && <BoxCanvas image={source.image} box={useRegion ? box : null} onBox={onBox} size={256} />}
      <div className="settings-row">
        <label>
          Strength
          <input
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={strength}
            onChange={(e) => setStrength(e.target.valueAsNumber)}
          />
        </label>
        <label>
          Guidance
          <input
            type="number"
            step={0.5}
            value={guidance}
            onChange={(e) => setGuidance(e.target.valueAsNumber)}
          />
        </label>
        <label>
          Seed
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.valueAsNumber)} />
        </label>
      </div>
      {manifest && <ClassPicker names={manifest.classes.names} value={classId} onChange={setClassId} />}
      <fieldset className="settings-row">
        <legend>Region</legend>
        <label>
          <input type="checkbox" checked={useRegion} onChange={(e) => setUseRegion(e.target.checked)} />
          Region edit
        </label>
        {BOX_FIELDS.map(([field, label]) => (
          <label key={field}>
            {label}
            <input
              type="number"
              min={0}
              max={1}
              step={0.05}
              value={box ? box[field] : ''}
              onChange={(e) => {
                const current = box ?? { x: 0.25, y: 0.25, width: 0.5, height: 0.5 };
                onBox({ ...current, [field]: e.target.valueAsNumber });
              }}
            />
          </label>
        ))}
        <label>
          Keep region
          <ChoiceSelect choices={KEEP_LABELS} value={keep} onChange={setKeep} />
        </label>
      </fieldset>
      <div className="settings-row">
        <button type="button" onClick={() => void run()} disabled={!ready || !source || anyRunActive}>
          Edit
        </button>
        {running && (
          <>
            <span role="status">
              {openingLine ??
                (running.progress
                  ? `Editing: step ${running.progress.step} of ${running.progress.steps}${
                      running.progress.etaMs === null
                        ? ''
                        : `, about ${Math.ceil(running.progress.etaMs / 1000)} s left`
                    }`
                  : 'Editing…')}
            </span>
            <button type="button" onClick={cancelEdit}>
              Cancel
            </button>
          </>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <section aria-label="Before and after">
          <div className="before-after">
            <figure>
              <figcaption>Before</figcaption>
              <RgbaCanvas image={result.before} label="Before" size={256} />
            </figure>
            <figure>
              <figcaption>After</figcaption>
              <RgbaCanvas image={result.after} label="After" size={256} />
            </figure>
          </div>
          <p aria-label="Edit summary">{editSummary(result, manifest?.classes.names ?? [])}</p>
          <div className="settings-row">
            <label>
              <input
                type="checkbox"
                checked={storeLatent}
                onChange={(e) => setStoreLatent(e.target.checked)}
              />
              Store latent in PNG
            </label>
            <button type="button" onClick={() => void download(result)}>
              Download PNG
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
