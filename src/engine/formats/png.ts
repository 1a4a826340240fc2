// PNG on the platform's zlib streams (CompressionStream / DecompressionStream 'deflate' exist in
// browsers, workers and Node 20), for the engine's jobs in the page and the CLI alike: writing results
// as 8-bit RGBA with the generation settings in text chunks (encodePng), reading those text chunks back
// with a chunk walker that never inflates the pixels (readPngText: a dropped result's settings and
// latent), and decoding any PNG to 8-bit RGBA (decodePng: the page's latent-PNG input, the CLI's input
// images). CRCs are checked and problems are reported as ImageDecodeError naming the chunk.
//
// Why the decoder is written here rather than taken from a library (checked 2026-12-01): pngjs needs
// Node's zlib, stream and Buffer, which the page does not have; fast-png 8.0.0 runs in both but throws
// "Unsupported filter" on Adam7-interlaced images of 1, 2 or 4 bits (palettes, grey: it sizes each
// pass's rows as if a pixel were a whole byte), returns samples at the file's depth with the palette
// and tRNS apart (the conversion to RGBA below would stay anyway), skips zTXt and iTXt, and ships its
// own inflater (fflate) where the platform already has one. What is left here is the scanline
// unfiltering and the Adam7 pass layout; the inflating is the platform's. The CLI uses this decoder
// too (src/cli/image-files.ts), so the page and the CLI read the same pixels from the same file;
// pngjs stays a test-only oracle (tests/engine/formats/png.test.ts).
import { describeError } from '../api/describe-error';
import { ImageDecodeError } from '../errors';
import { isWellFormedRgba, type RgbaImage } from './pixels';
import { LIMITS } from '../limits';
import { crc32 } from './crc32';
import { concatTypedArrays as concat } from '../latent/typed-arrays';

/** The 8 bytes every PNG starts with (the one copy: image-input.ts and result-metadata.ts use it). */
export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `bytes` start with the PNG signature. */
export const hasPngSignature = (bytes: Uint8Array): boolean =>
  bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);

async function zlib(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const output = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const isLatin1 = (text: string) => [...text].every((ch) => (ch.codePointAt(0) as number) < 256);
const latin1 = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));

/** tEXt for Latin-1 values, iTXt (UTF-8, uncompressed) otherwise; keywords are 1-79 Latin-1 characters. */
function textChunk(key: string, value: string): Uint8Array {
  if (key.length < 1 || key.length > 79 || !isLatin1(key) || key.includes('\0')) {
    throw new RangeError(`PNG text keyword must be 1-79 Latin-1 characters without NUL, got "${key}"`);
  }
  if (isLatin1(value) && !value.includes('\0'))
    return chunk('tEXt', concat([latin1(key), Uint8Array.of(0), latin1(value)]));
  // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text
  return chunk('iTXt', concat([latin1(key), Uint8Array.of(0, 0, 0, 0, 0), new TextEncoder().encode(value)]));
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * What filter type t predicts for byte x of a scanline from its unfiltered neighbours: left in `row`,
 * above in `up` (null on the first row), `bpp` bytes per pixel. The encoder subtracts it, the decoder
 * adds it back (unfiltering in place, so `row` left of x already holds unfiltered bytes).
 */
function predictor(t: number, row: Uint8Array, up: Uint8Array | null, x: number, bpp: number): number {
  const a = x >= bpp ? (row[x - bpp] as number) : 0;
  const b = up ? (up[x] as number) : 0;
  const c = up && x >= bpp ? (up[x - bpp] as number) : 0;
  return t === 1 ? a : t === 2 ? b : t === 3 ? (a + b) >> 1 : t === 4 ? paeth(a, b, c) : 0;
}

/** Filter type t applied to byte x of `row` (previous row `up`, bytes per pixel `bpp`), unsigned result. */
const filtered = (t: number, row: Uint8Array, up: Uint8Array | null, x: number, bpp: number): number =>
  ((row[x] as number) - predictor(t, row, up, x, bpp)) & 0xff;

/** Encodes 8-bit RGBA pixels; `text` entries become tEXt (or iTXt for non-Latin-1 values) chunks. */
export async function encodePng(
  image: RgbaImage,
  text: Readonly<Record<string, string>> = {},
): Promise<Uint8Array> {
  const { width, height, data } = image;
  if (!isWellFormedRgba(image)) {
    throw new RangeError(`cannot encode a ${width}x${height} image from ${data.length} bytes`);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, adaptive filtering, no interlace
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    // the usual heuristic: the filter with the smallest sum of |signed residual|
    let best = 0;
    let bestCost = Infinity;
    for (let t = 0; t < 5; t++) {
      let cost = 0;
      for (let x = 0; x < stride && cost < bestCost; x++) {
        const v = filtered(t, row, up, x, 4);
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < bestCost) [best, bestCost] = [t, cost];
    }
    const at = y * (stride + 1);
    raw[at] = best;
    for (let x = 0; x < stride; x++) raw[at + 1 + x] = filtered(best, row, up, x, 4);
  }
  const idat = await zlib(raw, new CompressionStream('deflate'));
  const texts = Object.entries(text).map(([key, value]) => textChunk(key, value));
  return concat([
    Uint8Array.from(PNG_SIGNATURE),
    chunk('IHDR', header),
    ...texts,
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array()),
  ]);
}

