// Paths inside the installed package, found from this module's own location (never the working
// directory), so `npx svg-studio` and a global install find the bundled model sets from any folder.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError } from '../engine/api/describe-error';
import { ManifestError } from '../engine/errors';
import { parseBundledIndex, type BundledIndex } from '../storage/preferences';

/** The package root: this file is <root>/src/cli/package-paths.ts. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * public/models/index.json: the bundled model sets and which is the default, the one place the default
 * is named (the studio reads the same file).
 */
export const BUNDLED_INDEX_FILE = path.join(PACKAGE_ROOT, 'public', 'models', 'index.json');

/**
 * The bundled default model set's folder, as `indexFile` names it (its `default` set's manifest; paths in
 * the index are relative to public/, the page's base: "models/<set>/manifest.json"). Read only when a
 * command is given no --models, so a missing index never stops one that names its folder. A missing,
 * unreadable or malformed index is a ManifestError naming the file and how to fix it: no folder is guessed.
 */
export function defaultModelsDirectory(indexFile: string = BUNDLED_INDEX_FILE): string {
  const fix =
    'pass --models <folder with manifest.json>, or restore the index (reinstall the package, or ' +
    '`git checkout public/models/index.json` in a clone)';
  let text: string;
  try {
    text = readFileSync(indexFile, 'utf8');
  } catch (error) {
    throw new ManifestError(
      `${indexFile}: cannot read the bundled model-set index, which names the default model set ` +
        `(${describeError(error)}); ${fix}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ManifestError(`${indexFile}: the bundled model-set index is not valid JSON; ${fix}`);
  }
  let index: BundledIndex;
  try {
    index = parseBundledIndex(json, indexFile);
  } catch (error) {
    throw new ManifestError(`${describeError(error)}; ${fix}`);
  }
  // The schema checks that `default` names a listed set.
  const entry = index.modelSets.find((set) => set.id === index.default) as BundledIndex['modelSets'][number];
  return path.dirname(path.resolve(path.dirname(indexFile), '..', entry.manifest));
}

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
