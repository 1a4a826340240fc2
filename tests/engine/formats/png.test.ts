import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ImageDecodeError } from '../../../src/engine/errors';
import type { RgbaImage } from '../../../src/engine/formats/pixels';
import { ADAM7, decodePng, encodePng, hasPngSignature, readPngText } from '../../../src/engine/formats/png';

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  });
}

function rgba(width: number, height: number, seed: number): RgbaImage {
  return { width, height, data: new Uint8ClampedArray(bytes(width * height * 4, seed)) };
}

// --- an independent PNG writer for the decoder tests (node:zlib, filter 0, any colour type / depth) ---

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

interface RawPng {
  width: number;
  height: number;
  depth: number;
  colourType: number;
  /** samples of pixel (x, y), at full bit depth */
  pixel: (x: number, y: number) => number[];
  interlaced?: boolean;
  extra?: Array<[string, Uint8Array]>; // chunks before IDAT
}

function packRow(samples: number[], depth: number): number[] {
  if (depth === 8) return samples;
  if (depth === 16) return samples.flatMap((v) => [v >> 8, v & 0xff]);
  const out = new Array<number>(Math.ceil((samples.length * depth) / 8)).fill(0);
  samples.forEach((v, i) => {
    const bit = i * depth;
    out[bit >> 3] = (out[bit >> 3] as number) | (v << (8 - depth - (bit & 7)));
  });
  return out;
}

function writeRawPng(p: RawPng): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(p.width, 0);
  ihdr.writeUInt32BE(p.height, 4);
  ihdr.set([p.depth, p.colourType, 0, 0, p.interlaced ? 1 : 0], 8);
  const passes = p.interlaced ? ADAM7 : [[0, 0, 1, 1]];
  const raw: number[] = [];
  for (const [x0, y0, dx, dy] of passes as Array<[number, number, number, number]>) {
    for (let y = y0; y < p.height; y += dy) {
      const samples: number[] = [];
      for (let x = x0; x < p.width; x += dx) samples.push(...p.pixel(x, y));
      if (samples.length) raw.push(0, ...packRow(samples, p.depth));
    }
  }
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      ...(p.extra ?? []).map(([type, data]) => pngChunk(type, data)),
      pngChunk('IDAT', deflateSync(Buffer.from(raw))),
      pngChunk('IEND', new Uint8Array()),
    ]),
  );
}

const pixelAt = (image: RgbaImage, x: number, y: number) =>
  Array.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4));

