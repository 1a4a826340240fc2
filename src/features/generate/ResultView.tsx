// Progress, live preview and the finished batch, with downloads of the image (PNG with the settings in
// tEXt chunks) and of the final latent (.npy, the DiT's standardised tokens) for researchers.
import { encodePng } from '../../engine/png';
import { writeNpy } from '../../engine/npy';
import { tileImages } from '../../engine/image';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { useStudio } from '../../store';

function download(bytes: Uint8Array, fileName: string, type: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ResultView() {
  const running = useStudio((s) => s.running);
  const progress = useStudio((s) => s.progress);
  const result = useStudio((s) => s.result);
  const error = useStudio((s) => s.generationError);
  const manifest = useStudio((s) => s.manifest);

  const saveImage = async () => {
    if (!result || !manifest) return;
    const { settings } = result;
    const grid = tileImages(result.images, Math.ceil(Math.sqrt(result.images.length)));
    const png = await encodePng(grid, {
      'svg-studio': JSON.stringify({ modelSet: manifest.id, ...settings }),
    });
    download(png, `svg-${manifest.id}-class${settings.classId}-seed${settings.seed}.png`, 'image/png');
  };
  const saveLatent = () => {
    if (!result) return;
    const npy = writeNpy(result.latentTokens, result.latentDims);
    download(npy, `svg-latent-seed${result.settings.seed}.npy`, 'application/octet-stream');
  };

  return (
    <section className="panel result-view" aria-label="Results">
      {running && (
        <div className="progress">
          <progress
            aria-label="Sampling progress"
            max={progress?.steps ?? 1}
            value={progress ? progress.step : 0}
          />
          <span>
            {progress
              ? `Step ${progress.step} / ${progress.steps} · ${(progress.elapsedMs / 1000).toFixed(1)} s`
              : 'Starting…'}
          </span>
          {progress?.previews && (
            <div className="previews">
              {progress.previews.map((image, i) => (
                <RgbaCanvas key={i} image={image} label={`Preview ${i + 1}`} size={128} />
              ))}
            </div>
          )}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="result" data-testid="result">
          <div className="images">
            {result.images.map((image, i) => (
              <RgbaCanvas key={i} image={image} label={`Result ${i + 1}`} />
            ))}
          </div>
          <p className="result-meta">
            {result.execution.provider.toUpperCase()} · sampling {Math.round(result.timings.samplingMs)} ms ·
            decode {Math.round(result.timings.decodeMs)} ms · class {result.settings.classId} · seed{' '}
            {result.settings.seed}
          </p>
          <div className="actions">
            <button type="button" onClick={() => void saveImage()}>
              Download PNG
            </button>
            <button type="button" onClick={saveLatent}>
              Download latent (.npy)
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
