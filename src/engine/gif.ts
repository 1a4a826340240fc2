// Animated GIF (GIF89a) encoder for exporting interpolation filmstrips in the browser without a library:
// one fixed 256-colour palette (6x6x6 colour cube + 40 greys), LZW-compressed frames, a NETSCAPE2.0
// loop extension and a per-frame delay. Alpha is ignored (frames are composited opaque).
import type { RgbaImage } from './image';

const CUBE_LEVELS = 6;
const CUBE_SIZE = CUBE_LEVELS ** 3; // 216
const GREY_COUNT = 256 - CUBE_SIZE; // 40

/** The palette [256 * 3] RGB: indices 0-215 the cube (r*36 + g*6 + b), 216-255 greys from black to white. */
export const GIF_PALETTE: Uint8Array = (() => {
  const palette = new Uint8Array(256 * 3);
  for (let i = 0; i < CUBE_SIZE; i++) {
    const levels = [Math.floor(i / 36), Math.floor(i / 6) % 6, i % 6];
    levels.forEach((level, channel) => (palette[i * 3 + channel] = level * 51));
  }
  for (let g = 0; g < GREY_COUNT; g++)
    palette.fill(Math.round((g * 255) / (GREY_COUNT - 1)), (CUBE_SIZE + g) * 3, (CUBE_SIZE + g + 1) * 3);
  return palette;
})();

/** Index of the nearer of (a) the closest cube colour and (b) the closest grey, by squared RGB distance. */
export function paletteIndex(r: number, g: number, b: number): number {
  const cr = Math.round(r / 51);
  const cg = Math.round(g / 51);
  const cb = Math.round(b / 51);
  const cubeError = (r - cr * 51) ** 2 + (g - cg * 51) ** 2 + (b - cb * 51) ** 2;
  const greyStep = Math.min(
    GREY_COUNT - 1,
    Math.max(0, Math.round((((r + g + b) / 3) * (GREY_COUNT - 1)) / 255)),
  );
  const grey = Math.round((greyStep * 255) / (GREY_COUNT - 1));
  const greyError = (r - grey) ** 2 + (g - grey) ** 2 + (b - grey) ** 2;
  return greyError < cubeError ? CUBE_SIZE + greyStep : cr * 36 + cg * 6 + cb;
}

/** Growable byte buffer. */
class ByteSink {
  private bytes = new Uint8Array(1 << 16);
  length = 0;
  push(...values: number[]): void {
    for (const value of values) {
      if (this.length === this.bytes.length) {
        const grown = new Uint8Array(this.bytes.length * 2);
        grown.set(this.bytes);
        this.bytes = grown;
      }
      this.bytes[this.length++] = value & 0xff;
    }
  }
  word(value: number): void {
    this.push(value, value >> 8);
  }
  text(value: string): void {
    this.push(...Array.from(value, (c) => c.charCodeAt(0)));
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/**
 * Variable-width LZW of palette indices (8-bit minimum code size) as GIF packs it: codes LSB first,
 * clear code 256, end code 257, codes widen up to 12 bits and the table is reset when full.
 */
export function lzwEncode(indices: Uint8Array): Uint8Array {
  const clear = 256;
  const end = 257;
  const out: number[] = [];
  let bitBuffer = 0;
  let bitCount = 0;
  const emit = (code: number, width: number) => {
    bitBuffer |= code << bitCount;
    bitCount += width;
    while (bitCount >= 8) {
      out.push(bitBuffer & 0xff);
      bitBuffer >>>= 8;
      bitCount -= 8;
    }
  };
  let table = new Map<number, number>(); // (prefix code << 8 | next index) → code
  let nextCode = end + 1;
  let width = 9;
  emit(clear, width);
  let prefix = indices.length > 0 ? (indices[0] as number) : -1;
  for (let i = 1; i < indices.length; i++) {
    const index = indices[i] as number;
    const key = (prefix << 8) | index;
    const known = table.get(key);
    if (known !== undefined) {
      prefix = known;
      continue;
    }
    emit(prefix, width);
    if (nextCode < 4096) {
      table.set(key, nextCode++);
      if (nextCode > 1 << width && width < 12) width++;
    } else {
      emit(clear, width);
      table = new Map();
      nextCode = end + 1;
      width = 9;
    }
    prefix = index;
  }
  if (prefix >= 0) emit(prefix, width);
  emit(end, width);
  if (bitCount > 0) out.push(bitBuffer & 0xff);
  return Uint8Array.from(out);
}

export interface GifOptions {
  /** delay between frames in milliseconds (GIF stores hundredths of a second; at least 20 ms) */
  readonly delayMs: number;
  /** NETSCAPE loop count; 0 loops forever */
  readonly loops?: number;
}

/** Encodes frames of one size as an animated GIF. */
export function encodeGif(frames: readonly RgbaImage[], { delayMs, loops = 0 }: GifOptions): Uint8Array {
  const first = frames[0];
  if (!first) throw new RangeError('encodeGif needs at least one frame');
  for (const frame of frames)
    if (frame.width !== first.width || frame.height !== first.height)
      throw new RangeError('encodeGif needs frames of one size');
  const sink = new ByteSink();
  sink.text('GIF89a');
  sink.word(first.width);
  sink.word(first.height);
  sink.push(0xf7, 0, 0); // global table of 256 entries, 8-bit colour resolution
  sink.push(...GIF_PALETTE);
  sink.push(0x21, 0xff, 11);
  sink.text('NETSCAPE2.0');
  sink.push(3, 1);
  sink.word(loops);
  sink.push(0);
  const delay = Math.max(2, Math.round(delayMs / 10));
  const indices = new Uint8Array(first.width * first.height);
  for (const frame of frames) {
    sink.push(0x21, 0xf9, 4, 0x04); // graphic control: dispose "do not dispose", no transparency
    sink.word(delay);
    sink.push(0, 0);
    sink.push(0x2c);
    sink.word(0);
    sink.word(0);
    sink.word(frame.width);
    sink.word(frame.height);
    sink.push(0); // no local table, not interlaced
    for (let p = 0; p < indices.length; p++)
      indices[p] = paletteIndex(
        frame.data[p * 4] as number,
        frame.data[p * 4 + 1] as number,
        frame.data[p * 4 + 2] as number,
      );
    const data = lzwEncode(indices);
    sink.push(8);
    for (let at = 0; at < data.length; at += 255) {
      const block = data.subarray(at, at + 255);
      sink.push(block.length, ...block);
    }
    sink.push(0);
  }
  sink.push(0x3b);
  return sink.result();
}
