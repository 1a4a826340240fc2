import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { compositeOverWhite, decodeImageFile, decodePngFile } from '../../src/cli/image-files';
import { applyOrientation } from '../../src/engine/formats/exif-orientation';
import { encodePng } from '../../src/engine/formats/png';
import { jpegWithOrientation, pngWithOrientation } from '../engine/jpeg-fixtures';

describe('CLI image files', () => {
  it('composites transparency over white, as the page draws images', () => {
    const image = { width: 2, height: 1, data: Uint8ClampedArray.from([0, 0, 0, 0, 200, 100, 0, 128]) };
    expect(Array.from(compositeOverWhite(image).data)).toEqual([255, 255, 255, 255, 227, 177, 127, 255]);
  });

  it('turns a JPEG upright by its EXIF orientation and names unreadable files', async () => {
    const upright = await decodeImageFile('photo.jpg', jpegWithOrientation(40, 80, 8));
    expect([upright.width, upright.height]).toEqual([80, 40]);
    await expect(decodeImageFile('notes.txt', new TextEncoder().encode('hello'))).rejects.toThrow(
      'notes.txt: not an image the studio can read',
    );
    const gif = new TextEncoder().encode('GIF89a\x02\x00\x02\x00\x00\x00\x00\x00');
    await expect(decodeImageFile('a.gif', gif)).rejects.toThrow(
      /a\.gif: GIF is read by the studio page only/,
    );
  });

  it('turns a PNG upright by its eXIf orientation, as the studio does', async () => {
    const stored = await decodePngFile('shot.png', await pngWithOrientation(40, 80, 1));
    const upright = await decodeImageFile('shot.png', await pngWithOrientation(40, 80, 8));
    expect([upright.width, upright.height]).toEqual([80, 40]);
    expect(Array.from(upright.data)).toEqual(Array.from(applyOrientation(stored, 8).data));
  });

  it('decodes PNGs through the engine decoder to the pixels pngjs reads, and names a damaged chunk', async () => {
    const data = new Uint8ClampedArray(5 * 3 * 4).map((_, i) => (i * 37) % 256);
    const ours = await encodePng({ width: 5, height: 3, data });
    expect(Array.from((await decodePngFile('a.png', ours)).data)).toEqual(Array.from(data));
    for (const [colorType, bitDepth] of [
      [0, 16],
      [2, 8],
      [6, 16],
    ] as const) {
      const png = new PNG({ width: 4, height: 2, colorType, inputColorType: 6, bitDepth });
      png.data.set(Buffer.from(data.subarray(0, 32)));
      const bytes = PNG.sync.write(png, { colorType, inputColorType: 6, bitDepth });
      // pngjs, an independent decoder, is the reference: 16-bit samples rounded to 8 bits.
      expect(
        Array.from((await decodePngFile('b.png', new Uint8Array(bytes))).data),
        `colour ${colorType}`,
      ).toEqual(Array.from(PNG.sync.read(bytes).data));
    }
    const damaged = ours.slice();
    const at = Buffer.from(damaged).indexOf('IDAT') + 6;
    damaged[at] = (damaged[at] as number) ^ 0xff;
    await expect(decodePngFile('d.png', damaged)).rejects.toThrow(
      'd.png: corrupt PNG: CRC mismatch in the IDAT chunk',
    );
    await expect(decodePngFile('c.png', ours.subarray(0, 40))).rejects.toThrow('c.png: truncated PNG');
  });
});
