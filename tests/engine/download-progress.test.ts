// Download speed over a sliding window, ETA from the remaining bytes, and the byte formats.
import { describe, expect, it } from 'vitest';
import {
  addSample,
  formatByteProgress,
  formatBytes,
  formatSpeed,
  PROGRESS_REPORTS_PER_FILE,
  thinProgress,
  transferStats,
  type ByteSample,
} from '../../src/engine/download-progress';

const series = (points: Array<[number, number]>, windowMs = 3000) =>
  points.reduce<ByteSample[]>(
    (samples, [atMs, loadedBytes]) => addSample(samples, { atMs, loadedBytes }, windowMs),
    [],
  );

describe('download progress', () => {
  it('has no speed or ETA before two samples span time', () => {
    expect(transferStats([], 100)).toEqual({ bytesPerSecond: null, etaSeconds: null });
    expect(transferStats(series([[0, 10]]), 100)).toEqual({ bytesPerSecond: null, etaSeconds: null });
  });

  it('measures speed over the window and extrapolates the remaining bytes', () => {
    const samples = series([
      [0, 0],
      [1000, 1000],
      [2000, 3000],
    ]);
    expect(transferStats(samples, 9000)).toEqual({ bytesPerSecond: 1500, etaSeconds: 4 });
  });

  it('forgets samples older than the window, keeping one at its start', () => {
    const samples = series([
      [0, 0],
      [1000, 100],
      [2000, 200],
      [5000, 3200],
    ]);
    expect(samples.map((s) => s.atMs)).toEqual([2000, 5000]);
    // a stall: only the last 3 s count, not the slow start
    expect(transferStats(samples, 10_000).bytesPerSecond).toBe(1000);
  });

  it('reports a finished transfer as done, and a stalled one without an ETA', () => {
    expect(
      transferStats(
        series([
          [0, 0],
          [500, 100],
        ]),
        100,
      ).etaSeconds,
    ).toBe(0);
    expect(
      transferStats(
        series([
          [0, 50],
          [500, 50],
        ]),
        100,
      ),
    ).toEqual({ bytesPerSecond: 0, etaSeconds: null });
  });

  it('keeps the speed of a finished transfer when later samples carry no new bytes', () => {
    // 1000 B/s until done at 2 s, then the session stage reports the same bytes at 9 s
    const late = series([
      [0, 0],
      [1000, 1000],
      [2000, 2000],
      [9000, 2000],
    ]);
    expect(transferStats(late, 2000)).toEqual({ bytesPerSecond: null, etaSeconds: 0 });
    const inWindow = series([
      [0, 0],
      [1000, 1000],
      [2000, 2000],
      [2500, 2000],
    ]);
    expect(transferStats(inWindow, 2000)).toEqual({ bytesPerSecond: 1000, etaSeconds: 0 });
    // a file read from the cache in one piece has no speed to show, not 0 B/s
    expect(
      transferStats(
        series([
          [0, 2000],
          [4000, 2000],
        ]),
        2000,
      ).bytesPerSecond,
    ).toBeNull();
  });

  it('formats bytes in binary units and speeds per second', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(3174)).toBe('3.1 KiB');
    expect(formatBytes(7.4 * 1024 ** 2)).toBe('7.4 MiB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.25 GiB');
    expect(formatSpeed(2 * 1024 ** 2)).toBe('2.0 MiB/s');
  });

  it("writes bytes in of a total in the total's unit", () => {
    expect(formatByteProgress(3.1 * 1024 ** 2, 5.5 * 1024 ** 2)).toBe('3.1/5.5 MiB');
    expect(formatByteProgress(900, 5.5 * 1024 ** 2)).toBe('0.0/5.5 MiB');
    expect(formatByteProgress(0.4 * 1024 ** 3, 1.25 * 1024 ** 3)).toBe('0.40/1.25 GiB');
    expect(formatByteProgress(12, 800)).toBe('12/800 B');
  });
});

describe('thinned progress', () => {
  it('passes about PROGRESS_REPORTS_PER_FILE reports, always the first, the last and a restart', () => {
    const seen: number[] = [];
    const report = thinProgress(1_000_000, (loaded) => seen.push(loaded)) as (l: number, t: number) => void;
    for (let loaded = 1000; loaded <= 1_000_000; loaded += 1000) report(loaded, 1_000_000);
    expect(seen.length).toBeLessThanOrEqual(PROGRESS_REPORTS_PER_FILE + 1);
    expect(seen[0]).toBe(1000);
    expect(seen.at(-1)).toBe(1_000_000);
    report(0, 1_000_000);
    expect(seen.at(-1)).toBe(0);
    expect(thinProgress(10, undefined)).toBeUndefined();
  });
});
