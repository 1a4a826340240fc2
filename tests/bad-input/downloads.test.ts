// Download faults, table-driven, against the browser's model-file reader with a fake host and a fake
// Cache Storage: every case asserts the exact error class and message (naming the file, the URL and the
// byte offset where there is one), that nothing reached the file's final cache key, and that what the
// cache held before (another set's file and record) is intact.
import { beforeEach, expect } from 'vitest';
import {
  IntegrityError,
  ManifestError,
  ModelFetchError,
  SamplingCancelledError,
  type SvgStudioError,
} from '../../src/engine/errors';
import { sha256Hex, type FileEntry } from '../../src/engine/model-set';
import { ModelCache, type CachedSetRecord } from '../../src/storage/model-cache';
import { DownloadReader, MAX_AUTO_RESUMES } from '../../src/storage/model-download';
import { FakeCache } from '../storage/fake-cache';
import { FakeModelHost, FILE_BYTES, type Behaviour } from '../storage/fake-model-host';
import { badInputCases } from './suite';

const MANIFEST_URL = 'https://models.test/sets/tiny/manifest.json';
const URL_OF = (file: string) => `https://models.test/sets/tiny/${file}`;
const STALL_MS = 30;
const page = (text: string) => new TextEncoder().encode(text);
const repeat = (times: number, behaviour: Behaviour) => Array.from({ length: times }, () => behaviour);

interface DownloadCase {
  readonly name: string;
  readonly behaviours?: readonly Behaviour[];
  readonly hostDown?: boolean;
  /** the file name the manifest gives (default dit.onnx) */
  readonly file?: string;
  /** aborts the load once this many bytes arrived */
  readonly cancelAt?: number;
  readonly error: new (message: string) => SvgStudioError;
  readonly message: string | RegExp;
}

