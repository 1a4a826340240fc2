// Input images through both surfaces, table-driven: the page's loader (src/features/image-input, the
// browser's decoder faked by jpeg-js) and the CLI's reader (src/cli/image-files.ts). A photo with any
// EXIF orientation gives the same pixels on both (defect 8: the CLI ignored the tag the page applied);
// a file neither can use is refused by both with the same ImageDecodeError naming the file.
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { decodeImageFile } from '../../src/cli/image-files';
import { ImageDecodeError } from '../../src/engine/errors';
import { loadImageBlob } from '../../src/features/image-input/load-image';
import { jpegWithOrientation } from '../engine/jpeg-fixtures';
import { stubBrowserDecoder } from '../features/image-input/fake-browser-decoder';
import { badInputCases } from './suite';

const text = (value: string) => new TextEncoder().encode(value);
const hex = (value: string) => Uint8Array.from(value.match(/../g) ?? [], (byte) => parseInt(byte, 16));
/** A PNG signature and IHDR of the given size, closed by IEND (no pixel data: refused from the header). */
const pngHeader = (width: number, height: number) =>
  hex(
    `89504e470d0a1a0a0000000d49484452${width.toString(16).padStart(8, '0')}${height.toString(16).padStart(8, '0')}0806000000000000000000000049454e44ae426082`,
  );

interface ImageCase {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The refusal both surfaces give; absent: both decode it to the same, upright, pixels. */
  readonly refusal?: string;
  /** Upright size, and the stored corner that must end up top-left (the EXIF specification's turns). */
  readonly upright?: { readonly size: readonly [number, number]; readonly topLeftFrom: Corner };
}

/** The fixture's colours at its stored corners: red grows 8 a pixel to the right, green 8 downwards. */
const STORED_CORNERS = {
  'top-left': [0, 0],
  'top-right': [40, 0],
  'bottom-left': [0, 24],
  'bottom-right': [40, 24],
} as const;
type Corner = keyof typeof STORED_CORNERS;
const TOP_LEFT_FROM: Readonly<Record<number, Corner>> = {
  2: 'top-right',
  3: 'bottom-right',
  4: 'bottom-left',
  5: 'top-left',
  6: 'bottom-left',
  7: 'bottom-right',
  8: 'top-right',
};

const CASES: readonly ImageCase[] = [
  ...Object.entries(TOP_LEFT_FROM).map(([orientation, topLeftFrom]) => ({
    name: `JPEG with EXIF orientation ${orientation}`,
    bytes: jpegWithOrientation(6, 4, Number(orientation), Number(orientation) % 2 === 0),
    upright: { size: Number(orientation) >= 5 ? ([4, 6] as const) : ([6, 4] as const), topLeftFrom },
  })),
  { name: 'empty file', bytes: new Uint8Array(), refusal: 'input: the file is empty' },
  {
    name: 'a text file',
    bytes: text('hello, not an image'),
    refusal: 'input: not an image the studio can read (PNG, JPEG, GIF, WebP or BMP)',
  },
  {
    name: 'an SVG',
    bytes: text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'),
    refusal: 'input: SVG is a vector format the models cannot read; export it as PNG first',
  },
  {
    name: 'a PNG header claiming 12000 x 12000',
    bytes: pngHeader(12000, 12000),
    refusal:
      'input: 12000x12000 is too large (at most 16384 pixels a side and 40 megapixels); scale it down first',
  },
  { name: 'a PNG 0 pixels wide', bytes: pngHeader(0, 16), refusal: 'input: the image is 0x16 pixels' },
  {
    name: 'a PNG whose first chunk is not IHDR',
    bytes: (() => {
      const bytes = pngHeader(4, 4);
      bytes.set(text('IDAT'), 12);
      return bytes;
    })(),
    refusal: 'input: malformed PNG (the first chunk is not IHDR)',
  },
  {
    name: 'a JPEG cut off after its first bytes',
    bytes: jpegWithOrientation(8, 8, 1).subarray(0, 40),
    refusal: 'input: the JPEG file ends early (truncated or corrupt)',
  },
];

beforeEach(() => void stubBrowserDecoder());
afterEach(() => vi.unstubAllGlobals());

const outcome = (run: () => Promise<{ width: number; height: number; data: Uint8ClampedArray }>) =>
  run().then(
    (image) => ({ size: [image.width, image.height], pixels: Array.from(image.data) }),
    (error: unknown) => error,
  );

badInputCases('unit', 'input images (page and CLI)', CASES, async ({ bytes, refusal, upright }) => {
  const page = await outcome(async () => (await loadImageBlob(new Blob([bytes.slice()]), 'input')).image);
  const cli = await outcome(() => decodeImageFile('input', bytes));
  if (upright) {
    expect(page).toEqual(cli);
    const { size, pixels } = cli as { size: number[]; pixels: number[] };
    expect(size).toEqual(upright.size);
    const [red, green] = STORED_CORNERS[upright.topLeftFrom];
    expect(Math.abs((pixels[0] as number) - red)).toBeLessThanOrEqual(8); // JPEG rounding
    expect(Math.abs((pixels[1] as number) - green)).toBeLessThanOrEqual(8);
    return;
  }
  for (const error of [page, cli]) {
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as Error).message).toBe(refusal);
  }
});
