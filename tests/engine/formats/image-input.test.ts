// Header checks on input files: formats, sizes and peculiarities read from the bytes, and every kind of
// bad input refused with a message that names the problem.
import { describe, expect, it } from 'vitest';
import { IMAGE_LIMITS, readImageHeader } from '../../../src/engine/formats/image-input';
import { encodePng } from '../../../src/engine/formats/png';

async function png(width: number, height: number): Promise<Uint8Array> {
  return encodePng({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(128) });
}

function withIhdr(
  bytes: Uint8Array,
  patch: { width?: number; height?: number; depth?: number; colour?: number },
) {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  if (patch.width !== undefined) view.setUint32(16, patch.width);
  if (patch.height !== undefined) view.setUint32(20, patch.height);
  if (patch.depth !== undefined) out[24] = patch.depth;
  if (patch.colour !== undefined) out[25] = patch.colour;
  return out;
}

/** A minimal JPEG skeleton: SOI, APP0, SOF0 with the given size and components, EOI. */
function jpeg(width: number, height: number, components: number, end = true): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Array.from({ length: 14 }, () => 0)];
  const sof = [
    0xff,
    0xc0,
    0x00,
    8 + 3 * components,
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    components,
  ];
  const componentSpecs = Array.from({ length: components }, (_, i) => [i + 1, 0x11, 0]).flat();
  return Uint8Array.from([0xff, 0xd8, ...app0, ...sof, ...componentSpecs, ...(end ? [0xff, 0xd9] : [])]);
}

const text = (s: string) => new TextEncoder().encode(s);

describe('readImageHeader', () => {
  it('reads a PNG size and notes alpha', async () => {
    expect(readImageHeader(await png(30, 20), 'a.png')).toEqual({
      format: 'png',
      width: 30,
      height: 20,
      notes: ['alpha channel: any transparency composited over white'],
    });
  });

  it('notes grayscale and 16-bit PNGs', async () => {
    const header = readImageHeader(withIhdr(await png(4, 4), { colour: 0, depth: 16 }), 'g.png');
    expect(header.notes).toEqual(['grayscale: used as RGB', '16 bits per channel: reduced to 8']);
  });

  it('refuses a huge image from its header, before decoding', async () => {
    const huge = withIhdr(await png(4, 4), { width: 12000, height: 12000 });
    expect(() => readImageHeader(huge, 'huge.png')).toThrow(/huge\.png: 12000x12000 is too large/);
    const tall = withIhdr(await png(4, 4), { width: 10, height: IMAGE_LIMITS.maxSide + 1 });
    expect(() => readImageHeader(tall, 'tall.png')).toThrow(/too large/);
  });

  it('refuses truncated and malformed PNGs', async () => {
    const whole = await png(8, 8);
    expect(() => readImageHeader(whole.subarray(0, 20), 't.png')).toThrow(/t\.png: the PNG file ends early/);
    expect(() => readImageHeader(whole.subarray(0, whole.length - 20), 't.png')).toThrow(/ends early/);
    const badChunk = whole.slice();
    badChunk.set(text('tEXt'), 12);
    expect(() => readImageHeader(badChunk, 'm.png')).toThrow(/malformed PNG \(the first chunk is not IHDR\)/);
    expect(() => readImageHeader(withIhdr(whole, { colour: 5 }), 'c.png')).toThrow(/colour type 5/);
    expect(() => readImageHeader(withIhdr(whole, { width: 0 }), 'z.png')).toThrow(/0x8 pixels/);
  });

  it('reads JPEG sizes and notes CMYK and grayscale', () => {
    expect(readImageHeader(jpeg(640, 480, 3), 'p.jpg')).toMatchObject({
      format: 'jpeg',
      width: 640,
      height: 480,
      notes: [],
    });
    expect(readImageHeader(jpeg(10, 10, 4), 'c.jpg').notes).toEqual([
      'CMYK: converted to RGB by the browser (colours may shift)',
    ]);
    expect(readImageHeader(jpeg(10, 10, 1), 'g.jpg').notes).toEqual(['grayscale: used as RGB']);
  });

  it('refuses a JPEG without its end marker or frame header', () => {
    expect(() => readImageHeader(jpeg(10, 10, 3, false), 'cut.jpg')).toThrow(
      /cut\.jpg: the JPEG file ends early/,
    );
    expect(() => readImageHeader(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]), 'e.jpg')).toThrow(/ends early/);
  });

  it('reads GIF sizes and says only the first frame is used', () => {
    const gif = Uint8Array.from([...text('GIF89a'), 0x20, 0x01, 0x10, 0x00, 0, 0, 0, 0]);
    expect(readImageHeader(gif, 'anim.gif')).toEqual({
      format: 'gif',
      width: 288,
      height: 16,
      notes: ['GIF: the first frame is used'],
    });
  });

  it('reads a lossless WebP size', () => {
    const bits = (99 & 0x3fff) | ((49 & 0x3fff) << 14);
    const bytes = new Uint8Array(30);
    bytes.set(text('RIFF'), 0);
    bytes.set(text('WEBPVP8L'), 8);
    bytes[20] = 0x2f;
    new DataView(bytes.buffer).setUint32(21, bits, true);
    expect(readImageHeader(bytes, 'x.webp')).toMatchObject({ format: 'webp', width: 100, height: 50 });
  });

  it('refuses SVG by content or by type', () => {
    const svg = text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    expect(() => readImageHeader(svg, 'logo.svg')).toThrow(/logo\.svg: SVG is a vector format/);
    expect(() => readImageHeader(text('anything'), 'x', 'image/svg+xml')).toThrow(/SVG/);
  });

  it('refuses files that are not images, and empty files', () => {
    expect(() => readImageHeader(text('{"not": "an image"}'), 'data.json')).toThrow(
      /data\.json: not an image the studio can read/,
    );
    expect(() => readImageHeader(new Uint8Array(0), 'empty.png')).toThrow(/empty/);
  });
});
