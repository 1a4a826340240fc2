// Progress, live preview and the finished batch, with downloads of the image (PNG with the settings in
// tEXt chunks) and of the final latent (.npy, the DiT's standardised tokens) for researchers.
import { APP_VERSION } from '../../app-version';
import { encodePng } from '../../engine/formats/png';
import { resultTextChunks } from '../../engine/formats/result-metadata';
import { writeNpy } from '../../engine/formats/npy';
import { tileImages } from '../../engine/formats/pixels';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { downloadBytes } from '../../components/download-file';
import { useStudio } from '../../store';
import { RunProgress } from './RunProgress';

export function ResultView() {
  const running = useStudio((s) => s.activeRun === 'generate');
  const progress = useStudio((s) => s.progress);
  const preview = useStudio((s) => s.preview);
  const result = useStudio((s) => s.result);
  const error = useStudio((s) => s.generationError);
  const manifest = useStudio((s) => s.manifest);
  const manifestSha256 = useStudio((s) => s.manifestSha256);

  const saveImage = async () => {
    if (!result || !manifest) return;
    const { settings } = result;
    // The whole batch as one image; its metadata restores the batch's settings.
    const grid = tileImages(result.images, Math.ceil(Math.sqrt(result.images.length)));
    const png = await encodePng(
      grid,
      resultTextChunks({
        modelSetId: manifest.id,
        manifestSha256: manifestSha256 ?? '',
        settings,
        batchIndex: result.images.length === 1 ? 0 : null,
        appVersion: APP_VERSION,
      }),
    );
    downloadBytes(png, `${manifest.id}-class${settings.classId}-seed${settings.seed}.png`, 'image/png');
  };
  const saveLatent = () => {
    if (!result) return;
    const npy = writeNpy(result.latentTokens, result.latentDims);
    downloadBytes(npy, `svg-latent-seed${result.settings.seed}.npy`, 'application/octet-stream');
  };

  return (
    <section className="panel result-view" aria-label="Results">
      {running && <RunProgress progress={progress} preview={preview} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!running && !error && !result && (
        <p className="empty-state">
          No image yet. Choose a class and press Generate (Ctrl+Enter); every result is also kept in the
          Gallery.
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
