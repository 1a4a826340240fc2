// The browser's half of image loading, faked for Node: createImageBitmap decodes JPEGs with jpeg-js and
// PNGs with pngjs (which, like a browser handed an orientation tag of 1, apply no orientation) and refuses
// anything else as a browser refuses corrupt data; OffscreenCanvas copies a bitmap at its own size (the fixtures
// are below the loader's working side, so nothing is scaled). It records the orientation tag of each
// file it was asked to decode, so a test can tell whether the browser would have turned the image.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { expect, vi } from 'vitest';
import { readImageOrientation } from '../../../src/engine/formats/exif-orientation';
import { hasPngSignature } from '../../../src/engine/formats/png';

interface FakeBitmap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  close(): void;
}

class FakeCanvas {
  private readonly pixels: Uint8ClampedArray;
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

/** Installs the fakes; returns the orientation tags the fake browser saw. Undo with vi.unstubAllGlobals. */
export function stubBrowserDecoder(): number[] {
  const decodedOrientations: number[] = [];
  vi.stubGlobal('OffscreenCanvas', FakeCanvas);
  vi.stubGlobal('createImageBitmap', async (blob: Blob): Promise<FakeBitmap> => {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    decodedOrientations.push(readImageOrientation(bytes));
    const { width, height, data } = hasPngSignature(bytes)
      ? PNG.sync.read(Buffer.from(bytes))
      : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width, height, data, close: () => undefined };
  });
  return decodedOrientations;
}