export interface DecodedPng {
  readonly image: RgbaImage;
  /** tEXt, zTXt and iTXt entries by keyword. */
  readonly text: Record<string, string>;
}

/** Samples per pixel and allowed bit depths of each colour type. */
const COLOUR_TYPES: Record<number, { samples: number; depths: readonly number[] }> = {
  0: { samples: 1, depths: [1, 2, 4, 8, 16] }, // grey
  2: { samples: 3, depths: [8, 16] }, // RGB
  3: { samples: 1, depths: [1, 2, 4, 8] }, // palette
  4: { samples: 2, depths: [8, 16] }, // grey + alpha
  6: { samples: 4, depths: [8, 16] }, // RGBA
};

/** Adam7 passes: [x0, y0, dx, dy]. */
export const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

interface Header {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly colourType: number;
  readonly interlaced: boolean;
}

function parseHeader(data: Uint8Array): Header {
  if (data.length !== 13) throw new ImageDecodeError('corrupt PNG: IHDR has the wrong length');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const [width, height] = [view.getUint32(0), view.getUint32(4)];
  const [depth, colourType, compression, filter, interlace] = data.subarray(8) as unknown as number[];
  const type = COLOUR_TYPES[colourType as number];
  if (!width || !height) throw new ImageDecodeError(`corrupt PNG: size ${width}x${height}`);
  if (!type) throw new ImageDecodeError(`corrupt PNG: unknown colour type ${colourType}`);
  if (!type.depths.includes(depth as number))
    throw new ImageDecodeError(`corrupt PNG: bit depth ${depth} with colour type ${colourType}`);
  if (compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) {
    throw new ImageDecodeError('corrupt PNG: unknown compression, filter or interlace method');
  }
  return {
    width,
    height,
    depth: depth as number,
    colourType: colourType as number,
    interlaced: interlace === 1,
  };
}

async function readText(type: string, data: Uint8Array): Promise<[string, string] | null> {
  const zero = data.indexOf(0);
  if (zero < 1) return null;
  const key = String.fromCharCode(...data.subarray(0, zero));
  const rest = data.subarray(zero + 1);
  const inflate = async (bytes: Uint8Array) => zlib(bytes, new DecompressionStream('deflate'));
  if (type === 'tEXt') return [key, new TextDecoder('latin1').decode(rest)];
  if (type === 'zTXt') return [key, new TextDecoder('latin1').decode(await inflate(rest.subarray(1)))];
  // iTXt: compression flag, method, language tag NUL, translated keyword NUL, UTF-8 text
  const languageEnd = rest.indexOf(0, 2);
  const translatedEnd = languageEnd < 0 ? -1 : rest.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return null;
  const body = rest.subarray(translatedEnd + 1);
  return [key, new TextDecoder().decode(rest[0] === 1 ? await inflate(body) : body)];
}

interface PngChunk {
  readonly type: string;
  readonly data: Uint8Array;
}

/**
 * The chunks of a PNG from the signature up to IEND, each CRC-checked; nothing is inflated. Refuses a
 * missing signature, a first chunk other than IHDR, a truncated file and a CRC mismatch.
 */
function* pngChunks(bytes: Uint8Array): Generator<PngChunk> {
  if (!hasPngSignature(bytes)) throw new ImageDecodeError('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = PNG_SIGNATURE.length;
  for (let index = 0; ; index++) {
    if (offset + 12 > bytes.length) throw new ImageDecodeError('truncated PNG (no IEND chunk)');
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > bytes.length)
      throw new ImageDecodeError(`truncated PNG (in the ${type} chunk)`);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length)) {
      throw new ImageDecodeError(`corrupt PNG: CRC mismatch in the ${type} chunk`);
    }
    offset += 12 + length;
    if (index === 0 && type !== 'IHDR')
      throw new ImageDecodeError('corrupt PNG: the first chunk is not IHDR');
    if (type === 'IEND') return;
    yield { type, data };
  }
}

const TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);

/**
 * tEXt, zTXt and iTXt entries by keyword, read by walking the chunks: the image data is skipped, not
 * inflated (only compressed text is), so reading a dropped result's settings costs no pixel decode.
 * An unreadable text entry is left out; a damaged file throws ImageDecodeError.
 */
export async function readPngText(bytes: Uint8Array): Promise<Record<string, string>> {
  const text: Record<string, string> = {};
  for (const { type, data } of pngChunks(bytes)) {
    if (!TEXT_CHUNKS.has(type)) continue;
    const entry = await readText(type, data).catch(() => null);
    if (entry) text[entry[0]] = entry[1];
  }
  return text;
}

