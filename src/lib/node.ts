// svg-studio in Node: the same API as the browser entry (src/lib/index.ts) over onnxruntime-node, on the
// CPU, in-process (the CLI's engine service). `models` is a model-set folder, its manifest.json path, or
// a file: URL to either.
//
//   import { createSvgEngine } from 'svg-studio';
//   const engine = await createSvgEngine({ models: 'public/models/svg-mini-v2' });
//   const { images, png } = await engine.generate({ classId: 3, seed: 7 });
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { ProviderPreferenceSchema } from '../engine/providers';
import { decodeImageFile } from '../cli/image-files';
import type { RgbaImage } from '../engine/formats/pixels';
import { EngineService } from '../engine/api/service';
import { loadNodeRuntime } from '../runtime/ort-node';
import { describeIssues, engineApi, type EngineOptions, type SvgEngine } from './engine-api';

export * from './engine-api';

const OPTIONS_SCHEMA = v.object({
  models: v.pipe(v.string('models must be a model-set folder or manifest.json path'), v.nonEmpty()),
  provider: v.optional(ProviderPreferenceSchema),
  onProgress: v.optional(v.function('onProgress must be a function')),
});

/** package.json's version, recorded in each result's metadata as the studio records its own. */
const PACKAGE_VERSION: string = (() => {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
})();

/** The model-set folder `models` names (a folder, its manifest.json, or a file: URL to either). */
export function modelSetDirectory(models: string): string {
  const local = models.startsWith('file:') ? fileURLToPath(models) : path.resolve(models);
  let isFolder: boolean;
  try {
    isFolder = statSync(local).isDirectory();
  } catch {
    isFolder = !local.endsWith('.json');
  }
  return isFolder ? local : path.dirname(local);
}

export async function createSvgEngine(options: EngineOptions): Promise<SvgEngine> {
  const checked = v.safeParse(OPTIONS_SCHEMA, options);
  if (!checked.success) throw new TypeError(`createSvgEngine: ${describeIssues(checked.issues)}`);
  const service = new EngineService(loadNodeRuntime);
  const loaded = await service.loadModelSet(
    { source: { kind: 'directory', path: modelSetDirectory(checked.output.models) }, provider: 'auto' },
    options.onProgress ? { onProgress: options.onProgress } : undefined,
  );
  return engineApi(service, loaded, () => service.dispose(), PACKAGE_VERSION);
}

/** Reads a PNG or JPEG file into the RGBA image reconstruct() takes. */
export async function readImage(file: string): Promise<RgbaImage> {
  return decodeImageFile(file, new Uint8Array(await readFile(file)));
}
