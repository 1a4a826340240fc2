// EXIF orientation (tag 0x0112), read from the file's bytes and applied to decoded pixels, so a photo
// taken sideways is upright before it is resized and cropped. It is read from a JPEG's APP1 Exif segment
// and from a PNG's eXIf chunk, by ONE function (readImageOrientation) that both surfaces call, so the same
// file gives the same pixels (and latents) in the CLI and the studio: the CLI decodes with jpeg-js and the
// engine's PNG decoder, which ignore the tag; the page hands the browser a copy with the tag set to 1
// (withoutImageOrientation; browsers apply a PNG's eXIf orientation as well as a JPEG's), so the
// browser's own orientation handling never runs, then applies applyOrientation to the decoded pixels.
// Pure: bytes and RgbaImage in, RgbaImage out.
import { crc32 } from './crc32';
import { hasPngSignature, PNG_SIGNATURE } from './png';
import type { RgbaImage } from './pixels';

/** EXIF orientation values 1..8 (1 = as stored). */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const ORIENTATION_TAG = 0x0112;

/** Where one IFD0 orientation entry's value lies in the file, and its TIFF byte order. */
interface OrientationEntry {
  readonly valueOffset: number;
  readonly littleEndian: boolean;
  /** For a PNG eXIf chunk: where its CRC-covered bytes (type + data) start and end (the CRC follows). */
  readonly pngChunk?: { readonly start: number; readonly end: number };
}

const isOrientation = (value: number): value is ExifOrientation => value >= 1 && value <= 8;

/**
 * The orientation a JPEG (APP1 Exif) or PNG (eXIf) declares; 1 for other formats, when there is none,
 * or when it is unreadable.
 */
export function readImageOrientation(bytes: Uint8Array): ExifOrientation {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of orientationEntries(bytes)) {
    const value = view.getUint16(entry.valueOffset, entry.littleEndian);
    if (isOrientation(value)) return value;
  }
  return 1;
}

/**
 * The file with every orientation entry set to 1 (a copy; the same array when all are 1 already), for a
 * decoder that would otherwise apply the tag itself; a PNG's eXIf chunk gets its CRC recomputed, so the
 * browser does not drop the chunk or the file. Browsers disagree on what createImageBitmap's
 * `imageOrientation: 'none'` means (before the 2023 rename it meant "apply the tag"), so the page removes
 * what there is to apply instead of relying on the option.
 */
export function withoutImageOrientation(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = orientationEntries(bytes).filter(
    (entry) => view.getUint16(entry.valueOffset, entry.littleEndian) !== 1,
  );
  if (entries.length === 0) return bytes;
  const copy = bytes.slice();
  const copyView = new DataView(copy.buffer);
  for (const entry of entries) {
    copyView.setUint16(entry.valueOffset, 1, entry.littleEndian);
    if (entry.pngChunk) {
      const { start, end } = entry.pngChunk;
      copyView.setUint32(end, crc32(copy.subarray(start, end)));
    }
  }
  return copy;
}

/** The IFD0 orientation entries the file declares (JPEG APP1 Exif, PNG eXIf), in file order. */
function orientationEntries(bytes: Uint8Array): OrientationEntry[] {
  if (hasPngSignature(bytes)) return pngOrientationEntries(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegOrientationEntries(bytes);
  return [];
}

/** IFD0 orientation entries of every APP1 Exif segment before the scan data, in file order. */
function jpegOrientationEntries(bytes: Uint8Array): OrientationEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: OrientationEntry[] = [];
  let offset = 2;
  while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1] as number;
    if (marker === 0xda || marker === 0xd9) break; // scan data: no more metadata segments
    const length = view.getUint16(offset + 2);
    const start = offset + 4;
    if (marker === 0xe1 && start + 14 <= bytes.length && view.getUint32(start) === EXIF_HEADER) {
      const entry = tiffOrientationEntry(view, start + 6, Math.min(bytes.length, offset + 2 + length));
      if (entry) entries.push(entry);
    }
    offset += 2 + length;
  }
  return entries;
}

