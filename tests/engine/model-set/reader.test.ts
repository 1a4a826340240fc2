// The in-memory reader adapter of contract §2: reads a whole file, verifies size and SHA-256 once, hands
// the bytes over; a damaged file never reaches ONNX Runtime.
import { describe, expect, it } from 'vitest';
import { IntegrityError } from '../../../src/engine/errors';
import { verifiedBytesReader } from '../../../src/engine/model-set/reader';

const ABC = new TextEncoder().encode('abc');
const ABC_SHA = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('verifiedBytesReader', () => {
  it('returns the verified bytes with progress passed through', async () => {
    const progress: number[] = [];
    const read = verifiedBytesReader(async (file, onProgress) => {
      expect(file).toBe('a.onnx');
      onProgress?.(3, 3);
      return ABC;
    });
    const source = await read({ file: 'a.onnx', bytes: 3, sha256: ABC_SHA }, (loaded) =>
      progress.push(loaded),
    );
    expect(source).toEqual({ kind: 'bytes', bytes: ABC });
    expect(progress).toEqual([3]);
  });

  it('refuses a damaged file, naming it, and honours an aborted signal', async () => {
    const read = verifiedBytesReader(async () => ABC);
    await expect(read({ file: 'b.onnx', bytes: 3, sha256: '0'.repeat(64) })).rejects.toThrow(IntegrityError);
    await expect(read({ file: 'b.onnx', bytes: 4, sha256: ABC_SHA })).rejects.toThrow(
      /^b\.onnx: size is 3 bytes/,
    );
    const aborted = AbortSignal.abort();
    await expect(read({ file: 'b.onnx', bytes: 3, sha256: ABC_SHA }, undefined, aborted)).rejects.toThrow();
  });
});
