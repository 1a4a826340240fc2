// Paths inside the installed package, found from this module's own location (never the working
// directory), so `npx svg-studio` and a global install find the bundled model sets from any folder.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: this file is <root>/src/cli/package-paths.ts. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const MODELS_ROOT = path.join(PACKAGE_ROOT, 'public', 'models');

/**
 * The bundled default model set's folder: public/models/index.json names the default set and its
 * manifest (the same list the studio reads). Falls back to the svg-mini-v2 folder when the index is absent.
 */
function defaultModelsDirectory(): string {
  try {
    const index = JSON.parse(readFileSync(path.join(MODELS_ROOT, 'index.json'), 'utf8')) as {
      modelSets?: { id?: unknown; manifest?: unknown }[];
      default?: unknown;
    };
    const entry = index.modelSets?.find((set) => set.id === index.default);
    if (typeof entry?.manifest === 'string') {
      // index.json paths are relative to public/ (the page's base): "models/<set>/manifest.json".
      return path.dirname(path.join(PACKAGE_ROOT, 'public', entry.manifest));
    }
  } catch {
    // Reported when the set is loaded: "<dir>/manifest.json: cannot read the manifest".
  }
  return path.join(MODELS_ROOT, 'svg-mini-v2');
}

export const DEFAULT_MODELS = defaultModelsDirectory();

/** The package's version (package.json), recorded in every PNG the CLI writes. */
export const PACKAGE_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
})();
