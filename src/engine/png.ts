// PNG encoding (RGBA 8-bit with tEXt chunks: the studio stores generation settings in them) and
// decoding (8/16-bit grey, grey+alpha, RGB, RGBA, 8-bit palette; non-interlaced), on the platform's
// zlib streams (CompressionStream / DecompressionStream exist in browsers, workers and Node ≥ 18).
import { ImageDecodeError } from './errors';
import type { RgbaImage } from './image';

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function pipeThrough(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const output = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 256 ? code : 0x3f;
  });
}

/** Encodes RGBA pixels; `text` entries become tEXt chunks (keys 1-79 Latin-1 characters). */
export async function encodePng(image: RgbaImage, text: Record<string, string> = {}): Promise<Uint8Array> {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, image.width);
  view.setUint32(4, image.height);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, adaptive filtering, no interlace
  const stride = image.width * 4;
  const raw = new Uint8Array((stride + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(image.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const parts = [SIGNATURE, chunk('IHDR', header)];
  for (const [key, value] of Object.entries(text)) {
    parts.push(chunk('tEXt', new Uint8Array([...latin1(key), 0, ...latin1(value)])));
  }
  parts.push(chunk('IDAT', await pipeThrough(raw, new CompressionStream('deflate'))), chunk('IEND', new Uint8Array()));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface DecodedPng {
  readonly image: RgbaImage;
  readonly text: Record<string, string>;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export async function decodePng(bytes: Uint8Array, maxPixels = 64 * 1024 * 1024): Promise<DecodedPng> {
  if (bytes.length < 8 || !SIGNATURE.every((b, i) => bytes[i] === b)) throw new ImageDecodeError('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = -1;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  const text: Record<string, string> = {};
  let ended = false;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > bytes.length) throw new ImageDecodeError(`truncated PNG (chunk ${type})`);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length)) {
      throw new ImageDecodeError(`corrupt PNG: CRC mismatch in chunk ${type}`);
    }
    offset += 12 + length;
    if (type === 'IHDR') {
      const h = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = h.getUint32(0);
      height = h.getUint32(4);
      bitDepth = data[8] as number;
      colorType = data[9] as number;
      if (data[12] !== 0) throw new ImageDecodeError('interlaced PNGs are not supported; re-save without interlacing');
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'tEXt') {
      const zero = data.indexOf(0);
      if (zero > 0) text[String.fromCharCode(...data.subarray(0, zero))] = new TextDecoder('latin1').decode(data.subarray(zero + 1));
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) throw new ImageDecodeError('truncated PNG (no IEND chunk)');
  const channels = CHANNELS[colorType];
  if (!width || !height || channels === undefined) throw new ImageDecodeError(`unsupported PNG colour type ${colorType}`);
  if (!(bitDepth === 8 || bitDepth === 16) || (colorType === 3 && bitDepth !== 8)) {
    throw new ImageDecodeError(`unsupported PNG bit depth ${bitDepth} for colour type ${colorType}`);
  }
  if (width * height > maxPixels) throw new ImageDecodeError(`PNG is ${width}×${height}, larger than the ${maxPixels}-pixel limit`);
  if (colorType === 3 && !palette) throw new ImageDecodeError('palette PNG without a PLTE chunk');

  const compressed = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of idat) {
    compressed.set(c, at);
    at += c.length;
  }
  let raw: Uint8Array;
  try {
    raw = await pipeThrough(compressed, new DecompressionStream('deflate'));
  } catch (error) {
    throw new ImageDecodeError(`corrupt PNG image data (${error instanceof Error ? error.message : error})`);
  }
  const bytesPerPixel = (channels * bitDepth) / 8;
  const stride = width * bytesPerPixel;
  if (raw.length < (stride + 1) * height) throw new ImageDecodeError('truncated PNG image data');
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= bytesPerPixel ? (row[x - bytesPerPixel] as number) : 0;
      const b = up ? (up[x] as number) : 0;
      const c = up && x >= bytesPerPixel ? (up[x - bytesPerPixel] as number) : 0;
      const v = line[x] as number;
      switch (filter) {
        case 0: row[x] = v; break;
        case 1: row[x] = v + a; break;
        case 2: row[x] = v + b; break;
        case 3: row[x] = v + ((a + b) >> 1); break;
        case 4: row[x] = v + paeth(a, b, c); break;
        default: throw new ImageDecodeError(`corrupt PNG: unknown filter ${filter} on row ${y}`);
      }
    }
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  const sample = (i: number, k: number) => (bitDepth === 16 ? (pixels[(i * channels + k) * 2] as number) : (pixels[i * channels + k] as number));
  for (let i = 0; i < width * height; i++) {
    let r: number, g: number, b: number, alpha = 255;
    if (colorType === 3) {
      const index = pixels[i] as number;
      r = palette![index * 3] ?? 0;
      g = palette![index * 3 + 1] ?? 0;
      b = palette![index * 3 + 2] ?? 0;
      alpha = transparency?.[index] ?? 255;
    } else if (colorType === 0 || colorType === 4) {
      r = g = b = sample(i, 0);
      if (colorType === 4) alpha = sample(i, 1);
    } else {
      r = sample(i, 0);
      g = sample(i, 1);
      b = sample(i, 2);
      if (colorType === 6) alpha = sample(i, 3);
    }
    rgba.set([r, g, b, alpha], i * 4);
  }
  return { image: { width, height, data: rgba }, text };
}
