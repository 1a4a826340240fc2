// Reads an image file for the CLI: PNG through the engine's decoder, JPEG through jpeg-js.
import jpeg from 'jpeg-js';
import { ImageDecodeError } from '../engine/errors';
import type { RgbaImage } from '../engine/image';
import { decodePng } from '../engine/png';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const MAX_PIXELS = 64 * 1024 * 1024;

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);

export async function decodeImageFile(name: string, bytes: Uint8Array): Promise<RgbaImage> {
  if (startsWith(bytes, PNG_SIGNATURE)) return (await decodePng(bytes)).image;
  if (startsWith(bytes, JPEG_SIGNATURE)) {
    try {
      const decoded = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_PIXELS / 1e6,
      });
      return {
        width: decoded.width,
        height: decoded.height,
        data: new Uint8ClampedArray(decoded.data.buffer),
      };
    } catch (error) {
      throw new ImageDecodeError(
        `${name}: not a readable JPEG (${error instanceof Error ? error.message : error})`,
      );
    }
  }
  throw new ImageDecodeError(`${name}: not a PNG or JPEG file`);
}
