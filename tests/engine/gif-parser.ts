// A minimal GIF89a reader for the tests (ours and the e2e download check): walks the block structure,
// counts image frames, reads delays, each frame's colour table and the NETSCAPE loop count, and LZW-decodes each frame's indices.

export interface ParsedGif {
  readonly width: number;
  readonly height: number;
  readonly loops: number | null;
  readonly frames: ReadonlyArray<{
    readonly delayCs: number;
    readonly indices: Uint8Array;
    /** the colour table the frame uses (its local one, else the global one) [colours * 3] RGB */
    readonly palette: Uint8Array;
  }>;
}

function lzwDecode(data: Uint8Array, minCodeSize: number, pixelCount: number): Uint8Array {
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const out = new Uint8Array(pixelCount);
  let written = 0;
  let table: number[][] = [];
  const reset = () => {
    table = Array.from({ length: clear + 2 }, (_, i) => [i]);
  };
  reset();
  let width = minCodeSize + 1;
  let previous: number[] | null = null;
  let bits = 0;
  let bitCount = 0;
  let at = 0;
  for (;;) {
    while (bitCount < width && at < data.length) {
      bits |= (data[at++] as number) << bitCount;
      bitCount += 8;
    }
    if (bitCount < width) break;
    const code = bits & ((1 << width) - 1);
    bits >>>= width;
    bitCount -= width;
    if (code === clear) {
      reset();
      width = minCodeSize + 1;
      previous = null;
      continue;
    }
    if (code === end) break;
    let entry = table[code];
    if (!entry) {
      if (!previous || code !== table.length) throw new Error(`bad LZW code ${code}`);
      entry = [...previous, previous[0]!];
    }
    for (const value of entry) out[written++] = value;
    if (previous) table.push([...previous, entry[0]!]);
    previous = entry;
    if (table.length === 1 << width && width < 12) width++;
  }
  if (written !== pixelCount) throw new Error(`frame decoded to ${written} of ${pixelCount} pixels`);
  return out;
}

export function parseGif(bytes: Uint8Array): ParsedGif {
  const text = (from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
  const word = (at: number) => (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
  if (text(0, 6) !== 'GIF89a') throw new Error('not a GIF89a file');
  const width = word(6);
  const height = word(8);
  const flags = bytes[10] as number;
  let at = 13 + (flags & 0x80 ? 3 * (2 << (flags & 7)) : 0);
  const globalPalette = bytes.slice(13, at);
  const subBlocks = () => {
    const parts: number[] = [];
    for (let size = bytes[at++] as number; size > 0; size = bytes[at++] as number) {
      parts.push(...bytes.subarray(at, at + size));
      at += size;
    }
    return Uint8Array.from(parts);
  };
  let loops: number | null = null;
  let delayCs = 0;
  const frames: Array<{ delayCs: number; indices: Uint8Array; palette: Uint8Array }> = [];
  while (at < bytes.length) {
    const introducer = bytes[at++];
    if (introducer === 0x3b) return { width, height, loops, frames };
    if (introducer === 0x21) {
      const label = bytes[at++];
      const body = subBlocks();
      if (label === 0xf9) delayCs = (body[1] as number) | ((body[2] as number) << 8);
      if (label === 0xff && String.fromCharCode(...body.subarray(0, 11)) === 'NETSCAPE2.0')
        loops = (body[12] as number) | ((body[13] as number) << 8);
    } else if (introducer === 0x2c) {
      const frameWidth = word(at + 4);
      const frameHeight = word(at + 6);
      const localFlags = bytes[at + 8] as number;
      const tableStart = at + 9;
      at = tableStart + (localFlags & 0x80 ? 3 * (2 << (localFlags & 7)) : 0);
      const palette = localFlags & 0x80 ? bytes.slice(tableStart, at) : globalPalette;
      const minCodeSize = bytes[at++] as number;
      const indices = lzwDecode(subBlocks(), minCodeSize, frameWidth * frameHeight);
      frames.push({ delayCs, indices, palette });
    } else {
      throw new Error(`unexpected GIF block 0x${(introducer ?? 0).toString(16)} at byte ${at - 1}`);
    }
  }
  throw new Error('GIF has no trailer');
}
