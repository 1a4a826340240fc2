// The svg-studio CLI as a user runs it: it writes a PNG carrying its settings, and bad arguments exit
// with status 2 and a message naming the problem.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../src/engine/png';

const MODELS = 'public/models/random-tiny';
const run = (...args: string[]) => spawnSync('node', ['bin/svg-studio.mjs', ...args], { encoding: 'utf8' });

describe('svg-studio CLI', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'svg-cli-'));

  it('generates a batch grid PNG with its settings in a tEXt chunk', async () => {
    const out = path.join(dir, 'grid.png');
    const result = run(
      'generate',
      '--models',
      MODELS,
      '--class',
      'cloud',
      '--seed',
      '3',
      '--steps',
      '2',
      '--batch',
      '2',
      '--out',
      out,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const png = await decodePng(new Uint8Array(readFileSync(out)));
    expect(png.image.width).toBeGreaterThan(png.image.height); // two tiles side by side
    expect(JSON.parse(png.text['svg-studio'] ?? '{}')).toMatchObject({
      modelSet: 'random-tiny',
      classId: 2,
      seed: 3,
      steps: 2,
      batch: 2,
    });
  });

  it('reconstructs an image file', () => {
    const input = path.join(dir, 'grid.png');
    const out = path.join(dir, 'recon.png');
    const result = run('reconstruct', '--models', MODELS, input, '--out', out);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('input | reconstruction');
  });

  it.each([
    [['generate', '--models', MODELS, '--class', 'unicorn', '--out', 'x.png'], /unknown class "unicorn"/],
    [
      ['generate', '--models', MODELS, '--class', '1', '--steps', '0', '--out', 'x.png'],
      /steps must be an integer in 1\.\.1000/,
    ],
    [
      ['generate', '--models', MODELS, '--class', '1', '--cfg', 'Infinity', '--out', 'x.png'],
      /--cfg must be a finite number/,
    ],
    [
      ['generate', '--models', 'no/such/dir', '--class', '1', '--out', 'x.png'],
      /no\/such\/dir\/manifest\.json: cannot read the manifest/,
    ],
    [
      ['reconstruct', '--models', MODELS, 'package.json', '--out', 'x.png'],
      /package\.json: not a PNG or JPEG file/,
    ],
  ])('rejects %j with status 2', (args, message) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
