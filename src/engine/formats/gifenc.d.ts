// Types for the parts of gifenc (plain JavaScript, no bundled types) that engine/formats/gif.ts uses.
declare module 'gifenc' {
  /** [colours][r, g, b] (or [r, g, b, a] with an alpha format) */
  export type Palette = number[][];
  export type ColourFormat = 'rgb565' | 'rgb444' | 'rgba4444';
  export function quantize(
    rgba: Uint8Array | Uint8ClampedArray,
    maxColors: number,
    options?: { readonly format?: ColourFormat },
  ): Palette;
  export function applyPalette(
    rgba: Uint8Array | Uint8ClampedArray,
    palette: Palette,
    format?: ColourFormat,
  ): Uint8Array;
  export interface GifEncoderStream {
    writeFrame(
      index: Uint8Array,
      width: number,
      height: number,
      options?: {
        readonly palette?: Palette;
        /** milliseconds */
        readonly delay?: number;
        /** 0 loops forever, -1 plays once, n repeats n times */
        readonly repeat?: number;
        readonly transparent?: boolean;
        readonly dispose?: number;
      },
    ): void;
    finish(): void;
    bytes(): Uint8Array;
  }
  export function GIFEncoder(options?: { readonly auto?: boolean }): GifEncoderStream;
}
