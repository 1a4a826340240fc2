// Model file reading (contract §2, shared by the browser and Node): the READER verifies integrity, once,
// as the bytes arrive, and says where the verified bytes are; the session set passes them to ONNX
// Runtime as they are. The browser's streamed cache reader lives in src/storage and src/worker, the
// CLI's in src/runtime/ort-node.ts; `verifiedBytesReader` below adapts any whole-file byte source.
import { verifyFileIntegrity } from './integrity';

/** One file of a model set as named in the manifest. */
export interface FileEntry {
  /** a plain relative path next to manifest.json */
  readonly file: string;
  readonly bytes: number;
  /** lowercase hex SHA-256 of the file */
  readonly sha256: string;
}

/**
 * Where a model file's verified bytes are: in memory, or somewhere ONNX Runtime reads itself
 * (a blob:/http URL in the browser, a file path in Node) so a gigabyte file is never copied into JS.
 */
export type ModelFileSource =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'location'; readonly location: string; readonly release?: () => void };

/** Frees what a source holds (a blob: URL); a caller calls it once the runtime no longer needs the file. */
export function releaseSource(source: ModelFileSource): void {
  if (source.kind === 'location') source.release?.();
}

export type ByteProgress = (loaded: number, total: number) => void;

export type ModelFileReader = (
  entry: FileEntry,
  onProgress?: ByteProgress,
  signal?: AbortSignal,
) => Promise<ModelFileSource>;

/** Reads a whole file's bytes by its manifest name. */
export type WholeFileRead = (file: string, onProgress?: ByteProgress) => Promise<Uint8Array>;

/**
 * A ModelFileReader over a whole-file byte source: reads, checks size and SHA-256 once, and hands the
 * bytes over. Fine for small sets and local files; gigabyte sets use a streaming reader instead.
 */
export function verifiedBytesReader(read: WholeFileRead): ModelFileReader {
  return async (entry, onProgress, signal) => {
    signal?.throwIfAborted();
    const bytes = await read(entry.file, onProgress);
    await verifyFileIntegrity(entry.file, bytes, entry);
    return { kind: 'bytes', bytes };
  };
}
