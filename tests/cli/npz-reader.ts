// A small .npz reader for tests: walks the zip's central directory (ZIP64 fields included), checks
// every entry is stored with a matching CRC-32, and parses each .npy with the engine's parser.
import { crc32 } from '../../src/engine/formats/crc32';
import { parseNpy, type NpyArray } from '../../src/engine/formats/npy';

const U32_MAX = 0xffff_ffff;

export function readNpz(bytes: Uint8Array): Record<string, NpyArray> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (at: number) => view.getUint32(at, true) + view.getUint32(at + 4, true) * 0x1_0000_0000;
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('no end of central directory');
  let entries = view.getUint16(end + 10, true);
  let directory = view.getUint32(end + 16, true);
  if (directory === U32_MAX) {
    const locator = end - 20;
    if (view.getUint32(locator, true) !== 0x07064b50) throw new Error('no ZIP64 locator');
    const record = u64(locator + 8);
    entries = u64(record + 32);
    directory = u64(record + 48);
  }
  const arrays: Record<string, NpyArray> = {};
  let at = directory;
  for (let k = 0; k < entries; k++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error(`bad central header at ${at}`);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let offset = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    let extra = at + 46 + nameLength;
    if (extraLength && view.getUint16(extra, true) === 0x0001) {
      extra += 4;
      if (size === U32_MAX) {
        size = u64(extra);
        extra += 16;
      }
      if (offset === U32_MAX) offset = u64(extra);
    }
    if (method !== 0) throw new Error(`${name}: not stored`);
    const localName = view.getUint16(offset + 26, true);
    const localExtra = view.getUint16(offset + 28, true);
    if (view.getUint32(offset + 14, true) !== crc) throw new Error(`${name}: local and central CRC differ`);
    const data = bytes.subarray(
      offset + 30 + localName + localExtra,
      offset + 30 + localName + localExtra + size,
    );
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    arrays[name.replace(/\.npy$/, '')] = parseNpy(data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return arrays;
}
