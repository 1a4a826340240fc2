// The library's request completion: only classId and seed are needed; everything else comes from the
// manifest's sampler defaults (one image, no previews); class names resolve; bad shapes are named.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readManifestText } from '../../src/engine/model-set';
import { completeRequest, metadataFor } from '../../src/lib/engine-api';

const { manifest, manifestSha256 } = await readManifestText(
  readFileSync('public/models/random-tiny/manifest.json', 'utf8'),
  'random-tiny/manifest.json',
);

describe('completeRequest', () => {
  it('fills every setting but classId and seed from the manifest', () => {
    expect(completeRequest(manifest, { classId: 2, seed: 9 })).toEqual({
      classId: 2,
      seed: 9,
      ...manifest.sampler,
      batch: 1,
      previewEvery: 0,
    });
  });

  it('keeps the settings a call gives and resolves class names', () => {
    const name = manifest.classes.names[1]!;
    const request = completeRequest(manifest, { classId: name, seed: 1, steps: 3, guidanceScale: 2 });
    expect(request).toMatchObject({ classId: 1, steps: 3, guidanceScale: 2 });
  });

  it('names what is wrong', () => {
    expect(() => completeRequest(manifest, { classId: 0 } as never)).toThrow(/seed is required/);
    expect(() => completeRequest(manifest, { classId: 0, seed: 1, steps: '4' } as never)).toThrow(
      /steps must be a number/,
    );
    expect(() => completeRequest(manifest, { classId: 'no such class', seed: 1 })).toThrow(/no such class/);
  });
});

describe('metadataFor', () => {
  it('records what the studio records for a result', () => {
    const request = completeRequest(manifest, { classId: 2, seed: 9 });
    expect(metadataFor({ manifest, manifestSha256 }, request, 0, '1.2.3')).toEqual({
      modelSetId: manifest.id,
      manifestSha256,
      settings: {
        classId: 2,
        seed: 9,
        steps: manifest.sampler.steps,
        sampler: manifest.sampler.sampler,
        shift: manifest.sampler.shift,
        guidanceScale: manifest.sampler.guidanceScale,
        guidanceSchedule: manifest.sampler.guidanceSchedule,
        batch: 1,
      },
      batchIndex: 0,
      appVersion: '1.2.3',
    });
  });
});
