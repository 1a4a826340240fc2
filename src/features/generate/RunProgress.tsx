// Live progress of a run: per-step bar, elapsed time and ETA, and the clean-image previews the worker
// decodes every k steps (k from the preview policy; off when "Live previews" is unchecked).
import { RgbaCanvas } from '../../components/RgbaCanvas';
import type { StepProgressEvent } from '../../engine/studio-engine';
import { estimateRemainingMs, formatDuration } from '../../engine/workspace/progress-eta';

interface RunProgressProps {
  readonly progress: StepProgressEvent | null;
  /** Shown before the step line, e.g. "Cell 2 / 5". */
  readonly prefix?: string;
}

export function RunProgress({ progress, prefix }: RunProgressProps) {
  const remaining = progress ? estimateRemainingMs(progress) : null;
  const line = progress
    ? `Step ${progress.step} / ${progress.steps} · ${formatDuration(progress.elapsedMs)} elapsed` +
      (remaining !== null ? ` · about ${formatDuration(remaining)} left` : '')
    : 'Starting…';
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
      {progress?.previews && (
        <div className="previews">
          {progress.previews.map((image, i) => (
            <RgbaCanvas key={i} image={image} label={`Preview ${i + 1}`} size={128} />
          ))}
        </div>
      )}
    </div>
  );
}