const cases: readonly DownloadCase[] = [
  {
    name: 'stalls after 1 KB of the body',
    behaviours: [{ stallAfter: 1024 }],
    error: ModelFetchError,
    message: `dit.onnx: no bytes from ${URL_OF('dit.onnx')} for 0.03 s (STALL_TIMEOUT_MS) after byte 1024 of 10000; the download stalled`,
  },
  {
    name: 'stalls before the headers',
    behaviours: [{ silent: true }],
    error: ModelFetchError,
    message: `dit.onnx: ${URL_OF('dit.onnx')} sent no response for 0.03 s (STALL_TIMEOUT_MS) at byte 0`,
  },
  {
    name: 'HTTP 404',
    behaviours: [{ status: 404 }],
    error: ModelFetchError,
    message: `dit.onnx: ${URL_OF('dit.onnx')} answered HTTP 404`,
  },
  {
    name: 'HTTP 500 on a resume',
    behaviours: [{ cutAt: 3000 }, { status: 500 }],
    error: ModelFetchError,
    message: `dit.onnx: ${URL_OF('dit.onnx')} answered HTTP 500 at byte 3000`,
  },
  {
    name: 'host unreachable',
    hostDown: true,
    error: ModelFetchError,
    message: `dit.onnx: could not fetch ${URL_OF('dit.onnx')} at byte 0 (Failed to fetch)`,
  },
  {
    name: 'HTML page with content-type text/html',
    behaviours: [{ body: page('<html><body>404</body></html>'), contentType: 'text/html' }],
    error: IntegrityError,
    message: `dit.onnx: ${URL_OF('dit.onnx')} served an HTML page (content-type text/html) instead of the model file`,
  },
  {
    name: 'HTML page served as application/octet-stream',
    behaviours: [{ body: page('<!DOCTYPE html>\n<html lang="en">') }],
    error: IntegrityError,
    message: `dit.onnx: ${URL_OF('dit.onnx')} served text starting "<!DOCTYPE html> <html la" (an HTML page?) instead of the model file`,
  },
  {
    name: 'XML error page (a storage bucket denying access)',
    behaviours: [{ body: page('<?xml version="1.0"?><Error>AccessDenied</Error>') }],
    error: IntegrityError,
    message: /served text starting "<\?xml version="1\.0"\?><Er" \(an HTML page\?\)/,
  },
  {
    name: 'one byte changed',
    behaviours: [{ body: FILE_BYTES.map((b, i) => (i === 1234 ? b ^ 1 : b)) }],
    error: IntegrityError,
    message:
      /dit\.onnx: SHA-256 of https:\/\/models\.test\/sets\/tiny\/dit\.onnx is [0-9a-f]{64}, the manifest says [0-9a-f]{64} \(hash mismatch/,
  },
  {
    name: 'longer than the manifest says',
    behaviours: [{ body: new Uint8Array(20_000).fill(8) }],
    error: IntegrityError,
    message: `dit.onnx: ${URL_OF('dit.onnx')} sent more than the 10000 bytes the manifest says`,
  },
  {
    name: 'truncated on every attempt',
    behaviours: repeat(MAX_AUTO_RESUMES + 1, { body: FILE_BYTES.subarray(0, 6000) }),
    error: ModelFetchError,
    message: `dit.onnx: the response from ${URL_OF('dit.onnx')} ended at byte 6000 of 10000`,
  },
  {
    name: 'cut on every attempt',
    behaviours: repeat(MAX_AUTO_RESUMES + 1, { cutAt: 10 }),
    error: ModelFetchError,
    message: `dit.onnx: the connection to ${URL_OF('dit.onnx')} broke at byte ${10 * (MAX_AUTO_RESUMES + 1)} of 10000 (network error)`,
  },
  {
    name: 'a resume answered with the wrong byte range',
    behaviours: [{ cutAt: 5000 }, { contentRangeStart: 4000 }],
    error: ModelFetchError,
    message: `dit.onnx: ${URL_OF('dit.onnx')} answered a request for bytes from 5000 with bytes from 4000`,
  },
  {
    name: 'cancelled mid-body',
    behaviours: [{ stallAfter: 2048 }],
    cancelAt: 2048,
    error: SamplingCancelledError,
    message: 'loading dit.onnx was cancelled; nothing of it was kept',
  },
  ...[
    '%2e%2e/other-set/dit.onnx',
    '%2E%2e/%2e%2E/dit.onnx',
    'a/%2e%2e/%2e%2e/dit.onnx',
    'https://evil.test/dit.onnx',
    '//evil.test/dit.onnx',
    '/sets/tiny/dit.onnx',
    '..\\dit.onnx',
    'dit.onnx#fragment',
    'data:application/octet-stream;base64,CAE=',
  ].map((file): DownloadCase => ({
    name: `file name ${file}`,
    file,
    error: ManifestError,
    message: `${MANIFEST_URL}: file "${file}"`,
  })),
];

let store: FakeCache;
let cache: ModelCache;
let host: FakeModelHost;
let entry: FileEntry;
const otherFile = new Uint8Array(500).fill(8);
let other: FileEntry;
let otherRecord: CachedSetRecord;

beforeEach(async () => {
  store = new FakeCache();
  cache = new ModelCache(store);
  host = new FakeModelHost();
  entry = { file: 'dit.onnx', bytes: FILE_BYTES.byteLength, sha256: await sha256Hex(FILE_BYTES) };
  other = { file: 'decoder.onnx', bytes: otherFile.byteLength, sha256: await sha256Hex(otherFile) };
  otherRecord = {
    source: 'https://elsewhere.test/manifest.json',
    id: 'other',
    name: 'Other',
    manifestText: '{}',
    files: [other],
    cachedAt: '2026-01-01T00:00:00Z',
  };
  await cache.writeFile(other, otherFile);
  await cache.writeSet(otherRecord);
});

badInputCases('unit', 'downloads', cases, async (testCase) => {
  host.behaviours = [...(testCase.behaviours ?? [])];
  host.down = testCase.hostDown ?? false;
  const controller = new AbortController();
  const reader = new DownloadReader({
    manifestUrl: MANIFEST_URL,
    cache,
    signal: controller.signal,
    stallTimeoutMs: STALL_MS,
    fetch: host.fetch,
  });
  const read = reader.read({ ...entry, file: testCase.file ?? entry.file }, (loaded) => {
    if (loaded === testCase.cancelAt) setTimeout(() => controller.abort(), 0);
  });
  const error = await read.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(testCase.error);
  if (typeof testCase.message === 'string') expect((error as Error).message).toContain(testCase.message);
  else expect((error as Error).message).toMatch(testCase.message);
  // Nothing under the file's final key; the other set's file and record are intact.
  expect(await cache.readFile(entry)).toBeNull();
  expect(await cache.readFile(other)).toEqual(otherFile);
  expect(await cache.listSets()).toEqual([otherRecord]);
});
