// The browser's EngineService: loads manifests and ONNX files over fetch (with byte progress) and runs
// them on onnxruntime-web.
import { ManifestError, ModelFetchError } from '../engine/errors';
import { readManifestText } from '../engine/manifest';
import { EngineService, type RuntimeLoader } from '../engine/service';
import type { ModelSetRuntime } from '../engine/runtime-contract';
import { loadWebModelSet } from '../runtime/ort-web';

async function fetchOrThrow(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ModelFetchError(
      `${url}: unreachable (${error instanceof Error ? error.message : error}); a CORS refusal looks the same`,
    );
  }
  if (!response.ok) throw new ModelFetchError(`${url}: HTTP ${response.status} ${response.statusText}`);
  return response;
}

/** Reads a response body, reporting bytes as they arrive. */
async function readWithProgress(response: Response, onProgress?: (loaded: number, total: number) => void) {
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const loadWebRuntime: RuntimeLoader = async (request, onProgress) => {
  const manifestUrl = request.source;
  const text = await (await fetchOrThrow(manifestUrl)).text();
  if (!text.trimStart().startsWith('{')) throw new ManifestError(`${manifestUrl}: not a JSON manifest`);
  const { manifest, manifestSha256 } = await readManifestText(text, manifestUrl);
  const runtime = await loadWebModelSet({
    manifest,
    preference: request.provider,
    readFile: async (file, progress) =>
      readWithProgress(await fetchOrThrow(new URL(file, manifestUrl).href), progress),
    onProgress: onProgress,
  });
  return { manifest, manifestSha256, runtime: runtime as ModelSetRuntime<unknown> };
};

export function createWebEngine(): EngineService {
  return new EngineService(loadWebRuntime);
}
