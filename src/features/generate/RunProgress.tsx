// Live progress of a run: per-step bar, elapsed time and ETA, and the clean-image previews the worker
// decodes every k steps (k from the preview policy; off when "Live previews" is unchecked). A preview
// stays on screen until the next one replaces it (the store keeps it; steps without one do not clear it).
// Before the first step, a network reopening (closed under the memory budget) shows its download.
import { RgbaCanvas } from '../../components/RgbaCanvas';
import type { RgbaImage } from '../../engine/formats/pixels';
import type { StepProgressEvent } from '../../engine/api/studio-engine';
import { estimateRemainingMs, formatDuration } from '../../engine/workspace/progress-eta';
import { useOpeningLine } from '../models/network-opening';

interface RunProgressProps {
  readonly progress: StepProgressEvent | null;
  /** Shown before the step line, e.g. "Cell 2 / 5". */
  readonly prefix?: string;
  /** The latest preview of the run (kept between preview steps); default: the current event's own. */
  readonly preview?: { readonly step: number; readonly images: readonly RgbaImage[] } | null;
}

export function RunProgress({ progress, prefix, preview: kept }: RunProgressProps) {
  const preview = kept ?? (progress?.previews ? { step: progress.step, images: progress.previews } : null);
  const remaining = progress ? estimateRemainingMs(progress) : null;
  const openingLine = useOpeningLine();
  const line = progress
    ? `Step ${progress.step} / ${progress.steps} · ${formatDuration(progress.elapsedMs)} elapsed` +
      (remaining !== null ? ` · about ${formatDuration(remaining)} left` : '')
    : (openingLine ?? 'Starting…');
  return (
    <div className="progress">
      <progress
        aria-label="Sampling progress"
        max={progress?.steps ?? 1}
        value={progress ? progress.step : 0}
      />
      <span role="status" aria-label="Run status">
        {prefix ? `${prefix} · ${line}` : line}
      </span>
      {preview && (
        <div className="previews" data-preview-step={preview.step}>
          {preview.images.map((image, i) => (
            <RgbaCanvas key={i} image={image} label={`Preview ${i + 1}`} size={128} />
          ))}
          <span className="preview-caption">Clean-image estimate at step {preview.step}</span>
        </div>
      )}
    </div>
  );
}
