// Reconstruction lab: an image goes through the encoders and back through the decoder, shown beside the
// model-resolution input with a gain-adjustable difference and PSNR/SSIM computed on the shown 8-bit
// images. "DINO features only" re-decodes the same latent with the residual channels replaced (by their
// latent mean or by zero), showing what the residual branch adds, as in the paper's ablation.
// One image is encoded at a time unless the user asks for a batch with the bundled samples: the residual
// alignment uses batch statistics, so batching changes the image's residual channels (see the note below).
// The run is the store's (reconstruct-slice.ts): one run at a time with every view, and Cancel.
import { useCallback, useMemo, useState } from 'react';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { RunFeedback } from '../../components/RunFeedback';
import { describeError } from '../../engine/api/describe-error';
import { differenceImage, psnr, ssim } from '../../engine/analysis/metrics';
import type { DinoOnlyMode } from '../../engine/api/studio-engine';
import { useStudio } from '../../store';
import { CropPreview } from '../image-input/CropPreview';
import { ImageInput } from '../image-input/ImageInput';
import { loadImageBlob, type LoadedImage } from '../image-input/load-image';
import { fetchSample, SAMPLE_IMAGES } from '../image-input/samples';
import { useOpeningLine } from '../models/network-opening';
import './lab.css';

/** The bundled samples, decoded, as batch companions. */
function loadSampleBatch(): Promise<LoadedImage[]> {
  return Promise.all(
    SAMPLE_IMAGES.map(async (sample) => loadImageBlob(await fetchSample(sample), sample.file)),
  );
}

/** The status line of each stage of a run. */
const STAGE_STATUS = { encode: 'Encoding…', decode: 'Decoding…' } as const;

const DINO_ONLY_LABELS: Record<DinoOnlyMode, string> = {
  mean: 'their latent mean',
  zero: 'zero',
};