/** "Exif": the start of the "Exif\0\0" header in front of a JPEG's TIFF structure. */
const EXIF_HEADER = 0x45786966;
/** "eXIf" as a big-endian chunk type. */
const EXIF_CHUNK = 0x65584966;
/** "IEND" as a big-endian chunk type. */
const END_CHUNK = 0x49454e44;

/**
 * The orientation entry of each eXIf chunk up to IEND. The chunk holds the TIFF structure itself; a
 * writer that put the JPEG "Exif\0\0" header in front of it is tolerated. Chunks are only walked, not
 * CRC-checked: the decoder checks them (a damaged file is refused there, with the chunk named).
 */
function pngOrientationEntries(bytes: Uint8Array): OrientationEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: OrientationEntry[] = [];
  for (let offset = PNG_SIGNATURE.length; offset + 12 <= bytes.length;) {
    const length = view.getUint32(offset);
    const type = view.getUint32(offset + 4);
    const data = offset + 8;
    const end = data + length;
    if (type === END_CHUNK || end + 4 > bytes.length) break;
    if (type === EXIF_CHUNK) {
      const tiff = length >= 6 && view.getUint32(data) === EXIF_HEADER ? data + 6 : data;
      const entry = tiffOrientationEntry(view, tiff, end);
      if (entry) entries.push({ ...entry, pngChunk: { start: offset + 4, end } });
    }
    offset = end + 4;
  }
  return entries;
}

/** IFD0's orientation entry of the TIFF structure at [tiff, end), if it has one. */
function tiffOrientationEntry(view: DataView, tiff: number, end: number): OrientationEntry | null {
  if (tiff + 8 > end) return null;
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const littleEndian = order === 0x4949;
  const u16 = (at: number) => (at + 2 <= end ? view.getUint16(at, littleEndian) : null);
  const u32 = (at: number) => (at + 4 <= end ? view.getUint32(at, littleEndian) : null);
  if (u16(tiff + 2) !== 42) return null;
  const ifd = u32(tiff + 4);
  if (ifd === null) return null;
  const count = u16(tiff + ifd);
  if (count === null) return null;
  for (let k = 0; k < count; k++) {
    const entry = tiff + ifd + 2 + 12 * k;
    if (u16(entry) !== ORIENTATION_TAG) continue;
    return u16(entry + 8) === null ? null : { valueOffset: entry + 8, littleEndian };
  }
  return null;
}

/**
 * Source pixel of output pixel (x, y) for each orientation, with W, H the stored size; orientations
 * 5-8 swap width and height.
 */
const SOURCE: Record<ExifOrientation, (x: number, y: number, w: number, h: number) => [number, number]> = {
  1: (x, y) => [x, y],
  2: (x, y, w) => [w - 1 - x, y],
  3: (x, y, w, h) => [w - 1 - x, h - 1 - y],
  4: (x, y, _w, h) => [x, h - 1 - y],
  5: (x, y) => [y, x],
  6: (x, y, _w, h) => [y, h - 1 - x],
  7: (x, y, w, h) => [w - 1 - y, h - 1 - x],
  8: (x, y, w) => [w - 1 - y, x],
};

/** The image as it should be displayed for `orientation` (a new image unless orientation is 1). */
export function applyOrientation(image: RgbaImage, orientation: ExifOrientation): RgbaImage {
  if (orientation === 1) return image;
  const { width, height, data } = image;
  const swap = orientation >= 5;
  const outWidth = swap ? height : width;
  const outHeight = swap ? width : height;
  const out = new Uint8ClampedArray(outWidth * outHeight * 4);
  const source = SOURCE[orientation];
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const [sx, sy] = source(x, y, width, height);
      const from = (sy * width + sx) * 4;
      const to = (y * outWidth + x) * 4;
      out[to] = data[from] as number;
      out[to + 1] = data[from + 1] as number;
      out[to + 2] = data[from + 2] as number;
      out[to + 3] = data[from + 3] as number;
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}
