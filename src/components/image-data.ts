// One conversion from the engine's RgbaImage to the canvas ImageData every view paints with.
import type { RgbaImage } from '../engine/formats/pixels';

export function toImageData(image: RgbaImage): ImageData {
  return new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
}
