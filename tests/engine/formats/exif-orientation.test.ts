import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  applyOrientation,
  readImageOrientation,
  withoutImageOrientation,
  type ExifOrientation,
} from '../../../src/engine/formats/exif-orientation';
import { decodePng, encodePng } from '../../../src/engine/formats/png';
import { jpegWithOrientation, pngWithOrientation } from '../jpeg-fixtures';

const IMAGE = {
  width: 3,
  height: 2,
  // pixel values 0..5 in the red channel, row-major
  data: Uint8ClampedArray.from({ length: 24 }, (_, i) => (i % 4 === 0 ? i / 4 : 255)),
};
const reds = (image: { data: Uint8ClampedArray }) => Array.from(image.data).filter((_, i) => i % 4 === 0);

describe('EXIF orientation (JPEG APP1 and PNG eXIf)', () => {
  it('reads the orientation tag in either byte order, 1 when absent', () => {
    expect(readImageOrientation(jpegWithOrientation(4, 2, 6))).toBe(6);
    expect(readImageOrientation(jpegWithOrientation(4, 2, 3, true))).toBe(3);
    expect(readImageOrientation(jpegWithOrientation(4, 2, 0))).toBe(1);
    const plain = new Uint8Array(jpeg.encode({ width: 2, height: 2, data: new Uint8Array(16) }).data);
    expect(readImageOrientation(plain)).toBe(1);
  });

  it('sets the tag to 1 in a copy for a decoder that would apply it, leaving the rest as it was', () => {
    for (const littleEndian of [false, true]) {
      const rotated = jpegWithOrientation(4, 2, 6, littleEndian);
      const stored = withoutImageOrientation(rotated);
      expect(readImageOrientation(stored)).toBe(1);
      expect(readImageOrientation(rotated)).toBe(6); // the caller's bytes are not changed
      const changed = [...stored.keys()].filter((i) => stored[i] !== rotated[i]);
      expect(changed).toHaveLength(1); // the value's low byte; the pixels decode as before
      expect(jpeg.decode(stored, { useTArray: true }).data).toEqual(
        jpeg.decode(rotated, { useTArray: true }).data,
      );
    }
    const upright = jpegWithOrientation(4, 2, 1);
    expect(withoutImageOrientation(upright)).toBe(upright);
    const plain = new Uint8Array(jpeg.encode({ width: 2, height: 2, data: new Uint8Array(16) }).data);
    expect(withoutImageOrientation(plain)).toBe(plain);
  });

  it('reads a PNG eXIf chunk’s orientation with the same function, in either byte order', async () => {
    expect(readImageOrientation(await pngWithOrientation(4, 2, 6))).toBe(6);
    expect(readImageOrientation(await pngWithOrientation(4, 2, 3, { littleEndian: true }))).toBe(3);
    expect(readImageOrientation(await pngWithOrientation(4, 2, 8, { exifHeader: true }))).toBe(8);
    expect(readImageOrientation(await pngWithOrientation(4, 2, 0))).toBe(1); // not an orientation
    const plain = await encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(16) });
    expect(readImageOrientation(plain)).toBe(1);
    // a cut-off eXIf chunk, or bytes of no known format, read as "as stored"
    const rotated = await pngWithOrientation(4, 2, 6);
    expect(readImageOrientation(rotated.subarray(0, 8 + 25 + 20))).toBe(1);
    expect(readImageOrientation(new TextEncoder().encode('GIF89a'))).toBe(1);
  });

  it('sets a PNG’s orientation to 1 in a copy with the eXIf CRC recomputed, pixels untouched', async () => {
    const rotated = await pngWithOrientation(4, 2, 6);
    const stored = withoutImageOrientation(rotated);
    expect(readImageOrientation(stored)).toBe(1);
    expect(readImageOrientation(rotated)).toBe(6);
    const changed = [...stored.keys()].filter((i) => stored[i] !== rotated[i]);
    expect(changed.length).toBeGreaterThan(1); // the value's low byte and the chunk's CRC
    expect(changed.length).toBeLessThanOrEqual(5);
    // the engine's decoder checks every CRC: the copy is still a valid PNG with the same pixels
    expect((await decodePng(stored)).image).toEqual((await decodePng(rotated)).image);
    const upright = await pngWithOrientation(4, 2, 1);
    expect(withoutImageOrientation(upright)).toBe(upright);
  });

  // Stored:   0 1 2      as the EXIF specification displays each orientation
  //           3 4 5
  it.each([
    [1, 3, [0, 1, 2, 3, 4, 5]],
    [2, 3, [2, 1, 0, 5, 4, 3]],
    [3, 3, [5, 4, 3, 2, 1, 0]],
    [4, 3, [3, 4, 5, 0, 1, 2]],
    [5, 2, [0, 3, 1, 4, 2, 5]],
    [6, 2, [3, 0, 4, 1, 5, 2]],
    [7, 2, [5, 2, 4, 1, 3, 0]],
    [8, 2, [2, 5, 1, 4, 0, 3]],
  ] as const)('orientation %i', (orientation, width, expected) => {
    const out = applyOrientation(IMAGE, orientation as ExifOrientation);
    expect(out.width).toBe(width);
    expect(out.height).toBe(6 / width);
    expect(reds(out)).toEqual(expected);
  });
});
