// The package used as a library from Node, imported by its name through package.json "exports"
// (self-reference), as another project would: generate with only a class and a seed (everything else
// from the manifest), get images and the studio's metadata, a PNG the studio reads back; reconstruct.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSvgEngine } from 'svg-studio';
import { readResultMetadata } from '../../src/engine/formats/result-metadata';

const RANDOM_TINY = path.resolve('public/models/random-tiny');

describe('svg-studio in Node', () => {
  it('generates from { classId, seed } with the manifest defaults and reconstructs', async () => {
    const engine = await createSvgEngine({ models: RANDOM_TINY });
    try {
      expect(engine.execution.provider).toBe('cpu');
      expect(engine.classes.length).toBe(engine.manifest.classes.count);
      const { resolution } = engine.manifest.image;

      const run = await engine.generate({ classId: 1, seed: 7, steps: 2 });
      expect(run.images).toHaveLength(1);
      expect(run.images[0]).toMatchObject({ width: resolution, height: resolution });
      const defaults = engine.manifest.sampler;
      expect(run.metadata[0]).toMatchObject({
        modelSetId: engine.manifest.id,
        manifestSha256: engine.manifestSha256,
        batchIndex: 0,
        settings: {
          classId: 1,
          seed: 7,
          steps: 2,
          sampler: defaults.sampler,
          shift: defaults.shift,
          guidanceScale: defaults.guidanceScale,
          guidanceSchedule: defaults.guidanceSchedule,
          batch: 1,
        },
      });
      const png = await run.png(0);
      const restored = await readResultMetadata(png, 'library.png');
      expect(restored.settings).toEqual(run.metadata[0]?.settings);

      const recon = await engine.reconstruct(run.images[0]!);
      expect(recon.reconstruction).toMatchObject({ width: resolution, height: resolution });
    } finally {
      await engine.dispose();
    }
  });

  it('takes a class name and refuses bad options with a clear message', async () => {
    const engine = await createSvgEngine({ models: path.join(RANDOM_TINY, 'manifest.json') });
    try {
      const name = engine.classes[2]!.name;
      const run = await engine.generate({ classId: name.toUpperCase(), seed: 1, steps: 1 });
      expect(run.metadata[0]?.settings.classId).toBe(2);
      await expect(engine.generate({ seed: 1 } as never)).rejects.toThrow(/classId/);
    } finally {
      await engine.dispose();
    }
    await expect(createSvgEngine({ models: '' })).rejects.toThrow(/createSvgEngine/);
  });
});