describe('PNG encoder', () => {
  it('round-trips RGBA pixels and text through the decoder', async () => {
    const image = rgba(37, 23, 1);
    const text = {
      'svg-studio': JSON.stringify({ seed: 7, cfg: 4 }),
      Comment: 'Zürich, naïve',
      Title: 'classe « chat » 猫',
    };
    const decoded = await decodePng(await encodePng(image, text));
    expect(decoded.image.width).toBe(37);
    expect(decoded.image.height).toBe(23);
    expect(decoded.image.data).toEqual(image.data);
    expect(decoded.text).toEqual(text);
  });

  it('writes files another decoder (pngjs) reads identically, with smooth images compressed well', async () => {
    const smooth: RgbaImage = {
      width: 64,
      height: 48,
      data: Uint8ClampedArray.from(
        { length: 64 * 48 * 4 },
        (_, i) => ((i >> 2) % 64) * 3 + ((i & 3) === 3 ? 255 : 0),
      ),
    };
    for (const image of [rgba(5, 9, 2), smooth]) {
      const png = await encodePng(image);
      const other = PNG.sync.read(Buffer.from(png));
      expect([other.width, other.height]).toEqual([image.width, image.height]);
      expect(new Uint8Array(other.data)).toEqual(new Uint8Array(image.data.buffer));
    }
    expect((await encodePng(smooth)).length).toBeLessThan(smooth.data.length / 10);
  });

  it('rejects bad text keywords and inconsistent images', async () => {
    await expect(encodePng(rgba(2, 2, 3), { '': 'x' })).rejects.toThrow(RangeError);
    await expect(encodePng(rgba(2, 2, 3), { ['k'.repeat(80)]: 'x' })).rejects.toThrow(RangeError);
    await expect(encodePng({ width: 3, height: 2, data: new Uint8ClampedArray(8) })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('PNG decoder', () => {
  const W = 13;
  const H = 9; // odd sizes leave some Adam7 passes narrow or empty

  it.each([false, true])(
    'reads 8-bit RGBA, RGB, grey and grey+alpha (interlaced: %s)',
    async (interlaced) => {
      const cases: Array<
        [number, number, (x: number, y: number) => number[], (x: number, y: number) => number[]]
      > = [
        [6, 4, (x, y) => [x * 10, y * 20, x + y, 200 - x], (x, y) => [x * 10, y * 20, x + y, 200 - x]],
        [2, 3, (x, y) => [x * 10, y * 20, x + y], (x, y) => [x * 10, y * 20, x + y, 255]],
        [0, 1, (x, y) => [x * 19 + y], (x, y) => [x * 19 + y, x * 19 + y, x * 19 + y, 255]],
        [4, 2, (x, y) => [x * 19, y * 3], (x, y) => [x * 19, x * 19, x * 19, y * 3]],
      ];
      for (const [colourType, , pixel, expected] of cases) {
        const { image } = await decodePng(
          writeRawPng({ width: W, height: H, depth: 8, colourType, pixel, interlaced }),
        );
        for (let y = 0; y < H; y++)
          for (let x = 0; x < W; x++)
            expect(pixelAt(image, x, y), `type ${colourType} (${x},${y})`).toEqual(expected(x, y));
      }
    },
  );

  it('rounds 16-bit samples to 8 bits and applies a 16-bit colour key', async () => {
    const key = Buffer.alloc(6);
    key.writeUInt16BE(0x0102, 0);
    key.writeUInt16BE(0x0304, 2);
    key.writeUInt16BE(0x0506, 4);
    const png = writeRawPng({
      width: 3,
      height: 1,
      depth: 16,
      colourType: 2,
      extra: [['tRNS', key]],
      pixel: (x) => (x === 0 ? [65535, 0, 32896] : x === 1 ? [0x0102, 0x0304, 0x0506] : [128, 129, 383]),
    });
    const { image } = await decodePng(png);
    expect(pixelAt(image, 0, 0)).toEqual([255, 0, 128, 255]);
    expect(pixelAt(image, 1, 0)).toEqual([1, 3, 5, 0]); // the colour key is transparent
    expect(pixelAt(image, 2, 0)).toEqual([0, 1, 1, 255]); // round(v / 257)
  });

  it.each([1, 2, 4, 8])('reads %i-bit palettes with transparency, interlaced or not', async (depth) => {
    const entries = 1 << Math.min(depth, 4);
    const plte = Uint8Array.from({ length: entries * 3 }, (_, i) => (i * 37) & 0xff);
    const trns = Uint8Array.from({ length: entries - 1 }, (_, i) => i * 16);
    for (const interlaced of [false, true]) {
      const index = (x: number, y: number) => (x * 3 + y) % entries;
      const png = writeRawPng({
        width: W,
        height: H,
        depth,
        colourType: 3,
        interlaced,
        pixel: (x, y) => [index(x, y)],
        extra: [
          ['PLTE', plte],
          ['tRNS', trns],
        ],
      });
      const { image } = await decodePng(png);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const i = index(x, y);
          expect(pixelAt(image, x, y)).toEqual([
            plte[i * 3],
            plte[i * 3 + 1],
            plte[i * 3 + 2],
            i < entries - 1 ? trns[i] : 255,
          ]);
        }
      }
    }
  });

  it.each([1, 2, 4, 16])('scales %i-bit grey to 8 bits', async (depth) => {
    const max = 2 ** depth - 1;
    const { image } = await decodePng(
      writeRawPng({
        width: W,
        height: 2,
        depth,
        colourType: 0,
        interlaced: depth === 2,
        pixel: (x, y) => [(x * 5 + y) % (max + 1)],
      }),
    );
    for (let x = 0; x < W; x++) {
      const v = Math.round((((x * 5 + 1) % (max + 1)) * 255) / max);
      expect(pixelAt(image, x, 1)).toEqual([v, v, v, 255]);
    }
  });

  it('reads tEXt, zTXt and iTXt chunks', async () => {
    const zTxt = Buffer.concat([
      Buffer.from('Comment\0\0', 'latin1'),
      deflateSync(Buffer.from('compressed café', 'latin1')),
    ]);
    const iTxt = Buffer.concat([
      Buffer.from('Title\0\x01\0en\0Titel\0', 'latin1'),
      deflateSync(Buffer.from('猫 and 犬', 'utf8')),
    ]);
    const png = writeRawPng({
      width: 1,
      height: 1,
      depth: 8,
      colourType: 0,
      pixel: () => [9],
      extra: [
        ['tEXt', Buffer.from('Author\0SVG Studio', 'latin1')],
        ['zTXt', zTxt],
        ['iTXt', iTxt],
      ],
    });
    expect((await decodePng(png)).text).toEqual({
      Author: 'SVG Studio',
      Comment: 'compressed café',
      Title: '猫 and 犬',
    });
  });

  describe('damaged files', () => {
    const good = writeRawPng({
      width: 4,
      height: 4,
      depth: 8,
      colourType: 6,
      pixel: (x, y) => [x, y, x + y, 255],
    });
    const idatAt = Buffer.from(good).indexOf('IDAT') - 4;

    it('reports a corrupt CRC', async () => {
      const bad = good.slice();
      bad[idatAt + 9] = (bad[idatAt + 9] as number) ^ 0xff; // a byte inside the IDAT data
      await expect(decodePng(bad)).rejects.toThrow(/CRC mismatch in the IDAT chunk/);
    });

    it('reports truncation', async () => {
      for (const length of [good.length - 1, good.length - 12, idatAt + 10, 20]) {
        await expect(decodePng(good.subarray(0, length))).rejects.toThrow(/truncated/);
      }
    });

    it('reports a cut zlib stream even when the chunks are intact', async () => {
      const raw = Buffer.alloc(4 * (1 + 16), 7);
      const cut = deflateSync(raw).subarray(0, 6);
      const ihdr = Buffer.from(good.subarray(16, 29));
      const png = Buffer.concat([
        Buffer.from(good.subarray(0, 8)),
        pngChunk('IHDR', ihdr),
        pngChunk('IDAT', cut),
        pngChunk('IEND', new Uint8Array()),
      ]);
      await expect(decodePng(new Uint8Array(png))).rejects.toThrow(ImageDecodeError);
    });

    it('readPngText reads the text chunks without inflating the pixels', async () => {
      const raw = Buffer.alloc(4 * (1 + 16), 7);
      const cut = deflateSync(raw).subarray(0, 6); // an IDAT no inflater could read
      const png = new Uint8Array(
        Buffer.concat([
          Buffer.from(good.subarray(0, 8)),
          pngChunk('IHDR', Buffer.from(good.subarray(16, 29))),
          pngChunk('tEXt', Buffer.from('svg-studio\0{"x":1}', 'latin1')),
          pngChunk('IDAT', cut),
          pngChunk('IEND', new Uint8Array()),
        ]),
      );
      expect(await readPngText(png)).toEqual({ 'svg-studio': '{"x":1}' });
      await expect(decodePng(png)).rejects.toThrow(ImageDecodeError);
      expect(hasPngSignature(png)).toBe(true);
      expect(hasPngSignature(png.subarray(1))).toBe(false);
      const bad = good.slice();
      bad[idatAt + 9] = (bad[idatAt + 9] as number) ^ 0xff;
      await expect(readPngText(bad)).rejects.toThrow(/CRC mismatch in the IDAT chunk/);
      await expect(readPngText(new TextEncoder().encode('GIF89a'))).rejects.toThrow(/not a PNG/);
    });

    it('rejects other files, unknown filters and impossible headers with ImageDecodeError', async () => {
      await expect(decodePng(new TextEncoder().encode('GIF89a, not a PNG at all'))).rejects.toThrow(
        /not a PNG/,
      );
      const badFilter = writeRawPng({ width: 2, height: 1, depth: 8, colourType: 0, pixel: () => [1] });
      const raw = Buffer.from([9, 1, 1]);
      const withFilter9 = Buffer.concat([
        Buffer.from(badFilter.subarray(0, 33)),
        pngChunk('IDAT', deflateSync(raw)),
        pngChunk('IEND', new Uint8Array()),
      ]);
      await expect(decodePng(new Uint8Array(withFilter9))).rejects.toThrow(/unknown filter 9/);
      const rgb4 = Buffer.from(good);
      rgb4[24] = 4; // bit depth 4 with colour type 6
      rgb4.writeUInt32BE(crc32(rgb4.subarray(12, 29)), 29);
      await expect(decodePng(new Uint8Array(rgb4))).rejects.toThrow(/bit depth 4 with colour type 6/);
      await expect(decodePng(good, 15)).rejects.toThrow(/pixel limit/);
    });
  });
});
