// The edit source with a region box drawn by dragging the mouse; the box is kept in fractions of the
// image (x, y, width, height in [0, 1]) so it maps directly onto the latent token grid.
import { useRef, useState, type PointerEvent } from 'react';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import type { RgbaImage } from '../../engine/formats/pixels';
import type { RegionBox } from '../../engine/schedulers/start';

export interface BoxCanvasProps {
  readonly image: RgbaImage;
  readonly box: RegionBox | null;
  readonly onBox: (box: RegionBox) => void;
  readonly size: number;
}

/** Clamped to [0, 1] and rounded to 0.001 (what the numeric fields show). */
const clamp01 = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;

export function BoxCanvas({ image, box, onBox, size }: BoxCanvasProps) {
  const frame = useRef<HTMLDivElement>(null);
  const [anchor, setAnchor] = useState<{ x: number; y: number } | null>(null);
  const point = (event: PointerEvent) => {
    const rect = frame.current!.getBoundingClientRect();
    return {
      x: clamp01((event.clientX - rect.left) / rect.width),
      y: clamp01((event.clientY - rect.top) / rect.height),
    };
  };
  const update = (event: PointerEvent) => {
    if (!anchor) return;
    const p = point(event);
    onBox({
      x: Math.min(anchor.x, p.x),
      y: Math.min(anchor.y, p.y),
      width: clamp01(Math.abs(p.x - anchor.x)),
      height: clamp01(Math.abs(p.y - anchor.y)),
    });
  };
  return (
    <div
      ref={frame}
      className="box-canvas"
      style={{ width: size, height: size }}
      aria-label="Draw the region box"
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        setAnchor(point(event));
      }}
      onPointerMove={update}
      onPointerUp={(event) => {
        update(event);
        setAnchor(null);
      }}
    >
      <RgbaCanvas image={image} label="Edit source" size={size} />
      {box && (
        <div
          className="box-outline"
          style={{
            left: `${box.x * 100}%`,
            top: `${box.y * 100}%`,
            width: `${box.width * 100}%`,
            height: `${box.height * 100}%`,
          }}
        />
      )}
    </div>
  );
}
