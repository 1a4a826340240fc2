// A latent stored inside a downloaded PNG (tEXt chunk "svg-studio-latent"), so a dropped image can be
// decoded, interpolated or edited from its exact latent instead of a re-encoding. Format (Latin-1 safe):
//   "f16-deflate;<d0>x<d1>x…;<base64 of zlib(deflate) of the float16 values, little-endian>"
// Half precision halves the size; standardised latents (|z| ≲ 10) keep ~3 significant digits.
import { ResultMetadataError } from '../errors';

export const LATENT_TEXT_KEY = 'svg-studio-latent';
const FORMAT = 'f16-deflate';

const scratch = new DataView(new ArrayBuffer(4));

/** float32 → IEEE half bits, round to nearest even; overflow → ±Inf, NaN kept. */
export function toFloat16Bits(value: number): number {
  scratch.setFloat32(0, value);
  const bits = scratch.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    const half = full >>> shift;
    const remainder = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (half + (remainder > halfway || (remainder === halfway && half & 1) ? 1 : 0));
  }
  const half = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  // a carry out of the mantissa correctly bumps the exponent (up to Inf)
  return sign | (half + (remainder > 0x1000 || (remainder === 0x1000 && half & 1) ? 1 : 0));
}

/** IEEE half bits → number. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

async function through(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Latent tokens (any dims, e.g. one sample [1, N, C]) → the tEXt value. */
export async function encodeLatentPayload(values: Float32Array, dims: readonly number[]): Promise<string> {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== values.length)
    throw new ResultMetadataError(
      `latent has ${values.length} values but dims [${dims.join(', ')}] need ${count}`,
    );
  const halves = new DataView(new ArrayBuffer(values.length * 2));
  values.forEach((value, i) => halves.setUint16(i * 2, toFloat16Bits(value), true));
  const compressed = await through(new Uint8Array(halves.buffer), new CompressionStream('deflate'));
  return `${FORMAT};${dims.join('x')};${toBase64(compressed)}`;
}

export interface LatentPayload {
  readonly values: Float32Array;
  readonly dims: readonly number[];
}

/** The tEXt value → latent; every refusal says what is wrong with it. */
export async function decodeLatentPayload(text: string): Promise<LatentPayload> {
  const [format, dimsText, data, ...rest] = text.split(';');
  if (format !== FORMAT || dimsText === undefined || data === undefined || rest.length > 0)
    throw new ResultMetadataError(`stored latent is not in the ${FORMAT} format`);
  const dims = dimsText.split('x').map(Number);
  if (!dims.every((d) => Number.isInteger(d) && d > 0))
    throw new ResultMetadataError(`stored latent has invalid dims "${dimsText}"`);
  let bytes: Uint8Array;
  try {
    bytes = await through(
      Uint8Array.from(atob(data), (c) => c.charCodeAt(0)),
      new DecompressionStream('deflate'),
    );
  } catch {
    throw new ResultMetadataError('stored latent data is damaged (base64 or deflate)');
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * 2)
    throw new ResultMetadataError(
      `stored latent has ${bytes.length / 2} values but dims [${dims.join(', ')}] need ${count}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    values: Float32Array.from({ length: count }, (_, i) => fromFloat16Bits(view.getUint16(i * 2, true))),
    dims,
  };
}

/** The tEXt entry to merge into encodePng's text (beside resultTextChunks) for a latent [1, N, C]. */
export async function latentTextChunk(
  values: Float32Array,
  dims: readonly number[],
): Promise<Record<string, string>> {
  return { [LATENT_TEXT_KEY]: await encodeLatentPayload(values, dims) };
}

/** The latent stored in a PNG's text chunks, or null when it carries none (a damaged one throws). */
export async function readStoredLatent(
  text: Readonly<Record<string, string>>,
): Promise<LatentPayload | null> {
  const payload = text[LATENT_TEXT_KEY];
  return payload === undefined ? null : decodeLatentPayload(payload);
}
