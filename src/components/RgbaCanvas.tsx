// Draws an engine RgbaImage into a canvas, scaled to `size` with crisp pixels (or smoothed, for a photo
// shown smaller than it is); a view that marks something on the picture (the inspector's selected
// patch, the crop preview's square) passes an overlay instead of painting a canvas of its own.
import { toImageData } from './image-data';
import { useEffect, useRef, type CanvasHTMLAttributes } from 'react';
import type { RgbaImage } from '../engine/formats/pixels';

interface RgbaCanvasProps extends Omit<
  CanvasHTMLAttributes<HTMLCanvasElement>,
  'width' | 'height' | 'role' | 'style'
> {
  readonly image: RgbaImage;
  readonly label: string;
  /** Shown length of the picture's longer side in CSS pixels; the other side keeps its proportion. */
  readonly size?: number;
  /** Let the browser smooth the scaled picture (a loaded photo) instead of keeping its pixels crisp. */
  readonly smooth?: boolean;
  /** Drawn over the image after each paint, in image pixels; a new function repaints, so keep it stable. */
  readonly overlay?: (context: CanvasRenderingContext2D) => void;
}

export function RgbaCanvas({
  image,
  label,
  size = 256,
  smooth = false,
  overlay,
  ...canvasProps
}: RgbaCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(toImageData(image), 0, 0);
    overlay?.(context);
  }, [image, overlay]);
  const longerSide = Math.max(image.width, image.height);
  return (
    <canvas
      {...canvasProps}
      ref={canvas}
      width={image.width}
      height={image.height}
      role="img"
      aria-label={label}
      style={{
        width: (image.width * size) / longerSide,
        height: (image.height * size) / longerSide,
        imageRendering: smooth ? undefined : 'pixelated',
      }}
    />
  );
}
