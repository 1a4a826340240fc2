// A streamed .npz writer: a zip of stored (uncompressed) .npy entries, as numpy.savez writes, built
// incrementally so an evaluation batch of 50 000 images (9.8 GB at 256 px) never sits in memory. Each
// entry's size is known up front (the array's shape), so the local header is written first with a zero
// CRC-32, the data is streamed through the CRC, and the CRC is patched into the header when the entry
// ends. Entries or offsets beyond 4 GiB get ZIP64 fields (numpy.load reads them through zipfile).
// Timestamps are fixed (1980-01-01), so the same arrays always give the same bytes.
import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from '../engine/formats/crc32';
import { npyHeader, type NpyDtype } from '../engine/formats/npy';

const U32_MAX = 0xffff_ffff;
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const ZIP64_EXTRA_ID = 0x0001;

interface WrittenEntry {
  readonly name: Uint8Array;
  readonly size: number;
  readonly offset: number;
  readonly crc: number;
}

/** Little-endian byte builder for zip records. */
class Record {
  private readonly bytes: number[] = [];
  u16(value: number): this {
    this.bytes.push(value & 0xff, (value >>> 8) & 0xff);
    return this;
  }
  u32(value: number): this {
    return this.u16(value & 0xffff).u16(Math.floor(value / 0x10000) & 0xffff);
  }
  u64(value: number): this {
    return this.u32(value % 0x1_0000_0000).u32(Math.floor(value / 0x1_0000_0000));
  }
  raw(data: Uint8Array): this {
    for (const byte of data) this.bytes.push(byte);
    return this;
  }
  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** One array being written: its declared byte count must be written exactly. */
export interface NpzEntryWriter {
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<void>;
}

export class NpzWriter {
  private offset = 0;
  private readonly entries: WrittenEntry[] = [];
  private open = false;

  private constructor(
    private readonly handle: FileHandle,
    private readonly file: string,
    /** sizes and offsets from this value up get ZIP64 fields (lowered only by tests) */
    private readonly zip64From: number,
  ) {}

  /** Creates (or truncates) `file`. */
  static async create(file: string, options: { readonly zip64From?: number } = {}): Promise<NpzWriter> {
    return new NpzWriter(await open(file, 'w'), file, options.zip64From ?? U32_MAX);
  }

  /** Starts entry `<name>.npy` holding an array of `dtype` and `shape`; write its data in C order. */
  async beginArray(name: string, dtype: NpyDtype, shape: readonly number[]): Promise<NpzEntryWriter> {
    if (this.open) throw new Error(`${this.file}: the previous entry is still open`);
    const header = npyHeader(dtype, shape);
    const itemBytes = { float32: 4, float64: 8, int64: 8, int32: 4, uint8: 1 }[dtype];
    const size = header.length + shape.reduce((a, b) => a * b, 1) * itemBytes;
    const entryName = new TextEncoder().encode(`${name}.npy`);
    const offset = this.offset;
    const zip64 = size >= this.zip64From;
    const local = new Record()
      .u32(0x04034b50)
      .u16(zip64 ? 45 : 20) // version needed
      .u16(0) // flags
      .u16(0) // stored
      .u16(0) // time 00:00
      .u16(DOS_DATE_1980_01_01)
      .u32(0) // CRC-32, patched by end()
      .u32(zip64 ? U32_MAX : size)
      .u32(zip64 ? U32_MAX : size)
      .u16(entryName.length)
      .u16(zip64 ? 20 : 0)
      .raw(entryName);
    if (zip64) local.u16(ZIP64_EXTRA_ID).u16(16).u64(size).u64(size);
    const localBytes = local.build();
    await this.append(localBytes);
    this.open = true;
    let crc = crc32(header);
    let written = header.length;
    await this.append(header);
    return {
      write: async (chunk) => {
        if (written + chunk.length > size)
          throw new Error(`${this.file}: ${name} gets more than its ${size} bytes`);
        crc = crc32(chunk, crc);
        written += chunk.length;
        await this.append(chunk);
      },
      end: async () => {
        if (written !== size) throw new Error(`${this.file}: ${name} got ${written} of its ${size} bytes`);
        const crcBytes = new Record().u32(crc).build();
        await this.handle.write(crcBytes, 0, 4, offset + 14);
        this.entries.push({ name: entryName, size, offset, crc });
        this.open = false;
      },
    };
  }

  /** Writes the central directory (ZIP64 records where needed) and closes the file. */
  async close(): Promise<void> {
    if (this.open) throw new Error(`${this.file}: an entry is still open`);
    const directoryOffset = this.offset;
    for (const entry of this.entries) {
      const bigSize = entry.size >= this.zip64From;
      const bigOffset = entry.offset >= this.zip64From;
      const extra = new Record();
      if (bigSize) extra.u64(entry.size).u64(entry.size);
      if (bigOffset) extra.u64(entry.offset);
      const extraBytes = extra.build();
      const record = new Record()
        .u32(0x02014b50)
        .u16(bigSize || bigOffset ? 45 : 20) // version made by (MS-DOS attributes)
        .u16(bigSize || bigOffset ? 45 : 20) // version needed
        .u16(0)
        .u16(0)
        .u16(0)
        .u16(DOS_DATE_1980_01_01)
        .u32(entry.crc)
        .u32(bigSize ? U32_MAX : entry.size)
        .u32(bigSize ? U32_MAX : entry.size)
        .u16(entry.name.length)
        .u16(extraBytes.length ? extraBytes.length + 4 : 0)
        .u16(0) // comment
        .u16(0) // disk
        .u16(0) // internal attributes
        .u32(0) // external attributes
        .u32(bigOffset ? U32_MAX : entry.offset)
        .raw(entry.name);
      if (extraBytes.length) record.u16(ZIP64_EXTRA_ID).u16(extraBytes.length).raw(extraBytes);
      await this.append(record.build());
    }
    const directorySize = this.offset - directoryOffset;
    const needsZip64 =
      directoryOffset >= this.zip64From ||
      this.entries.some((e) => e.size >= this.zip64From || e.offset >= this.zip64From);
    if (needsZip64) {
      const zip64End = this.offset;
      await this.append(
        new Record()
          .u32(0x06064b50)
          .u64(44) // size of the rest of this record
          .u16(45)
          .u16(45)
          .u32(0)
          .u32(0)
          .u64(this.entries.length)
          .u64(this.entries.length)
          .u64(directorySize)
          .u64(directoryOffset)
          .build(),
      );
      await this.append(new Record().u32(0x07064b50).u32(0).u64(zip64End).u32(1).build());
    }
    await this.append(
      new Record()
        .u32(0x06054b50)
        .u16(0)
        .u16(0)
        .u16(this.entries.length)
        .u16(this.entries.length)
        .u32(needsZip64 ? U32_MAX : directorySize)
        .u32(needsZip64 ? U32_MAX : directoryOffset)
        .u16(0)
        .build(),
    );
    await this.handle.close();
  }

  /** Closes the file without a directory (after a failure; the caller removes it). */
  async abort(): Promise<void> {
    await this.handle.close();
  }

  private async append(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, this.offset);
      done += bytesWritten;
      this.offset += bytesWritten;
    }
  }
}
