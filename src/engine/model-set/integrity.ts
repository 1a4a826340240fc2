// File integrity against the manifest: the size first (cheap), then the SHA-256. Readers verify each
// file once, while or after reading it (contract §2); the session set never hashes.
import { IntegrityError } from '../errors';

/** Lower-case hex SHA-256 (Web Crypto: the browser, its workers and Node 20 all have it). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws IntegrityError naming the file when its size or digest differs from the manifest's. */
export async function verifyFileIntegrity(
  file: string,
  bytes: Uint8Array,
  expected: { readonly bytes: number; readonly sha256: string },
): Promise<void> {
  if (bytes.byteLength !== expected.bytes) {
    throw new IntegrityError(
      `${file}: size is ${bytes.byteLength} bytes, the manifest says ${expected.bytes} (size mismatch: incomplete or replaced file)`,
    );
  }
  const digest = await sha256Hex(bytes);
  if (digest !== expected.sha256.toLowerCase()) {
    throw new IntegrityError(
      `${file}: SHA-256 is ${digest}, the manifest says ${expected.sha256} (hash mismatch: corrupt or replaced file)`,
    );
  }
}
