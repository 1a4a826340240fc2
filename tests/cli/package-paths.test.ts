// The bundled default model set comes from public/models/index.json alone: its `default` set's manifest
// folder; a missing or damaged index is a ManifestError naming the file and the fix, never a guessed folder.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_INDEX_FILE, defaultModelsDirectory, PACKAGE_ROOT } from '../../src/cli/package-paths';
import { ManifestError } from '../../src/engine/errors';

/** A package-like folder holding public/models/index.json with `text` (or no index when null). */
function packageWithIndex(text: string | null): string {
  const models = path.join(mkdtempSync(path.join(os.tmpdir(), 'svg-index-')), 'public', 'models');
  const index = path.join(models, 'index.json');
  if (text !== null) {
    mkdirSync(models, { recursive: true });
    writeFileSync(index, text);
  }
  return index;
}

describe('defaultModelsDirectory', () => {
  it('is the folder of the default set the bundled index names', () => {
    const index = JSON.parse(readFileSync(BUNDLED_INDEX_FILE, 'utf8')) as {
      modelSets: { id: string; manifest: string }[];
      default: string;
    };
    const entry = index.modelSets.find((set) => set.id === index.default);
    expect(defaultModelsDirectory()).toBe(
      path.dirname(path.join(PACKAGE_ROOT, 'public', entry?.manifest ?? '')),
    );
    const other = packageWithIndex(
      JSON.stringify({ modelSets: [{ id: 'b', manifest: 'models/b-set/manifest.json' }], default: 'b' }),
    );
    expect(defaultModelsDirectory(other)).toBe(path.join(path.dirname(other), 'b-set'));
  });

  it('names the missing index file and how to fix it instead of guessing a folder', () => {
    const missing = packageWithIndex(null);
    expect(() => defaultModelsDirectory(missing)).toThrow(ManifestError);
    expect(() => defaultModelsDirectory(missing)).toThrow(
      `${missing}: cannot read the bundled model-set index, which names the default model set (`,
    );
    expect(() => defaultModelsDirectory(missing)).toThrow(
      /\); pass --models <folder with manifest\.json>, or restore the index \(reinstall the package/,
    );
  });

  it('refuses an index that is not JSON, or whose default names no listed set', () => {
    expect(() => defaultModelsDirectory(packageWithIndex('{ not json'))).toThrow(
      /index\.json: the bundled model-set index is not valid JSON; pass --models/,
    );
    const unlisted = packageWithIndex(
      JSON.stringify({ modelSets: [{ id: 'a', manifest: 'models/a/manifest.json' }], default: 'z' }),
    );
    expect(() => defaultModelsDirectory(unlisted)).toThrow(ManifestError);
    expect(() => defaultModelsDirectory(unlisted)).toThrow(/default must name a listed set\); pass --models/);
  });
});