function formatDb(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)} dB` : '∞ dB (identical)';
}

export function ReconstructionLab() {
  const manifest = useStudio((s) => s.manifest);
  const ready = useStudio((s) => s.loadStatus === 'ready');
  const [source, setSource] = useState<LoadedImage | null>(null);
  /** A problem loading the batch companions (the run's own errors are the store's). */
  const [inputError, setInputError] = useState<string | null>(null);
  const [gain, setGain] = useState(4);
  const [dinoOnly, setDinoOnly] = useState(false);
  const [dinoOnlyMode, setDinoOnlyMode] = useState<DinoOnlyMode>('mean');
  const [batchWithSamples, setBatchWithSamples] = useState(false);
  const result = useStudio((s) => s.reconstruction);
  const running = useStudio((s) => s.reconstructRun);
  const anyRunActive = useStudio((s) => s.activeRun !== null);
  const runError = useStudio((s) => s.reconstructError);
  const startReconstruct = useStudio((s) => s.reconstruct);
  const startRedecode = useStudio((s) => s.redecode);
  const cancelReconstruct = useStudio((s) => s.cancelReconstruct);
  const clearReconstruction = useStudio((s) => s.clearReconstruction);
  const busy = running?.stage ?? null;
  // While the encoders (or the decoder) open on first use, the line says what downloads, and how far.
  const openingLine = useOpeningLine();
  const error = inputError ?? runError;

  const onImage = useCallback(
    (loaded: LoadedImage) => {
      setSource(loaded);
      setInputError(null);
      clearReconstruction();
    },
    [clearReconstruction],
  );

  const reconstruct = async () => {
    if (!source) return;
    setInputError(null);
    try {
      // One image per call unless batching on purpose: the batch changes its residual channels.
      const companions = batchWithSamples ? await loadSampleBatch() : [];
      await startReconstruct(
        [source.image, ...companions.map((companion) => companion.image)],
        dinoOnly && dinoOnlyMode,
      );
    } catch (failure) {
      setInputError(describeError(failure));
    }
  };

  const redecode = (nextDinoOnly: boolean, nextMode: DinoOnlyMode) => {
    setDinoOnly(nextDinoOnly);
    setDinoOnlyMode(nextMode);
    if (result && !anyRunActive) void startRedecode(nextDinoOnly && nextMode);
  };

  /** Only a result of this set is shown (a new image clears the result). */
  const current = result && result.modelSetId === manifest?.id ? result : null;
  const input = current?.encoded.inputs[0];
  const metrics = useMemo(
    () =>
      current && input ? { psnr: psnr(input, current.output), ssim: ssim(input, current.output) } : null,
    [current, input],
  );
  const difference = useMemo(
    () => (current && input ? differenceImage(input, current.output, gain) : null),
    [current, input, gain],
  );
  const resolution = manifest?.image.resolution ?? 0;

  return (
    <div className="lab">
      <section className="panel lab-input" aria-label="Lab input">
        <h2>Reconstruct an image</h2>
        <ImageInput onImage={onImage} acceptsPaste />
        {source && (
          <figure>
            <CropPreview image={source.image} label="Input with crop" />
            <figcaption>
              Outlined: the centre square, resized to {resolution}x{resolution} for the model.
            </figcaption>
          </figure>
        )}
        <div className="lab-controls">
          <button
            type="button"
            disabled={!ready || !source || anyRunActive}
            onClick={() => void reconstruct()}
          >
            Reconstruct
          </button>
          <label>
            <input
              type="checkbox"
              checked={dinoOnly}
              onChange={(event) => redecode(event.target.checked, dinoOnlyMode)}
              aria-label="DINO features only"
            />
            DINO features only
          </label>
          <label>
            Residual channels replaced by
            <ChoiceSelect
              aria-label="Residual channels replaced by"
              choices={DINO_ONLY_LABELS}
              value={dinoOnlyMode}
              disabled={!dinoOnly}
              onChange={(mode) => redecode(dinoOnly, mode)}
            />
          </label>
          <label>
            <input
              type="checkbox"
              checked={batchWithSamples}
              onChange={(event) => setBatchWithSamples(event.target.checked)}
              aria-label="Encode in a batch with the samples"
            />
            Encode in a batch with the {SAMPLE_IMAGES.length} samples
          </label>
          <label>
            Difference gain
            <input
              type="range"
              min={1}
              max={32}
              step={1}
              value={gain}
              aria-label="Difference gain"
              onChange={(event) => setGain(Number(event.target.value))}
            />
            <output>×{gain}</output>
          </label>
        </div>
        <p className="lab-note">
          Each image is encoded on its own unless you batch it with the samples on purpose. The residual
          channels are aligned to the DINO features with statistics of the whole batch, so encoding several
          images together changes every image’s residual channels (and its reconstruction); the DINO features
          do not change.
        </p>
        {!ready && <p className="lab-note">Load a model set to reconstruct.</p>}
      </section>
      <section className="panel lab-result" aria-label="Reconstruction">
        <RunFeedback
          running={busy && (openingLine ?? STAGE_STATUS[busy])}
          statusLabel="Lab status"
          onCancel={cancelReconstruct}
          error={error}
        />
        {!busy && !error && !current && (
          <p className="empty-state">
            {source
              ? 'Press Reconstruct: the image goes through the encoders and back through the decoder, shown here beside its input with the difference and PSNR/SSIM.'
              : 'No image yet. Drop, paste or upload an image on the left, or choose a sample image, then press Reconstruct to see how well its latent rebuilds it.'}
          </p>
        )}
        {current && input && metrics && difference && (
          <div data-testid="reconstruction">
            <div className="lab-images">
              <figure>
                <RgbaCanvas image={input} label="Model input" />
                <figcaption>
                  Input ({input.width}x{input.height})
                </figcaption>
              </figure>
              <figure>
                <RgbaCanvas image={current.output} label="Reconstruction" />
                <figcaption>
                  {current.dinoOnly
                    ? `DINO features only (residual = ${DINO_ONLY_LABELS[current.dinoOnly]})`
                    : 'Reconstruction'}
                </figcaption>
              </figure>
              <figure>
                <RgbaCanvas image={difference} label="Difference" />
                <figcaption>|input − output| × {gain}</figcaption>
              </figure>
            </div>
            <dl className="lab-metrics">
              <dt>PSNR</dt>
              <dd aria-label="PSNR">{formatDb(metrics.psnr)}</dd>
              <dt>SSIM</dt>
              <dd aria-label="SSIM">{metrics.ssim.toFixed(4)}</dd>
              <dt>Time</dt>
              <dd aria-label="Timings">
                encode {Math.round(current.encodeMs)} ms
                {current.batchSize > 1 && ` (batch of ${current.batchSize})`} · decode{' '}
                {Math.round(current.decodeMs)} ms
              </dd>
            </dl>
            <p className="lab-note">
              PSNR over RGB; SSIM on luma (Wang et al. 2004, 11x11 Gaussian window, σ 1.5), both on the 8-bit
              images shown.
            </p>
          </div>
        )}
      </section>
    </div>
  );
}
