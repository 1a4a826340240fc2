// Reconstruction lab: an image goes through the encoders and back through the decoder, shown beside the
// model-resolution input with a gain-adjustable difference and PSNR/SSIM computed on the shown 8-bit
// images. "DINO features only" re-decodes the same latent with the residual channels replaced (by their
// latent mean or by zero), showing what the residual branch adds, as in the paper's ablation.
// One image is encoded at a time unless the user asks for a batch with the bundled samples: the residual
// alignment uses batch statistics, so batching changes the image's residual channels (see the note below).
import { useCallback, useMemo, useState } from 'react';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { SvgStudioError } from '../../engine/errors';
import type { RgbaImage } from '../../engine/image';
import { differenceImage, psnr, ssim } from '../../engine/metrics';
import type { DinoOnlyMode, EncodeImagesResult } from '../../engine/studio-engine';
import { useStudio } from '../../store';
import { studioEngine } from '../../store/engine-instance';
import { CropPreview } from '../image-input/CropPreview';
import { ImageInput } from '../image-input/ImageInput';
import { loadImageBlob, type LoadedImage } from '../image-input/load-image';
import { fetchSample, SAMPLE_IMAGES } from '../image-input/samples';
import './lab.css';

interface Reconstruction {
  readonly modelSetId: string;
  readonly encoded: EncodeImagesResult;
  readonly output: RgbaImage;
  readonly dinoOnly: DinoOnlyMode | false;
  readonly encodeMs: number;
  readonly decodeMs: number;
  readonly batchSize: number;
}

/** Item 0 of a batch encoding, as a batch of one (its residual keeps the batch's alignment). */
function firstItem(encoded: EncodeImagesResult): EncodeImagesResult {
  const item = (data: Float32Array, dims: readonly number[]) => {
    const size = dims.slice(1).reduce((a, b) => a * b, 1);
    return { data: data.slice(0, size), dims: [1, ...dims.slice(1)] };
  };
  const latent = item(encoded.latentTokens, encoded.latentDims);
  const dino = item(encoded.dinoTokens, encoded.dinoDims);
  const residual = item(encoded.residual, encoded.residualDims);
  return {
    inputs: encoded.inputs.slice(0, 1),
    latentTokens: latent.data,
    latentDims: latent.dims,
    dinoTokens: dino.data,
    dinoDims: dino.dims,
    residual: residual.data,
    residualDims: residual.dims,
    timings: encoded.timings,
  };
}

/** The bundled samples, decoded, as batch companions. */
function loadSampleBatch(): Promise<LoadedImage[]> {
  return Promise.all(
    SAMPLE_IMAGES.map(async (sample) => loadImageBlob(await fetchSample(sample), sample.file)),
  );
}

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
  const [result, setResult] = useState<Reconstruction | null>(null);
  const [busy, setBusy] = useState<'encode' | 'decode' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [gain, setGain] = useState(4);
  const [dinoOnly, setDinoOnly] = useState(false);
  const [dinoOnlyMode, setDinoOnlyMode] = useState<DinoOnlyMode>('mean');
  const [batchWithSamples, setBatchWithSamples] = useState(false);

  const onImage = useCallback((loaded: LoadedImage) => {
    setSource(loaded);
    setResult(null);
  }, []);

  const decode = async (
    encoded: EncodeImagesResult,
    mode: DinoOnlyMode | false,
    encodeMs: number,
    batchSize: number,
  ) => {
    setBusy('decode');
    const decoded = await studioEngine().decodeLatents({
      latentTokens: encoded.latentTokens,
      latentDims: encoded.latentDims,
      dinoOnly: mode,
    });
    setResult({
      modelSetId: manifest?.id ?? '',
      encoded,
      output: decoded.images[0]!,
      dinoOnly: mode,
      encodeMs,
      decodeMs: decoded.timings.decodeMs,
      batchSize,
    });
  };

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(
        failure instanceof SvgStudioError ? failure.message : `Reconstruction failed: ${String(failure)}`,
      );
    } finally {
      setBusy(null);
    }
  };

  const reconstruct = () =>
    run(async () => {
      if (!source) return;
      setBusy('encode');
      // One image per call unless batching on purpose: the batch changes its residual channels.
      const companions = batchWithSamples ? await loadSampleBatch() : [];
      const images = [source.image, ...companions.map((companion) => companion.image)];
      const encoded = await studioEngine().encodeImages({ images });
      await decode(firstItem(encoded), dinoOnly && dinoOnlyMode, encoded.timings.encodeMs, images.length);
    });

  const redecode = (nextDinoOnly: boolean, nextMode: DinoOnlyMode) => {
    setDinoOnly(nextDinoOnly);
    setDinoOnlyMode(nextMode);
    if (result && !busy)
      void run(() => decode(result.encoded, nextDinoOnly && nextMode, result.encodeMs, result.batchSize));
  };

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
            disabled={!ready || !source || busy !== null}
            onClick={() => void reconstruct()}
          >
            Reconstruct
          </button>
          <label className="checkbox">
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
            <select
              aria-label="Residual channels replaced by"
              value={dinoOnlyMode}
              disabled={!dinoOnly}
              onChange={(event) => redecode(dinoOnly, event.target.value as DinoOnlyMode)}
            >
              {Object.entries(DINO_ONLY_LABELS).map(([mode, label]) => (
                <option key={mode} value={mode}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
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
        {busy && (
          <p role="status" aria-label="Lab status">
            {busy === 'encode' ? 'Encoding…' : 'Decoding…'}
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
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
