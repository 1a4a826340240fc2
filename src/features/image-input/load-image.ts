// Browser decoding of a user's image, shared by every view that takes one. The bytes are checked first
// (src/engine/formats/image-input: format, header dimensions, limits), so a huge or non-image file is
// refused before the browser decodes anything; then createImageBitmap decodes off the main thread (GIFs
// give their first frame), and a canvas turns it into an RgbaImage, transparency composited over white
// and scaled so its short side is at most WORKING_SIDE. A JPEG's or PNG's EXIF orientation is applied by
// the engine's code (engine/formats/exif-orientation.ts), as the CLI applies it, not by the browser: the
// browser gets the file with the tag set to 1, so a photo is turned the same way on both surfaces.
import { ImageDecodeError } from '../../engine/errors';
import {
  applyOrientation,
  readImageOrientation,
  withoutImageOrientation,
} from '../../engine/formats/exif-orientation';
import type { RgbaImage } from '../../engine/formats/pixels';
import { IMAGE_LIMITS, readImageHeader, type ImageHeader } from '../../engine/formats/image-input';

/** The short side images are kept at after loading: far above any model resolution, far below a photo. */
const WORKING_SIDE = 1024;

export interface LoadedImage {
  readonly name: string;
  readonly image: RgbaImage;
  readonly header: ImageHeader;
  /** Size after EXIF orientation, before scaling to WORKING_SIDE. */
  readonly orientedWidth: number;
  readonly orientedHeight: number;
}

export async function loadImageBlob(blob: Blob, name: string): Promise<LoadedImage> {
  if (blob.size > IMAGE_LIMITS.maxFileBytes) {
    throw new ImageDecodeError(
      `${name}: ${(blob.size / 2 ** 20).toFixed(0)} MB is larger than the ${IMAGE_LIMITS.maxFileBytes / 2 ** 20} MB limit`,
    );
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const header = readImageHeader(bytes, name, blob.type);
  // JPEG APP1 Exif and PNG eXIf: the orientation the CLI applies too (engine/formats/exif-orientation.ts).
  const orientation = readImageOrientation(bytes);
  const stored = withoutImageOrientation(bytes);
  // A changed file is a fresh copy (Uint8Array.slice), whose buffer holds exactly its bytes.
  const decodable = stored === bytes ? blob : new Blob([stored.buffer as ArrayBuffer], { type: blob.type });
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(decodable, { premultiplyAlpha: 'default' });
  } catch (error) {
    throw new ImageDecodeError(
      `${name}: the browser could not decode this ${header.format.toUpperCase()} (corrupt or truncated data)`,
      { cause: error },
    );
  }
  try {
    // Scaled as stored, then oriented: the short side is the same either way, and turning the scaled
    // pixels is cheaper than turning a full-size photo.
    const scale = Math.min(1, WORKING_SIDE / Math.min(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new ImageDecodeError(`${name}: no 2D canvas to read the pixels with`);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    const pixels = context.getImageData(0, 0, width, height);
    const turned = orientation >= 5; // orientations 5-8 swap width and height
    return {
      name,
      image: applyOrientation({ width, height, data: pixels.data }, orientation),
      header,
      orientedWidth: turned ? bitmap.height : bitmap.width,
      orientedHeight: turned ? bitmap.width : bitmap.height,
    };
  } finally {
    bitmap.close();
  }
}