/** Decodes a PNG into 8-bit RGBA (16-bit samples rounded, low depths scaled, transparency applied). */
export async function decodePng(
  bytes: Uint8Array,
  maxPixels: number = LIMITS.image.maxPixels,
): Promise<DecodedPng> {
  let header: Header | null = null;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  const text: Record<string, string> = {};
  for (const { type, data } of pngChunks(bytes)) {
    if (type === 'IHDR') header = parseHeader(data);
    else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IDAT') idat.push(data);
    else if (TEXT_CHUNKS.has(type)) {
      const entry = await readText(type, data).catch(() => null);
      if (entry) text[entry[0]] = entry[1];
    }
  }
  const { width, height, depth, colourType, interlaced } = header as Header;
  if (width * height > maxPixels)
    throw new ImageDecodeError(`PNG is ${width}x${height}, over the ${maxPixels}-pixel limit`);
  if (colourType === 3 && !palette) throw new ImageDecodeError('corrupt PNG: palette image without PLTE');
  if (idat.length === 0) throw new ImageDecodeError('corrupt PNG: no image data');

  let raw: Uint8Array;
  try {
    raw = await zlib(concat(idat), new DecompressionStream('deflate'));
  } catch (error) {
    throw new ImageDecodeError(`corrupt PNG image data (${describeError(error)})`);
  }
  const samples = (COLOUR_TYPES[colourType] as { samples: number }).samples;
  const bitsPerPixel = samples * depth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const rgba = new Uint8ClampedArray(width * height * 4);
  const maxSample = (1 << depth) - 1;
  const key =
    transparency && (colourType === 0 || colourType === 2)
      ? new DataView(transparency.buffer, transparency.byteOffset, transparency.byteLength)
      : null;

  /** Sample s of pixel x in an unfiltered scanline, at full bit depth. */
  const sample = (line: Uint8Array, x: number, s: number): number => {
    if (depth === 16)
      return ((line[(x * samples + s) * 2] as number) << 8) | (line[(x * samples + s) * 2 + 1] as number);
    if (depth === 8) return line[x * samples + s] as number;
    const bit = x * depth;
    return ((line[bit >> 3] as number) >> (8 - depth - (bit & 7))) & maxSample;
  };
  const to8 = (v: number) => (depth === 8 ? v : Math.round((v * 255) / maxSample));

  let at = 0;
  const passes = interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  for (const [x0, y0, dx, dy] of passes) {
    const passW = Math.ceil((width - x0) / dx);
    const passH = Math.ceil((height - y0) / dy);
    if (passW <= 0 || passH <= 0) continue;
    const stride = Math.ceil((passW * bitsPerPixel) / 8);
    if (at + (stride + 1) * passH > raw.length) throw new ImageDecodeError('truncated PNG image data');
    let previous: Uint8Array | null = null;
    for (let py = 0; py < passH; py++) {
      const filter = raw[at] as number;
      const line = raw.subarray(at + 1, at + 1 + stride);
      at += stride + 1;
      if (filter > 4) throw new ImageDecodeError(`corrupt PNG: unknown filter ${filter}`);
      for (let x = 0; x < stride; x++)
        line[x] = (line[x] as number) + predictor(filter, line, previous, x, bpp);
      previous = line;
      for (let px = 0; px < passW; px++) {
        const o = ((y0 + py * dy) * width + x0 + px * dx) * 4;
        let r: number;
        let g: number;
        let b: number;
        let alpha = 255;
        if (colourType === 3) {
          const index = sample(line, px, 0);
          const p = palette as Uint8Array;
          if (index * 3 + 2 >= p.length)
            throw new ImageDecodeError(`corrupt PNG: palette index ${index} out of range`);
          [r, g, b] = [p[index * 3] as number, p[index * 3 + 1] as number, p[index * 3 + 2] as number];
          alpha = transparency?.[index] ?? 255;
        } else if (colourType === 0 || colourType === 4) {
          const grey = sample(line, px, 0);
          r = g = b = to8(grey);
          if (colourType === 4) alpha = to8(sample(line, px, 1));
          else if (key && key.byteLength >= 2 && grey === key.getUint16(0)) alpha = 0;
        } else {
          const [sr, sg, sb] = [sample(line, px, 0), sample(line, px, 1), sample(line, px, 2)];
          [r, g, b] = [to8(sr), to8(sg), to8(sb)];
          if (colourType === 6) alpha = to8(sample(line, px, 3));
          else if (
            key &&
            key.byteLength >= 6 &&
            sr === key.getUint16(0) &&
            sg === key.getUint16(2) &&
            sb === key.getUint16(4)
          )
            alpha = 0;
        }
        rgba[o] = r;
        rgba[o + 1] = g;
        rgba[o + 2] = b;
        rgba[o + 3] = alpha;
      }
    }
  }
  return { image: { width, height, data: rgba }, text };
}
