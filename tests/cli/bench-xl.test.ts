// bench:xl's code paths at toy size: a copy of random-tiny given float16 and int4 DiT variants by the
// exporter's own converters (Python, as the real export does), then the Node measurements, the
// pipeline re-check and the planner's generation download, without the browser. Timings are not asserted.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_VARIANTS, parseBenchXlArgs, runBenchXl } from '../../src/cli/bench-xl';
import { tinyVariantSet } from './tiny-variant-set';

let set = '';
beforeAll(() => {
  set = tinyVariantSet();
}, 120_000);
afterAll(() => rmSync(set, { recursive: true, force: true }));

describe('bench:xl', () => {
  it('measures every variant, the int4 errors and the generation download of a set', async () => {
    const lines: string[] = [];
    const report = await runBenchXl(
      parseBenchXlArgs(['--set', set, '--out', 'unused.json', '--no-browser']),
      (line) => lines.push(line),
    );
    expect(lines[0]).toMatch(/^reusing /);
    expect(Object.keys(report.variants.dit ?? {})).toEqual([...BENCH_VARIANTS]);
    for (const figures of Object.values(report.variants).flatMap((byPrecision) =>
      Object.values(byPrecision),
    )) {
      expect(figures.bytes).toBeGreaterThan(0);
      expect(figures.sessionMs).toBeGreaterThanOrEqual(0);
      expect(figures.forwardMs).toBeGreaterThanOrEqual(0);
    }
    expect(report.variants.dit?.float32?.forwardBatch).toBe(2);
    expect(report.variants.dit?.int4?.bytes).toBeLessThan(report.variants.dit?.float32?.bytes ?? 0);
    // no figures in the manifest: the bench runs the pipeline check itself
    expect(report.int4.pipelineFiguresFrom).toBe('bench re-check');
    expect(report.int4.velocityMaxAbs).toBeGreaterThan(0);
    expect(report.int4.latentMaxAbs).toBeGreaterThan(0);
    expect(report.int4.decodedPsnrDb).toBeGreaterThan(10);
    // a shader-f16 GPU generates with the int4 DiT and the float32 decoder (the set has no float16 one)
    const dit = report.variants.dit?.int4?.bytes ?? 0;
    const decoder = report.variants.decoder?.float32?.bytes ?? 0;
    expect(report.generationDownloadBytes).toBe(dit + decoder);
    expect(report.browser).toEqual({ skipped: '--no-browser' });
    expect(report.node.peakRssBytes).toBeGreaterThan(0);
    expect(report.targets.ditInt4Bytes?.met).toBe(true);
  });

  it('refuses bad arguments with the option named', () => {
    expect(() => parseBenchXlArgs([])).toThrow(/--out is required/);
    expect(() => parseBenchXlArgs(['--out', 'r.json', '--fast'])).toThrow(/fast/);
  });
});
