// JPEG test files with an EXIF orientation, built in memory (jpeg-js plus a hand-written APP1 segment).
import jpeg from 'jpeg-js';

/** A JPEG of `width` x `height` with an APP1 Exif segment declaring `orientation` (big-endian TIFF). */
export function jpegWithOrientation(
  width: number,
  height: number,
  orientation: number,
  littleEndian = false,
): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = (i % width) * 8; // red grows to the right
    data[i * 4 + 1] = Math.floor(i / width) * 8; // green grows downwards
    data[i * 4 + 3] = 255;
  }
  const encoded = new Uint8Array(jpeg.encode({ width, height, data }, 95).data);
  const u16 = (v: number) => (littleEndian ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff]);
  const u32 = (v: number) =>
    littleEndian ? [...u16(v & 0xffff), ...u16(v >>> 16)] : [...u16(v >>> 16), ...u16(v & 0xffff)];
  const tiff = [
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
  const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const segment = [0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
  return Uint8Array.from([...encoded.subarray(0, 2), ...segment, ...encoded.subarray(2)]);
}
