// Animated GIF (GIF89a) export of interpolation filmstrips through the gifenc library: each frame gets
// its own palette of up to 256 colours quantised from that frame (PnnQuant, rgb565 histogram), so a
// frame's colours are its own instead of a fixed cube; a NETSCAPE2.0 loop extension and a per-frame
// delay. Alpha is ignored (frames are composited opaque). Deterministic: the same frames give the same
// bytes in the page and the CLI.
import * as gifencModule from 'gifenc';
import type { RgbaImage } from './pixels';

// gifenc ships an ES module (what Vite and Vitest load: named exports) and a CommonJS build (what Node's
// own loader gives the CLI: everything under `default`); take the functions from whichever this is.
const { applyPalette, GIFEncoder, quantize } =
  'GIFEncoder' in gifencModule ? gifencModule : (gifencModule as { default: typeof gifencModule }).default;

/** Colours per frame palette (the GIF maximum). */
export const GIF_MAX_COLOURS = 256;

export interface GifOptions {
  /** delay between frames in milliseconds (GIF stores hundredths of a second; at least 20 ms) */
  readonly delayMs: number;
  /** NETSCAPE loop count; 0 loops forever */
  readonly loops?: number;
}

/** Encodes frames of one size as an animated GIF, each frame with its own quantised palette. */
export function encodeGif(frames: readonly RgbaImage[], { delayMs, loops = 0 }: GifOptions): Uint8Array {
  const first = frames[0];
  if (!first) throw new RangeError('encodeGif needs at least one frame');
  for (const frame of frames)
    if (frame.width !== first.width || frame.height !== first.height)
      throw new RangeError('encodeGif needs frames of one size');
  // gifenc stores delay / 10 rounded; below 20 ms browsers play frames at their own default speed
  const delay = Math.max(2, Math.round(delayMs / 10)) * 10;
  const encoder = GIFEncoder();
  for (const frame of frames) {
    const palette = quantize(frame.data, GIF_MAX_COLOURS, { format: 'rgb565' });
    const indices = applyPalette(frame.data, palette, 'rgb565');
    encoder.writeFrame(indices, frame.width, frame.height, { palette, delay, repeat: loops });
  }
  encoder.finish();
  return encoder.bytes();
}
