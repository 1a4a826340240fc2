// JPEG and PNG test files with an EXIF orientation, built in memory (jpeg-js plus a hand-written APP1
// segment; the engine's PNG encoder plus a hand-written eXIf chunk).
import jpeg from 'jpeg-js';
import { crc32 } from '../../src/engine/formats/crc32';
import { encodePng } from '../../src/engine/formats/png';

/** A TIFF structure whose IFD0 has one entry: orientation (a SHORT), in either byte order. */
export function orientationTiff(orientation: number, littleEndian = false): number[] {
  const u16 = (v: number) => (littleEndian ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff]);
  const u32 = (v: number) =>
    littleEndian ? [...u16(v & 0xffff), ...u16(v >>> 16)] : [...u16(v >>> 16), ...u16(v & 0xffff)];
  return [
    ...(littleEndian ? [0x49, 0x49] : [0x4d, 0x4d]),
    ...u16(42),
    ...u32(8),
    ...u16(1), // one IFD entry
    ...u16(0x0112),
    ...u16(3), // SHORT
    ...u32(1),
    ...u16(orientation),
    0,
    0,
    ...u32(0), // no next IFD
  ];
}

/** Pixels whose red grows to the right and green downwards, so every orientation is told apart. */
function gradient(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = (i % width) * 8; // red grows to the right
    data[i * 4 + 1] = Math.floor(i / width) * 8; // green grows downwards
    data[i * 4 + 3] = 255;
  }
  return data;
}

/** A JPEG of `width` x `height` with an APP1 Exif segment declaring `orientation` (big-endian TIFF). */
export function jpegWithOrientation(
  width: number,
  height: number,
  orientation: number,
  littleEndian = false,
): Uint8Array {
  const encoded = new Uint8Array(jpeg.encode({ width, height, data: gradient(width, height) }, 95).data);
  const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...orientationTiff(orientation, littleEndian)];
  const segment = [0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
  return Uint8Array.from([...encoded.subarray(0, 2), ...segment, ...encoded.subarray(2)]);
}

/**
 * A PNG of `width` x `height` with an eXIf chunk right after IHDR (before IDAT, where the PNG spec puts
 * it) declaring `orientation`; `exifHeader` puts the JPEG "Exif\0\0" header in front, as some writers do.
 */
export async function pngWithOrientation(
  width: number,
  height: number,
  orientation: number,
  { littleEndian = false, exifHeader = false } = {},
): Promise<Uint8Array> {
  const pixels = new Uint8ClampedArray(gradient(width, height));
  const encoded = await encodePng({ width, height, data: pixels });
  const header = exifHeader ? [0x45, 0x78, 0x69, 0x66, 0, 0] : [];
  const data = [...header, ...orientationTiff(orientation, littleEndian)];
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set([0x65, 0x58, 0x49, 0x66], 4); // "eXIf"
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  const afterHeader = 8 + 25; // the signature, then IHDR (13 bytes of data plus length, type and CRC)
  return Uint8Array.from([...encoded.subarray(0, afterHeader), ...chunk, ...encoded.subarray(afterHeader)]);
}
