// NumPy .npy reading and writing (format versions 1-3, C order): the exchange format with the Python
// export scripts, the reference fixtures and the studio's latent downloads.
import { NpyFormatError } from './errors';

export type NpyData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export interface NpyArray {
  readonly dtype: 'float32' | 'float64' | 'int64' | 'int32' | 'uint8';
  readonly shape: number[];
  readonly data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPES: Record<string, { dtype: NpyArray['dtype']; bytes: number; make: (b: ArrayBuffer) => NpyData }> = {
  '<f4': { dtype: 'float32', bytes: 4, make: (b) => new Float32Array(b) },
  '<f8': { dtype: 'float64', bytes: 8, make: (b) => new Float64Array(b) },
  '<i8': { dtype: 'int64', bytes: 8, make: (b) => new BigInt64Array(b) },
  '<i4': { dtype: 'int32', bytes: 4, make: (b) => new Int32Array(b) },
  '|u1': { dtype: 'uint8', bytes: 1, make: (b) => new Uint8Array(b) },
};

export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw new NpyFormatError('not a .npy file (bad magic)');
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLength > bytes.length) throw new NpyFormatError('truncated .npy header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, headerStart + headerLength),
  );
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyFormatError(`malformed .npy header: ${header}`);
  if (fortran === 'True') throw new NpyFormatError('Fortran-order .npy arrays are not supported');
  const type = DTYPES[descr];
  if (!type) throw new NpyFormatError(`unsupported .npy dtype ${descr}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (dataStart + count * type.bytes > bytes.length) throw new NpyFormatError('truncated .npy data');
  const copy = bytes.slice(dataStart, dataStart + count * type.bytes).buffer;
  return { dtype: type.dtype, shape, data: type.make(copy) };
}

const DESCR_OF: Record<NpyArray['dtype'], string> = {
  float32: '<f4',
  float64: '<f8',
  int64: '<i8',
  int32: '<i4',
  uint8: '|u1',
};

function dtypeOf(data: NpyData): NpyArray['dtype'] {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}

/** Writes a version-1 .npy file (header padded to a multiple of 64 bytes, as NumPy does). */
export function writeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new NpyFormatError(`shape [${shape.join(', ')}] needs ${count} values, got ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${DESCR_OF[dtypeOf(data)]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
