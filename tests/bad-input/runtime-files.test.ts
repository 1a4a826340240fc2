// ONNX Runtime's own files (ort/*.mjs, ort/*.wasm) missing or wrong, table-driven, against the check
// made when ORT fails to start or is stuck (src/runtime/ort-assets.ts), with a fake host and an ORT start
// that fails the way ORT does ("no available backend found", no file or URL) or hangs on the file. Every case
// names the runtime file and its URL and says it is the runtime, never a model file (defect 10).
import { expect } from 'vitest';
import { RuntimeFailureError } from '../../src/engine/errors';
import { startCheckingRuntimeFiles } from '../../src/runtime/ort-assets';
import { FakeModelHost, type Behaviour } from '../storage/fake-model-host';
import { badInputCases } from './suite';

const FOLDER = 'https://studio.test/app/ort/';
const MJS = 'ort-wasm-simd-threaded.mjs';
const WASM = 'ort-wasm-simd-threaded.wasm';
const text = (value: string) => new TextEncoder().encode(value);
const GOOD_SCRIPT: Behaviour = { body: text('var ortWasmThreaded = 1;'), contentType: 'text/javascript' };
const GOOD_WASM: Behaviour = { body: Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0) };
const HTML_PAGE = text('<!DOCTYPE html><html><body>Not found</body></html>');
const STALL_MS = 30;

/** ORT's start as it fails when its files are missing: a plain Error without file or URL. */
const ortFails = () =>
  Promise.reject(
    new Error(
      'no available backend found. ERR: [wasm] RuntimeError: Aborted(both async and sync fetching of the wasm failed)',
    ),
  );
/** ORT's start stuck on a file it cannot use (it waits forever): the check ends the wait. */
const ortHangs = () => new Promise<never>(() => {});

interface RuntimeFileCase {
  readonly name: string;
  readonly defect?: number;
  /** what the host does for the .mjs, then the .wasm */
  readonly script?: Behaviour;
  readonly wasm?: Behaviour;
  readonly hostDown?: boolean;
  readonly start?: () => Promise<never>;
  readonly message: string;
}

const AT = (file: string) => `ONNX Runtime file ${file}: ${FOLDER}${file}`;

const CASES: readonly RuntimeFileCase[] = [
  {
    name: '.wasm answers HTTP 404',
    defect: 10,
    wasm: { status: 404 },
    message: `${AT(WASM)} answered HTTP 404`,
  },
  {
    name: '.mjs answers HTTP 404',
    defect: 10,
    script: { status: 404 },
    message: `${AT(MJS)} answered HTTP 404`,
  },
  {
    name: '.wasm answers HTTP 500 while ORT hangs',
    wasm: { status: 500 },
    start: ortHangs,
    message: `${AT(WASM)} answered HTTP 500`,
  },
  {
    name: '.wasm path served the site page (text/html, a host fallback)',
    wasm: { body: HTML_PAGE, contentType: 'text/html; charset=utf-8' },
    message: `${AT(WASM)} served an HTML page (content-type text/html; charset=utf-8)`,
  },
  {
    name: '.wasm path served an HTML page as application/octet-stream',
    wasm: { body: HTML_PAGE },
    message: `${AT(WASM)} served text starting "<!DOCTYPE html><html><bo" (an HTML page?)`,
  },
  {
    name: '.mjs served as application/octet-stream',
    script: { body: text('var ortWasmThreaded = 1;') },
    message: `${AT(MJS)} is served as "application/octet-stream", and a module script needs a JavaScript content type`,
  },
  {
    name: '.mjs path served an HTML page labelled text/javascript',
    script: { body: HTML_PAGE, contentType: 'text/javascript' },
    message: `${AT(MJS)} served text starting "<!DOCTYPE html><html><bo" (an HTML page?)`,
  },
  {
    name: 'offline (host unreachable)',
    hostDown: true,
    message: `ONNX Runtime file ${MJS}: could not fetch ${FOLDER}${MJS} (Failed to fetch)`,
  },
  {
    name: 'host sends no response',
    script: { silent: true },
    message: `ONNX Runtime file ${MJS}: no bytes from ${FOLDER}${MJS} for 0.03 s (STALL_TIMEOUT_MS)`,
  },
  {
    name: '.wasm stalls after its headers',
    wasm: { stallAfter: 0 },
    message: `ONNX Runtime file ${WASM}: no bytes from ${FOLDER}${WASM} for 0.03 s (STALL_TIMEOUT_MS)`,
  },
  {
    name: '.wasm connection cut before its first bytes',
    wasm: { cutAt: 0 },
    message: `${AT(WASM)} broke off (network error)`,
  },
  {
    name: 'files answer but ORT still fails: its own message, with the build and folder',
    message: `ONNX Runtime (wasm build) did not start although its files at ${FOLDER} answered: no available backend found`,
  },
];

badInputCases('unit', 'ONNX Runtime files', CASES, async (testCase) => {
  const host = new FakeModelHost();
  host.behaviours = [testCase.script ?? GOOD_SCRIPT, testCase.wasm ?? GOOD_WASM];
  host.down = testCase.hostDown ?? false;
  const error = await startCheckingRuntimeFiles('wasm', FOLDER, testCase.start ?? ortFails, {
    fetch: host.fetch,
    stallTimeoutMs: STALL_MS,
  }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RuntimeFailureError);
  const message = (error as Error).message;
  expect(message).toContain(testCase.message);
  expect(message).not.toMatch(/\.onnx/); // never blamed on a model file
  if (message.startsWith('ONNX Runtime file'))
    expect(message).toContain('This is the inference runtime, not a model file');
});
