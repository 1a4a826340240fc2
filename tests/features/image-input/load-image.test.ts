// The page's image loading with the browser's decoder faked (fake-browser-decoder.ts): the browser must
// receive the JPEG or PNG with its orientation set to 1, and the engine's orientation must be applied
// once, so the page's pixels equal the CLI's.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeImageFile } from '../../../src/cli/image-files';
import { loadImageBlob } from '../../../src/features/image-input/load-image';
import { jpegWithOrientation, pngWithOrientation } from '../../engine/jpeg-fixtures';
import { stubBrowserDecoder } from './fake-browser-decoder';

let decodedOrientations: number[] = [];
beforeEach(() => {
  decodedOrientations = stubBrowserDecoder();
});
afterEach(() => vi.unstubAllGlobals());

describe('loadImageBlob', () => {
  it.each([1, 3, 6, 8])(
    'orientation %i: the browser decodes as stored, the engine turns it, pixels equal the CLI’s',
    async (orientation) => {
      const file = jpegWithOrientation(12, 6, orientation);
      const page = await loadImageBlob(new Blob([file.slice()], { type: 'image/jpeg' }), 'photo.jpg');
      const cli = await decodeImageFile('photo.jpg', file);

      expect(decodedOrientations).toEqual([1]);
      expect([page.image.width, page.image.height]).toEqual([cli.width, cli.height]);
      expect([page.orientedWidth, page.orientedHeight]).toEqual([cli.width, cli.height]);
      expect(Array.from(page.image.data)).toEqual(Array.from(cli.data));
    },
  );

  it.each([3, 6, 8])(
    'PNG eXIf orientation %i: turned by the engine as the CLI turns it, the browser given 1',
    async (orientation) => {
      const file = await pngWithOrientation(12, 6, orientation);
      const page = await loadImageBlob(new Blob([file.slice()], { type: 'image/png' }), 'shot.png');
      const cli = await decodeImageFile('shot.png', file);

      expect(decodedOrientations).toEqual([1]);
      expect([cli.width, cli.height]).toEqual(orientation >= 5 ? [6, 12] : [12, 6]);
      expect([page.image.width, page.image.height]).toEqual([cli.width, cli.height]);
      expect([page.orientedWidth, page.orientedHeight]).toEqual([cli.width, cli.height]);
      expect(Array.from(page.image.data)).toEqual(Array.from(cli.data));
    },
  );

  it('leaves a JPEG without orientation as it is', async () => {
    const file = jpegWithOrientation(4, 2, 0);
    const page = await loadImageBlob(new Blob([file.slice()], { type: 'image/jpeg' }), 'plain.jpg');
    expect([page.image.width, page.image.height]).toEqual([4, 2]);
  });
});
