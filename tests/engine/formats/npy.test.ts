import { describe, expect, it } from 'vitest';
import { NpyFormatError } from '../../../src/engine/errors';
import {
  npyToFloat32,
  npyToNumbers,
  parseNpy,
  writeNpy,
  type NpyData,
} from '../../../src/engine/formats/npy';
import { fixtureBytes, fixtureJson } from '../fixtures';

/** A .npy file with a hand-written header, as NumPy would lay it out for `version`. */
function handMade(version: 1 | 2 | 3, header: string, payload: Uint8Array): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const padded = header + ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const encoded = new TextEncoder().encode(padded);
  const out = new Uint8Array(prefix + encoded.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, encoded.length, true);
  else view.setUint32(8, encoded.length, true);
  out.set(encoded, prefix);
  out.set(payload, prefix + encoded.length);
  return out;
}

describe('npy', () => {
  const samples: Array<[string, NpyData, number[]]> = [
    ['float32', Float32Array.from([1.5, -2, 3.25, 0, Math.PI, -0]), [2, 3]],
    ['float64', Float64Array.from([Math.PI, -1e300]), [2]],
    ['int64', BigInt64Array.from([-(2n ** 62n), 0n, 7n]), [3, 1]],
    ['int32', Int32Array.from([-5, 2147483647]), [1, 2]],
    ['uint8', Uint8Array.from([0, 127, 255]), [3]],
    ['0-d', Float32Array.from([42]), []],
    ['empty', new Float32Array(0), [0, 4]],
  ];
  it.each(samples)('round-trips %s', (_, data, shape) => {
    const bytes = writeNpy(data, shape);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0); // NumPy's alignment
    const parsed = parseNpy(bytes);
    expect(parsed.shape).toEqual(shape);
    expect(parsed.data.constructor).toBe(data.constructor);
    expect(Array.from(parsed.data as ArrayLike<unknown>)).toEqual(Array.from(data as ArrayLike<unknown>));
  });

  it('reads version 2 and 3 headers', () => {
    const payload = new Uint8Array(Float32Array.from([1, 2, 3]).buffer);
    for (const version of [2, 3] as const) {
      const parsed = parseNpy(
        handMade(version, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", payload),
      );
      expect(Array.from(parsed.data as Float32Array)).toEqual([1, 2, 3]);
    }
  });

  it('writes version 2 when the header exceeds 64 KiB', () => {
    const shape = [...new Array<number>(12000).fill(1), 2];
    const parsed = parseNpy(writeNpy(Float32Array.from([5, 6]), shape));
    expect(parsed.shape).toEqual(shape);
    expect(Array.from(parsed.data as Float32Array)).toEqual([5, 6]);
  });

  it('rejects Fortran order, unknown dtypes, bad magic and truncation with NpyFormatError', () => {
    const payload = new Uint8Array(16);
    expect(() =>
      parseNpy(handMade(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", payload)),
    ).toThrow(/Fortran/);
    expect(() =>
      parseNpy(handMade(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }", payload)),
    ).toThrow(/dtype >f4/);
    expect(() => parseNpy(new Uint8Array(20))).toThrow(NpyFormatError);
    const good = writeNpy(new Float32Array(8), [8]);
    expect(() => parseNpy(good.subarray(0, good.length - 1))).toThrow(/truncated/);
    expect(() => parseNpy(good.subarray(0, 20))).toThrow(/truncated/);
  });

  it('converts int64 and other dtypes to numbers and float32', () => {
    expect(npyToNumbers(parseNpy(writeNpy(BigInt64Array.from([3n, -4n]), [2])))).toEqual([3, -4]);
    expect(() => npyToNumbers(parseNpy(writeNpy(BigInt64Array.from([2n ** 60n]), [1])))).toThrow(
      NpyFormatError,
    );
    expect(Array.from(npyToFloat32(parseNpy(writeNpy(Int32Array.from([1, -2]), [2]))))).toEqual([1, -2]);
  });

  it('reads every fixture array with the shape, dtype and data hash that index.json lists', async () => {
    const index = fixtureJson<{
      files: Record<string, { kind: string; shape?: number[]; dtype?: string; sha256: string }>;
    }>('index.json');
    const tensors = Object.entries(index.files).filter(
      ([name, entry]) => name.endsWith('.npy') && entry.kind === 'tensor',
    );
    expect(tensors.length).toBeGreaterThan(10);
    for (const [name, entry] of tensors) {
      const parsed = parseNpy(fixtureBytes(name));
      expect(parsed.shape, name).toEqual(entry.shape);
      expect(parsed.dtype, name).toBe(entry.dtype);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', parsed.data as BufferSource));
      expect(Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''), name).toBe(entry.sha256);
    }
  });
});
