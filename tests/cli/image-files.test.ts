import { describe, expect, it } from 'vitest';
import { compositeOverWhite, decodeImageFile } from '../../src/cli/image-files';
import { jpegWithOrientation } from '../engine/jpeg-fixtures';

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
});
