// What the studio accepts as an input image, decided from the file's bytes before anything is decoded:
// the format from its signature, the dimensions from its header, and limits that keep a huge or hostile
// file from freezing the tab (a 12000 x 12000 image would need 576 MB as RGBA). Pure: the browser's
// decoding lives in src/features/image-input, this file only reads headers.
import { ImageDecodeError } from '../errors';
import { LIMITS } from '../limits';
import { hasPngSignature } from './png';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';

export interface ImageHeader {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  /** What the studio does with the file's peculiarities, for the user (e.g. "16-bit: reduced to 8-bit"). */
  readonly notes: readonly string[];
}

/** Limits on accepted files: bytes read at all, pixels decoded, and the longest side. */
export const IMAGE_LIMITS = LIMITS.image;

const u16be = (b: Uint8Array, o: number) => ((b[o] as number) << 8) | (b[o + 1] as number);
const u16le = (b: Uint8Array, o: number) => (b[o] as number) | ((b[o + 1] as number) << 8);
const u24le = (b: Uint8Array, o: number) => u16le(b, o) | ((b[o + 2] as number) << 16);
const u32be = (b: Uint8Array, o: number) => u16be(b, o) * 65536 + u16be(b, o + 2);
const i32le = (b: Uint8Array, o: number) => u16le(b, o) | (u16le(b, o + 2) << 16);
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return signature.every((v, i) => bytes[at + i] === v);
}

function truncated(name: string, format: string): ImageDecodeError {
  return new ImageDecodeError(`${name}: the ${format} file ends early (truncated or corrupt)`);
}

const PNG_COLOUR_NOTES: Record<number, string | null> = {
  0: 'grayscale: used as RGB',
  2: null,
  3: null,
  4: 'grayscale with alpha: used as RGB, transparency composited over white',
  6: 'alpha channel: any transparency composited over white',
};

function pngHeader(bytes: Uint8Array, name: string): ImageHeader {
  if (bytes.length < 33) throw truncated(name, 'PNG');
  if (ascii(bytes, 12, 4) !== 'IHDR')
    throw new ImageDecodeError(`${name}: malformed PNG (the first chunk is not IHDR)`);
  const bitDepth = bytes[24] as number;
  const colourType = bytes[25] as number;
  if (!(colourType in PNG_COLOUR_NOTES))
    throw new ImageDecodeError(`${name}: malformed PNG (colour type ${colourType})`);
  const notes = [PNG_COLOUR_NOTES[colourType], bitDepth === 16 ? '16 bits per channel: reduced to 8' : null];
  if (!endsWithPngEnd(bytes)) throw truncated(name, 'PNG');
  return {
    format: 'png',
    width: u32be(bytes, 16),
    height: u32be(bytes, 20),
    notes: notes.filter((n): n is string => n !== null),
  };
}

/** Whether an IEND chunk closes the PNG (a cut-off download lacks it). */
function endsWithPngEnd(bytes: Uint8Array): boolean {
  const tail = ascii(bytes, Math.max(0, bytes.length - 64), Math.min(64, bytes.length));
  return tail.includes('IEND');
}

const JPEG_COMPONENT_NOTES: Record<number, string | null> = {
  1: 'grayscale: used as RGB',
  3: null,
  4: 'CMYK: converted to RGB by the browser (colours may shift)',
};

function jpegHeader(bytes: Uint8Array, name: string): ImageHeader {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw new ImageDecodeError(`${name}: malformed JPEG (bad marker)`);
    const marker = bytes[offset + 1] as number;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = u16be(bytes, offset + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      if (offset + 10 > bytes.length) throw truncated(name, 'JPEG');
      const components = bytes[offset + 9] as number;
      if (!(components in JPEG_COMPONENT_NOTES))
        throw new ImageDecodeError(`${name}: JPEG with ${components} colour components is not supported`);
      if (!hasJpegEnd(bytes)) throw truncated(name, 'JPEG');
      const notes = [
        JPEG_COMPONENT_NOTES[components],
        bytes[offset + 4] === 12 ? '12-bit: reduced to 8' : null,
      ];
      return {
        format: 'jpeg',
        width: u16be(bytes, offset + 7),
        height: u16be(bytes, offset + 5),
        notes: notes.filter((n): n is string => n !== null),
      };
    }
    if (marker === 0xda || marker === 0xd9) break; // scan data or end before any frame header
    offset += 2 + length;
  }
  throw truncated(name, 'JPEG');
}

