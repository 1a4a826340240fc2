// Download speed and ETA for the model manager's progress rows (per file and for the whole set). The
// caller timestamps each byte count as it arrives; the speed is measured over a sliding window so a
// stall shows up within seconds, and the ETA is the remaining bytes at that speed.

export interface ByteSample {
  /** milliseconds on any monotonic clock (performance.now()) */
  readonly atMs: number;
  readonly loadedBytes: number;
}

/** How far back the speed looks. */
export const SPEED_WINDOW_MS = 3000;

/**
 * Appends a sample and drops those older than the window, keeping one sample at or before the window's
 * start so the speed always spans the whole window once enough time has passed. Returns a new array.
 */
export function addSample(
  samples: readonly ByteSample[],
  sample: ByteSample,
  windowMs = SPEED_WINDOW_MS,
): ByteSample[] {
  const all = [...samples, sample];
  const windowStart = sample.atMs - windowMs;
  let first = 0;
  while (first + 1 < all.length && (all[first + 1] as ByteSample).atMs <= windowStart) first++;
  return all.slice(first);
}

export interface TransferStats {
  /** bytes per second over the window, or null before two samples span some time (or, once done, when
   * the window holds no bytes arriving: the file came in one piece or finished before the window) */
  readonly bytesPerSecond: number | null;
  /** seconds left at that speed; 0 when done, null when the speed is unknown or zero */
  readonly etaSeconds: number | null;
}

export function transferStats(samples: readonly ByteSample[], totalBytes: number): TransferStats {
  const last = samples[samples.length - 1];
  const first = samples[0];
  if (last && totalBytes > 0 && last.loadedBytes >= totalBytes) {
    // The speed of a finished transfer is measured up to the sample that completed it: later samples
    // (the session stage, reported after ONNX Runtime compiled it) carry no new bytes, and once they
    // push the earlier ones out of the window the speed would read 0 B/s for a file that arrived.
    const completed = samples.find((sample) => sample.loadedBytes >= totalBytes);
    return { bytesPerSecond: rate(first, completed) || null, etaSeconds: 0 };
  }
  const bytesPerSecond = rate(first, last);
  const etaSeconds =
    bytesPerSecond && last && totalBytes > 0 ? (totalBytes - last.loadedBytes) / bytesPerSecond : null;
  return { bytesPerSecond, etaSeconds };
}

function rate(first: ByteSample | undefined, last: ByteSample | undefined): number | null {
  if (!first || !last || last.atMs <= first.atMs) return null;
  return ((last.loadedBytes - first.loadedBytes) * 1000) / (last.atMs - first.atMs);
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** The unit a byte count is written in, with its digits after the point: the one table of units. */
function byteUnit(bytes: number): { readonly size: number; readonly name: string; readonly digits: number } {
  if (bytes >= GiB) return { size: GiB, name: 'GiB', digits: 2 };
  if (bytes >= MiB) return { size: MiB, name: 'MiB', digits: 1 };
  if (bytes >= KiB) return { size: KiB, name: 'KiB', digits: 1 };
  return { size: 1, name: 'B', digits: 0 };
}

/** "812 B", "3.1 KiB", "7.4 MiB", "1.25 GiB". */
export function formatBytes(bytes: number): string {
  const unit = byteUnit(bytes);
  return `${(bytes / unit.size).toFixed(unit.digits)} ${unit.name}`;
}

/** Bytes in of a total, both in the total's unit: "3.1/5.5 MiB", "0.4/1.25 GiB". */
export function formatByteProgress(loadedBytes: number, totalBytes: number): string {
  const unit = byteUnit(totalBytes);
  const figure = (bytes: number) => (bytes / unit.size).toFixed(unit.digits);
  return `${figure(loadedBytes)}/${figure(totalBytes)} ${unit.name}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** About how many progress reports one file sends (the worker posts each one to the page). */
export const PROGRESS_REPORTS_PER_FILE = 200;

/**
 * Thins a file's byte progress to about PROGRESS_REPORTS_PER_FILE calls: a gigabyte file arrives in
 * tens of thousands of chunks, and a message and a render per chunk would cost more than the download.
 * The first report, the last, and one that goes back (a download started over) always pass.
 */
export function thinProgress(
  totalBytes: number,
  onProgress?: (loaded: number, total: number) => void,
): ((loaded: number, total: number) => void) | undefined {
  if (!onProgress) return undefined;
  const step = Math.max(1, Math.floor(totalBytes / PROGRESS_REPORTS_PER_FILE));
  let reported = -Infinity;
  return (loaded, total) => {
    if (loaded >= totalBytes || loaded < reported || loaded - reported >= step) {
      reported = loaded;
      onProgress(loaded, total);
    }
  };
}
