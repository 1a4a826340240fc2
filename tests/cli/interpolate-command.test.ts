// CLI-vs-page interpolation equality: the page's store slice (as the Interpolate view starts it) and
// `svg-studio interpolate` (run as a user runs it, in its own process) on random-tiny write the same GIF
// and PNG-strip bytes for seed endpoints and for image endpoints; bad arguments exit 2 naming the option.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readImageFile } from '../../src/cli/image-files';
import { EngineService } from '../../src/engine/api/service';
import {
  interpolationGif,
  interpolationPngStrip,
  seedEndpoints,
} from '../../src/engine/pipelines/interpolate';
import { nodeRuntimeLoader } from '../../src/runtime/ort-node';
import { parseGif } from '../engine/gif-parser';
import { runCli, TINY } from './run-cli';

const engine = new EngineService(nodeRuntimeLoader('cpu'));
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');

const dir = mkdtempSync(path.join(tmpdir(), 'svg-interpolate-'));
const SAMPLES = ['public/samples/cat-emoji.png', 'public/samples/apple-emoji.png'];

beforeAll(async () => {
  const { manifest } = await engine.loadModelSet({
    source: { kind: 'directory', path: TINY },
    provider: 'auto',
  });
  useStudio.setState({ manifest, loadStatus: 'ready' });
  useStudio.getState().adoptManifestDefaults(manifest);
});
afterAll(() => engine.dispose());

/** The page's run through its slice; returns the finished result the export buttons use. */
async function pageRun(input: Parameters<ReturnType<typeof useStudio.getState>['interpolate']>[0]) {
  await useStudio.getState().interpolate(input);
  const { interpolation, interpolationError } = useStudio.getState();
  expect(interpolationError).toBeNull();
  return interpolation!;
}

describe('svg-studio interpolate', () => {
  it('writes the GIF and PNG strip the page exports, for two seeds (slerp)', async () => {
    const state = useStudio.getState();
    const page = await pageRun({
      endpoints: seedEndpoints(state.manifest!, [1, 2], { ...state.settings, classId: 3 }),
      frames: 5,
      choice: 'spherical',
    });
    expect(page.baseName).toBe('interpolation-spherical-5f');
    const gifFile = path.join(dir, 'seeds.gif');
    const pngFile = path.join(dir, 'seeds.png');
    const common = ['--models', TINY, '--class', '3', '--seeds', '1,2', '--frames', '5', '--mode', 'slerp'];
    const gifRun = runCli(['interpolate', ...common, '--out', gifFile]);
    expect(gifRun.stderr).not.toMatch(/svg-studio:/);
    expect(gifRun.status).toBe(0);
    const cliGif = new Uint8Array(readFileSync(gifFile));
    expect(cliGif).toEqual(interpolationGif(page));
    expect(parseGif(cliGif).frames).toHaveLength(5);
    expect(runCli(['interpolate', ...common, '--out', pngFile]).status).toBe(0);
    expect(new Uint8Array(readFileSync(pngFile))).toEqual(await interpolationPngStrip(page));
  });

  it('writes the page GIF for two image endpoints (lerp in latent space)', async () => {
    // The page decodes uploads through the canvas; here both sides take the CLI's decoder (same pixels).
    const items = await Promise.all(SAMPLES.map((file) => readImageFile(file)));
    const page = await pageRun({ endpoints: { kind: 'images', items }, frames: 4, choice: 'linear' });
    const gifFile = path.join(dir, 'images.gif');
    const run = runCli([
      'interpolate',
      ...['--models', TINY, '--images', SAMPLES.join(','), '--frames', '4', '--mode', 'lerp'],
      ...['--out', gifFile],
    ]);
    expect(run.status).toBe(0);
    expect(new Uint8Array(readFileSync(gifFile))).toEqual(interpolationGif(page));
  });

  it.each([
    [['--class', '0', '--seeds', '1', '--frames', '4', '--out', 'x.gif'], /--seeds takes two .* or four/],
    [
      ['--class', '0', '--seeds', '1,2', '--images', 'a.png,b.png', '--frames', '4', '--out', 'x.gif'],
      /exactly one of --seeds/,
    ],
    [['--seeds', '1,2', '--frames', '4', '--out', 'x.gif'], /--class is required with --seeds/],
    [['--class', '0', '--seeds', '1,x', '--frames', '4', '--out', 'x.gif'], /--seeds value "x"/],
    [
      ['--class', '0', '--seeds', '1,2', '--frames', '4', '--mode', 'cubic', '--out', 'x.gif'],
      /--mode must be lerp\|slerp\|compare, got "cubic"/,
    ],
    [
      ['--class', '0', '--seeds', '1,2', '--frames', '4', '--out', 'x.webm'],
      /--out must end in \.gif or \.png/,
    ],
    [
      ['--class', '0', '--seeds', '1,2,3,4', '--frames', '9', '--out', 'x.gif'],
      /--frames 9 is outside .* grid/,
    ],
  ])('refuses %j with exit 2', (args, message) => {
    const run = runCli(['interpolate', '--models', TINY, ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