/** Whether the JPEG's end-of-image marker is near the end (a few trailing bytes are common). */
function hasJpegEnd(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= Math.max(0, bytes.length - 1024); i--)
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}

function gifHeader(bytes: Uint8Array, name: string): ImageHeader {
  if (bytes.length < 14) throw truncated(name, 'GIF');
  return {
    format: 'gif',
    width: u16le(bytes, 6),
    height: u16le(bytes, 8),
    notes: ['GIF: the first frame is used'],
  };
}

function webpHeader(bytes: Uint8Array, name: string): ImageHeader {
  if (bytes.length < 30) throw truncated(name, 'WebP');
  const chunk = ascii(bytes, 12, 4);
  const dimensions: Record<string, () => [number, number]> = {
    'VP8 ': () => [u16le(bytes, 26) & 0x3fff, u16le(bytes, 28) & 0x3fff],
    VP8L: () => {
      const bits = u16le(bytes, 21) | (u16le(bytes, 23) << 16);
      return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
    },
    VP8X: () => [u24le(bytes, 24) + 1, u24le(bytes, 27) + 1],
  };
  const read = dimensions[chunk];
  if (!read) throw new ImageDecodeError(`${name}: malformed WebP (chunk "${chunk}")`);
  const [width, height] = read();
  return { format: 'webp', width, height, notes: chunk === 'VP8X' ? ['WebP: the first frame is used'] : [] };
}

function bmpHeader(bytes: Uint8Array, name: string): ImageHeader {
  if (bytes.length < 26) throw truncated(name, 'BMP');
  return { format: 'bmp', width: Math.abs(i32le(bytes, 18)), height: Math.abs(i32le(bytes, 22)), notes: [] };
}

const SIGNATURES: ReadonlyArray<{
  readonly matches: (bytes: Uint8Array) => boolean;
  readonly header: (bytes: Uint8Array, name: string) => ImageHeader;
}> = [
  { matches: (b) => hasPngSignature(b), header: pngHeader },
  { matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]), header: jpegHeader },
  { matches: (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a', header: gifHeader },
  { matches: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP', header: webpHeader },
  { matches: (b) => ascii(b, 0, 2) === 'BM', header: bmpHeader },
];

/** Whether the bytes or the declared type say SVG (text that opens with an XML or svg tag). */
function looksLikeSvg(bytes: Uint8Array, mimeType: string): boolean {
  if (mimeType === 'image/svg+xml') return true;
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/, '');
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head);
}

/**
 * Reads format, size and peculiarities from a file's first bytes, refusing what the studio cannot or
 * should not decode: SVG, unknown formats, truncated headers, zero or oversized dimensions.
 */
export function readImageHeader(bytes: Uint8Array, name: string, mimeType = ''): ImageHeader {
  if (bytes.length === 0) throw new ImageDecodeError(`${name}: the file is empty`);
  if (bytes.length > IMAGE_LIMITS.maxFileBytes)
    throw new ImageDecodeError(
      `${name}: ${(bytes.length / 2 ** 20).toFixed(0)} MB is larger than the ${IMAGE_LIMITS.maxFileBytes / 2 ** 20} MB limit`,
    );
  if (looksLikeSvg(bytes, mimeType))
    throw new ImageDecodeError(
      `${name}: SVG is a vector format the models cannot read; export it as PNG first`,
    );
  const format = SIGNATURES.find((s) => s.matches(bytes));
  if (!format)
    throw new ImageDecodeError(`${name}: not an image the studio can read (PNG, JPEG, GIF, WebP or BMP)`);
  const header = format.header(bytes, name);
  checkDimensions(header.width, header.height, name);
  return header;
}

/** Refuses zero-sized and oversized images (by side and by pixel count). */
export function checkDimensions(width: number, height: number, name: string): void {
  if (width < 1 || height < 1) throw new ImageDecodeError(`${name}: the image is ${width}x${height} pixels`);
  if (Math.max(width, height) > IMAGE_LIMITS.maxSide || width * height > IMAGE_LIMITS.maxPixels)
    throw new ImageDecodeError(
      `${name}: ${width}x${height} is too large (at most ${IMAGE_LIMITS.maxSide} pixels a side and ${IMAGE_LIMITS.maxPixels / 1e6} megapixels); scale it down first`,
    );
}
