// Reads an input image file for the CLI with the page's rules: the same header check and limits
// (engine/formats/image-input.ts: format from the signature, size limits, SVG and truncated files refused), PNG
// through the engine's decoder, the one the page uses too (every colour type and bit depth, palettes, tRNS,
// Adam7, CRCs checked; why it is not a library: engine/formats/png.ts), JPEG through jpeg-js, either one
// turned by its EXIF orientation (JPEG APP1 or PNG eXIf: readImageOrientation of
// engine/formats/exif-orientation.ts, the page's function too), and transparency over white, so the same
// photo gives the model the same pixels as in the studio.
import jpeg from 'jpeg-js';
import { describeError } from '../engine/api/describe-error';
import { ImageDecodeError } from '../engine/errors';
import { applyOrientation, readImageOrientation } from '../engine/formats/exif-orientation';
import type { RgbaImage } from '../engine/formats/pixels';
import { IMAGE_LIMITS, readImageHeader } from '../engine/formats/image-input';
import { decodePng } from '../engine/formats/png';
import { readRegularFile } from '../runtime/ort-node';

/** Reads and decodes `file`; every refusal is an ImageDecodeError naming the path. */
export async function readImageFile(file: string): Promise<RgbaImage> {
  const bytes = await readRegularFile(
    file,
    IMAGE_LIMITS.maxFileBytes,
    (message) => new ImageDecodeError(message),
  );
  return compositeOverWhite(await decodeImageFile(file, bytes));
}

/**
 * Transparency composited over white, as the page does when it draws an image on a white canvas
 * (src/features/image-input/load-image.ts), so a PNG with alpha gives the model the same colours.
 */
export function compositeOverWhite(image: RgbaImage): RgbaImage {
  const data = new Uint8ClampedArray(image.data.length);
  for (let i = 0; i < data.length; i += 4) {
    const alpha = (image.data[i + 3] as number) / 255;
    for (let c = 0; c < 3; c++) {
      data[i + c] = Math.round((image.data[i + c] as number) * alpha + 255 * (1 - alpha));
    }
    data[i + 3] = 255;
  }
  return { width: image.width, height: image.height, data };
}

/** The file's pixels, upright by its EXIF orientation (JPEG APP1 or PNG eXIf), as the page turns them. */
export async function decodeImageFile(name: string, bytes: Uint8Array): Promise<RgbaImage> {
  const header = readImageHeader(bytes, name);
  if (header.format !== 'png' && header.format !== 'jpeg') {
    throw new ImageDecodeError(
      `${name}: ${header.format.toUpperCase()} is read by the studio page only; the CLI reads PNG and JPEG`,
    );
  }
  const stored = header.format === 'png' ? await decodePngFile(name, bytes) : decodeJpegFile(name, bytes);
  return applyOrientation(stored, readImageOrientation(bytes));
}

/** A JPEG as RGBA, as stored (no orientation applied). */
function decodeJpegFile(name: string, bytes: Uint8Array): RgbaImage {
  let decoded;
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: IMAGE_LIMITS.maxPixels / 1e6,
    });
  } catch (error) {
    throw new ImageDecodeError(`${name}: not a readable JPEG (${describeError(error)})`);
  }
  return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data.buffer) };
}

/**
 * A PNG as 8-bit RGBA, as stored: 16-bit samples rounded, low depths scaled, tRNS applied; neither gamma
 * (the page's canvas ignores it too) nor orientation (decodeImageFile applies it; the CLI's own output
 * PNGs are read back with this). The decoder checks the size against the pixel limit before it
 * inflates anything; its message (the damaged chunk named) gets the file's name in front.
 */
export async function decodePngFile(name: string, bytes: Uint8Array): Promise<RgbaImage> {
  try {
    return (await decodePng(bytes)).image;
  } catch (error) {
    throw new ImageDecodeError(`${name}: ${describeError(error)}`);
  }
}
