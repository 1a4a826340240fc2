// NumPy .npy reading and writing (format versions 1-3, C order, little-endian): the exchange format with
// the Python export scripts, the reference fixtures, the parity harness and the studio's latent downloads.
import { NpyFormatError } from '../errors';

export type NpyDtype = 'float32' | 'float64' | 'int64' | 'int32' | 'uint8';
export type NpyData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: number[];
  readonly data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface DtypeInfo {
  readonly dtype: NpyDtype;
  readonly descr: string;
  readonly bytes: number;
  readonly make: (buffer: ArrayBuffer) => NpyData;
}

const DTYPES: readonly DtypeInfo[] = [
  { dtype: 'float32', descr: '<f4', bytes: 4, make: (b) => new Float32Array(b) },
  { dtype: 'float64', descr: '<f8', bytes: 8, make: (b) => new Float64Array(b) },
  { dtype: 'int64', descr: '<i8', bytes: 8, make: (b) => new BigInt64Array(b) },
  { dtype: 'int32', descr: '<i4', bytes: 4, make: (b) => new Int32Array(b) },
  { dtype: 'uint8', descr: '|u1', bytes: 1, make: (b) => new Uint8Array(b) },
];
const BY_DESCR = new Map(DTYPES.map((d) => [d.descr, d]));
BY_DESCR.set('<u1', DTYPES[4] as DtypeInfo);

/** Parses a .npy file. The data is copied, so it is aligned and independent of `bytes`. */
export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b))
    throw new NpyFormatError('not a .npy file (bad magic)');
  const major = bytes[6] as number;
  if (major < 1 || major > 3) throw new NpyFormatError(`unsupported .npy format version ${major}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new NpyFormatError('truncated .npy header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerStart + headerLength > bytes.length) throw new NpyFormatError('truncated .npy header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, headerStart + headerLength),
  );
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new NpyFormatError(`malformed .npy header: ${header.trim()}`);
  if (fortran === 'True')
    throw new NpyFormatError('Fortran-order .npy arrays are not supported (save with C order)');
  const type = BY_DESCR.get(descr);
  if (!type) {
    throw new NpyFormatError(
      `unsupported .npy dtype ${descr} (supported: ${DTYPES.map((d) => d.descr).join(', ')})`,
    );
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new NpyFormatError(`bad .npy shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (dataStart + count * type.bytes > bytes.length) throw new NpyFormatError('truncated .npy data');
  const copy = bytes.slice(dataStart, dataStart + count * type.bytes).buffer;
  return { dtype: type.dtype, shape, data: type.make(copy) };
}

function dtypeOf(data: NpyData): DtypeInfo {
  const info = DTYPES.find((d) => d.make(new ArrayBuffer(0)).constructor === data.constructor);
  if (!info) throw new NpyFormatError(`cannot write ${data.constructor.name} as .npy`);
  return info;
}

/**
 * The .npy header (magic, version, dict) for `dtype` and `shape`: version 1, or 2 for headers over
 * 64 KiB; padded to 64 bytes like NumPy. The data follows it (streamed writers use it alone).
 */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  const descr = (DTYPES.find((d) => d.dtype === dtype) as DtypeInfo).descr;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const version = header.length + 11 > 0xffff ? 2 : 1;
  const prefix = version === 1 ? 10 : 12;
  header += ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(prefix + header.length);
  out.set(MAGIC);
  out[6] = version;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  return out;
}

/** Writes a .npy file: npyHeader followed by the data. */
export function writeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new NpyFormatError(`shape [${shape.join(', ')}] needs ${count} values, got ${data.length}`);
  const header = npyHeader(dtypeOf(data).dtype, shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}

export function npyToNumbers(array: NpyArray): number[] {
  if (!(array.data instanceof BigInt64Array)) return Array.from(array.data);
  return Array.from(array.data, (v) => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new NpyFormatError(`int64 value ${v} does not fit a JavaScript number`);
    }
    return Number(v);
  });
}

/** The values as float32 (any dtype; int64 through npyToNumbers). */
export function npyToFloat32(array: NpyArray): Float32Array {
  return array.data instanceof Float32Array ? array.data : Float32Array.from(npyToNumbers(array));
}
