// A filmstrip of interpolation frames: the current frame large, a "Frame" scrubber, Play/Pause, and the
// thumbnails (a grid in four-corner mode). Several strips (linear beside spherical) share one frame index.
import { useEffect } from 'react';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import type { RgbaImage } from '../../engine/formats/pixels';

export interface Strip {
  readonly title: string;
  readonly frames: readonly RgbaImage[];
}

export interface FilmstripProps {
  readonly strips: readonly Strip[];
  readonly frame: number;
  readonly onFrame: (frame: number) => void;
  readonly playing: boolean;
  readonly onPlaying: (playing: boolean) => void;
  /** thumbnails per row (frames for a path, the grid side in four-corner mode) */
  readonly columns: number;
  readonly delayMs: number;
}

export function Filmstrip({ strips, frame, onFrame, playing, onPlaying, columns, delayMs }: FilmstripProps) {
  const count = strips[0]?.frames.length ?? 0;
  useEffect(() => {
    if (!playing || count === 0) return;
    const timer = setInterval(() => onFrame((frame + 1) % count), delayMs);
    return () => clearInterval(timer);
  }, [playing, frame, count, delayMs, onFrame]);

  return (
    <section className="filmstrip" aria-label="Filmstrip">
      <div className="filmstrip-controls">
        <button type="button" onClick={() => onPlaying(!playing)}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <label>
          Frame
          <input
            type="range"
            min={0}
            max={Math.max(0, count - 1)}
            value={frame}
            onChange={(e) => onFrame(Number(e.target.value))}
          />
        </label>
        <output aria-label="Frame number">
          {frame + 1} / {count}
        </output>
      </div>
      <div className="filmstrip-strips">
        {strips.map((strip) => (
          <figure key={strip.title} className="filmstrip-strip">
            <figcaption>{strip.title}</figcaption>
            {strip.frames[frame] && (
              <RgbaCanvas
                image={strip.frames[frame]}
                label={`${strip.title} frame ${frame + 1}`}
                size={224}
              />
            )}
            <div className="filmstrip-thumbs" style={{ gridTemplateColumns: `repeat(${columns}, auto)` }}>
              {strip.frames.map((image, index) => (
                <button
                  key={index}
                  type="button"
                  className={index === frame ? 'current' : undefined}
                  aria-label={`${strip.title}: show frame ${index + 1}`}
                  onClick={() => onFrame(index)}
                >
                  <RgbaCanvas image={image} label={`${strip.title} thumbnail ${index + 1}`} size={48} />
                </button>
              ))}
            </div>
          </figure>
        ))}
      </div>
    </section>
  );
}
