// Draws an engine RgbaImage into a canvas, scaled up with crisp pixels.
import { toImageData } from './image-data';
import { useEffect, useRef } from 'react';
import type { RgbaImage } from '../engine/formats/pixels';

export function RgbaCanvas({ image, label, size = 256 }: { image: RgbaImage; label: string; size?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(toImageData(image), 0, 0);
  }, [image]);
  return (
    <canvas
      ref={canvas}
      width={image.width}
      height={image.height}
      role="img"
      aria-label={label}
      style={{ width: size, height: size, imageRendering: 'pixelated' }}
    />
  );
}
