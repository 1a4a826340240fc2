// The one table of limits shared by the CLI, the page and the engine, so a result made by one front end
// can always be reproduced by the other (a CLI run with --steps 400 is a valid link, and the reverse).
// Every validator, input element bound, CLI check and error message reads its numbers from here.
//
// Why these values:
// - steps 1..1000: the reference sampler's time grid is defined for any count; 1000 matches the
//   training timesteps and bounds a run to minutes on the CPU. The page allows the same (a long run
//   can be cancelled).
// - batch 1..16: the noise of item i is the i-th slice of one torch.randn stream, so reproducing a
//   result needs a batch at least as large; 16 latents and images fit a browser tab on WASM, 64 did not.
// - seed 0..2^32-1: PyTorch's CPU generator seeds its Mersenne Twister with seed mod 2^32 (see
//   rng/mt19937.ts), so larger seeds only alias smaller ones.
// - guidance scale 0..20 and shift 0..20: finite ranges that cover the reference scripts and the
//   SVG-Mini sweeps (guidance 1..10, shift 0.1..1) with room; beyond them the sampler only saturates
//   (guidance 1e38 gave an all-black image) or the time grid collapses onto its end points.
// - images: 40 megapixels and 16384 px a side (160 MB as RGBA) bound what a hostile file can make a
//   tab or the CLI allocate; 64 MiB bounds the bytes read at all.
// - engine batch 1..64: one engine call of the CLI's `sample` holds many batch-1 results (each with its
//   own seed), so it is bounded by memory only, not by reproducibility.
// - frames 2..64 (8 a side in grid mode) and 64 grid cells bound interpolation and comparison runs.
// - network stall 20 s: no byte for this long ends a request (model files, the manifest, ONNX Runtime's
//   own files) as stalled; long enough for a slow mobile link, short enough that a dead host is named
//   before a user gives up.

/** An inclusive numeric range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

const range = (min: number, max: number): Range => Object.freeze({ min, max });

export const LIMITS = Object.freeze({
  /** Sampling steps per run (integer). */
  steps: range(1, 1000),
  /** Images per run: what a link, a PNG or the CLI's generate may ask for (integer). */
  batch: range(1, 16),
  /** Images in one engine call; larger than `batch` because the CLI's sample command chunks an
   *  evaluation run of independent batch-1 results into calls of this size (integer). */
  engineBatch: range(1, 64),
  /** torch.manual_seed values that give distinct noise (integer). */
  seed: range(0, 0xffff_ffff),
  /** Classifier-free guidance scale (finite). */
  guidanceScale: range(0, 20),
  /** Timestep shift s of shift(t) = s t / (1 + (s - 1) t); s <= 0 is the identity (finite). */
  shift: range(0, 20),
  /** Class ids a link or stored record may name before the manifest is known (integer). */
  classId: range(0, 1_000_000),
  /** Decode a preview every k steps; 0 turns previews off (integer). */
  previewEvery: range(0, 1000),
  /** Input images: bytes read, decoded pixels and the longest side. */
  image: Object.freeze({ maxFileBytes: 64 * 1024 * 1024, maxPixels: 40_000_000, maxSide: 16_384 }),
  /** Interpolation frames (integer); grid mode takes frames per side. */
  frames: range(2, 64),
  gridFramesPerSide: range(2, 8),
  /** Cells of a comparison grid. */
  gridCells: range(1, 64),
  /** Milliseconds without a byte after which any network request of the studio counts as stalled. */
  networkStallMs: 20_000,
});

/** true when `value` is an integer inside `limit`. */
export function isIntegerIn(value: number, limit: Range): boolean {
  return Number.isInteger(value) && value >= limit.min && value <= limit.max;
}

/** true when `value` is a finite number inside `limit`. */
export function isFiniteIn(value: number, limit: Range): boolean {
  return Number.isFinite(value) && value >= limit.min && value <= limit.max;
}

/** "1..1000" for messages. */
export function describeRange(limit: Range): string {
  return `${limit.min}..${limit.max}`;
}
