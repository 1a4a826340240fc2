// Draws an engine RgbaImage into a canvas, scaled up with crisp pixels; a view that marks something on
// the picture (the inspector's selected patch) passes an overlay instead of painting a canvas of its own.
import { toImageData } from './image-data';
import { useEffect, useRef, type CanvasHTMLAttributes } from 'react';
import type { RgbaImage } from '../engine/formats/pixels';

interface RgbaCanvasProps extends Omit<
  CanvasHTMLAttributes<HTMLCanvasElement>,
  'width' | 'height' | 'role' | 'style'
> {
  readonly image: RgbaImage;
  readonly label: string;
  /** Shown width and height in CSS pixels. */
  readonly size?: number;
  /** Drawn over the image after each paint, in image pixels; a new function repaints, so keep it stable. */
  readonly overlay?: (context: CanvasRenderingContext2D) => void;
}

export function RgbaCanvas({ image, label, size = 256, overlay, ...canvasProps }: RgbaCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(toImageData(image), 0, 0);
    overlay?.(context);
  }, [image, overlay]);
  return (
    <canvas
      {...canvasProps}
      ref={canvas}
      width={image.width}
      height={image.height}
      role="img"
      aria-label={label}
      style={{ width: size, height: size, imageRendering: 'pixelated' }}
    />
  );
}
