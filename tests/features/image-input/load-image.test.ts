// The page's image loading with the browser's decoder faked by jpeg-js (which, like a browser handed a
// tag of 1, applies no orientation): the browser must receive the JPEG with its orientation set to 1,
// and the engine's orientation must be applied once, so the page's pixels equal the CLI's.
import jpeg from 'jpeg-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeImageFile } from '../../../src/cli/image-files';
import { readJpegOrientation } from '../../../src/engine/formats/exif-orientation';
import { loadImageBlob } from '../../../src/features/image-input/load-image';
import { jpegWithOrientation } from '../../engine/jpeg-fixtures';

interface FakeBitmap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  close(): void;
}

/** The orientation tag of every file the fake browser was asked to decode. */
let decodedOrientations: number[] = [];

/** A 2D context that can only copy a bitmap at its own size (the fixtures are below WORKING_SIDE). */
class FakeCanvas {
  private pixels: Uint8ClampedArray;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8ClampedArray(width * height * 4);
  }
  getContext() {
    return {
      fillStyle: '',
      imageSmoothingQuality: 'low',
      fillRect: () => this.pixels.fill(255),
      drawImage: (bitmap: FakeBitmap, _x: number, _y: number, width: number, height: number) => {
        expect([width, height]).toEqual([bitmap.width, bitmap.height]);
        this.pixels.set(bitmap.data);
      },
      getImageData: () => ({ data: this.pixels }),
    };
  }
}

beforeEach(() => {
  decodedOrientations = [];
  vi.stubGlobal('OffscreenCanvas', FakeCanvas);
  vi.stubGlobal('createImageBitmap', async (blob: Blob): Promise<FakeBitmap> => {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    decodedOrientations.push(readJpegOrientation(bytes));
    const { width, height, data } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width, height, data, close: () => undefined };
  });
});

afterEach(() => vi.unstubAllGlobals());

describe('loadImageBlob', () => {
  it.each([1, 3, 6, 8])(
    'orientation %i: the browser decodes as stored, the engine turns it, pixels equal the CLI’s',
    async (orientation) => {
      const file = jpegWithOrientation(12, 6, orientation);
      const page = await loadImageBlob(new Blob([file], { type: 'image/jpeg' }), 'photo.jpg');
      const cli = await decodeImageFile('photo.jpg', file);

      expect(decodedOrientations).toEqual([1]);
      expect([page.image.width, page.image.height]).toEqual([cli.width, cli.height]);
      expect([page.orientedWidth, page.orientedHeight]).toEqual([cli.width, cli.height]);
      expect(Array.from(page.image.data)).toEqual(Array.from(cli.data));
    },
  );

  it('leaves a JPEG without orientation as it is', async () => {
    const file = jpegWithOrientation(4, 2, 0);
    const page = await loadImageBlob(new Blob([file], { type: 'image/jpeg' }), 'plain.jpg');
    expect([page.image.width, page.image.height]).toEqual([4, 2]);
  });
});
