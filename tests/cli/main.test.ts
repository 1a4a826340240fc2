// The svg-studio CLI as a user runs it: PNGs carry the studio's one metadata format, reconstruct writes
// the reconstruction at the crop's size, --help works everywhere, and bad input (arguments, files,
// output paths) exits 2 with a message naming the path or value, before any work.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng } from '../../src/engine/formats/png';
import { readResultMetadata } from '../../src/engine/formats/result-metadata';
import { jpegWithOrientation } from '../engine/jpeg-fixtures';
import { runCli, TINY } from './run-cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'svg-cli-'));
const at = (name: string) => path.join(dir, name);

function expectOk(result: ReturnType<typeof runCli>): void {
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

async function writeTestPng(file: string, width: number, height: number): Promise<void> {
  const data = new Uint8ClampedArray(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
  writeFileSync(file, await encodePng({ width, height, data }));
}

const pngSize = async (file: string) => {
  const { image } = await decodePng(new Uint8Array(readFileSync(file)));
  return [image.width, image.height];
};

describe('svg-studio CLI', () => {
  it('writes the studio metadata format: a batch as a grid (batchIndex null), one image as itself', async () => {
    const grid = at('grid.png');
    const latents = at('grid.npy');
    expectOk(
      runCli([
        'generate',
        '--models',
        TINY,
        '--class',
        'cloud',
        '--seed',
        '3',
        '--steps',
        '2',
        '--batch',
        '2',
        '--out',
        grid,
        '--latent-out',
        latents,
      ]),
    );
    expect(await readResultMetadata(new Uint8Array(readFileSync(grid)), 'grid.png')).toMatchObject({
      modelSetId: 'random-tiny',
      manifestSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      settings: { classId: 2, seed: 3, steps: 2, batch: 2, sampler: 'euler' },
      batchIndex: null,
    });
    expect(await pngSize(grid)).toEqual([2 + 2 * (64 + 2), 64 + 4]); // two tiles with 2 px padding
    expect(existsSync(latents)).toBe(true);
    const single = at('single.png');
    expectOk(runCli(['generate', '--models', TINY, '--class', '1', '--steps', '1', '--out', single]));
    expect(await readResultMetadata(new Uint8Array(readFileSync(single)), 'single.png')).toMatchObject({
      settings: { classId: 1, seed: 0, batch: 1 },
      batchIndex: 0,
    });
  });

  it('reconstructs at the centre crop’s size in the input, or as a strip with --compare', async () => {
    await writeTestPng(at('square.png'), 80, 80);
    await writeTestPng(at('wide.png'), 100, 50);
    expectOk(runCli(['reconstruct', '--models', TINY, at('square.png'), '--out', at('square-recon.png')]));
    expect(await pngSize(at('square-recon.png'))).toEqual([80, 80]);
    expectOk(runCli(['reconstruct', '--models', TINY, at('wide.png'), '--out', at('wide-recon.png')]));
    expect(await pngSize(at('wide-recon.png'))).toEqual([50, 50]);
    expectOk(
      runCli(['reconstruct', '--models', TINY, at('wide.png'), '--compare', '--out', at('strip.png')]),
    );
    expect(await pngSize(at('strip.png'))).toEqual([2 + 2 * (64 + 2), 64 + 4]);
  });

  it('applies JPEG EXIF orientation before cropping (a 40x80 photo stored sideways is 80x40 upright)', async () => {
    writeFileSync(at('rotated.jpg'), jpegWithOrientation(40, 80, 6));
    expectOk(runCli(['reconstruct', '--models', TINY, at('rotated.jpg'), '--out', at('rotated-recon.png')]));
    expect(await pngSize(at('rotated-recon.png'))).toEqual([40, 40]);
    const { decodeImageFile } = await import('../../src/cli/image-files');
    const upright = await decodeImageFile('rotated.jpg', new Uint8Array(readFileSync(at('rotated.jpg'))));
    expect([upright.width, upright.height]).toEqual([80, 40]);
  });

  it('prints usage and exits 0 for --help, <command> --help and help <command>', () => {
    // (every spelling is covered by tests/cli/args.test.ts; here two as processes)
    for (const args of [['--help'], ['generate', '--help']]) {
      const result = runCli(args);
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/Usage: svg-studio/);
    }
  });

  it('finds the bundled default model set from any working directory', () => {
    const out = at('default-set.png');
    const result = runCli(['generate', '--class', '0', '--steps', '1', '--out', out], { cwd: os.tmpdir() });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/onnxruntime-node CPU/);
  });

  it.each([
    [['generate', '--models', TINY, '--class', 'unicorn', '--out', 'x.png'], /unknown class "unicorn"/],
    [
      ['generate', '--models', 'no/such/dir', '--class', '1', '--out', at('x.png')],
      /no\/such\/dir\/manifest\.json: cannot read the manifest/,
    ],
    [
      ['generate', '--models', TINY, '--class', '1', '--provider', 'quantum', '--out', at('x.png')],
      /--provider "quantum" is not an execution provider onnxruntime-node knows/,
    ],
    [
      ['reconstruct', '--models', TINY, 'package.json', '--out', at('x.png')],
      /package\.json: not an image the studio can read/,
    ],
    [
      ['reconstruct', '--models', TINY, 'src', '--out', at('x.png')],
      /src: is a directory, not a regular file/,
    ],
    [
      ['reconstruct', '--models', TINY, 'missing.png', '--out', at('x.png')],
      /missing\.png: cannot open \(no such file\)/,
    ],
  ])('rejects %j with status 2', (args, message) => {
    const result = runCli(args);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
  });

  it('names the file of a damaged PNG (exit 2)', async () => {
    await writeTestPng(at('damaged.png'), 8, 8);
    const bytes = readFileSync(at('damaged.png'));
    const at6 = bytes.indexOf('IDAT') + 6;
    bytes[at6] = (bytes[at6] as number) ^ 0xff;
    writeFileSync(at('damaged.png'), bytes);
    const result = runCli(['reconstruct', '--models', TINY, at('damaged.png'), '--out', at('x.png')]);
    expect(result.stderr).toMatch(/damaged\.png: corrupt PNG: CRC mismatch in the IDAT chunk/);
    expect(result.status).toBe(2);
  });

  it('refuses a FIFO as the input image instead of hanging', () => {
    const fifo = at('input.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = runCli(['reconstruct', '--models', TINY, fifo, '--out', at('x.png')]);
    expect(result.stderr).toMatch(/input\.fifo: is a FIFO \(named pipe\), not a regular file/);
    expect(result.status).toBe(2);
  });

  it('checks every output path before any work', () => {
    const blocker = at('a-file');
    writeFileSync(blocker, 'x');
    mkdirSync(at('a-folder'), { recursive: true });
    const cases: [string[], RegExp][] = [
      [['--out', path.join(blocker, 'a.png')], /--out .*a-file\/a\.png: .*a-file is a file, not a folder/],
      [
        ['--out', '/proc/self/nope/a.png'],
        /--out \/proc\/self\/nope\/a\.png: .* is on procfs, a kernel filesystem/,
      ],
      [['--out', at('a-folder')], /--out .*a-folder: exists and is a folder/],
      [
        ['--out', at('ok.png'), '--latent-out', path.join(blocker, 'z.npy')],
        /--latent-out .*a-file\/z\.npy: .*is a file, not a folder/,
      ],
    ];
    for (const [extra, message] of cases) {
      const result = runCli(['generate', '--models', TINY, '--class', '1', '--steps', '1', ...extra]);
      expect(result.stderr).toMatch(message);
      expect(result.status).toBe(2);
    }
    // --latent-out refused before the PNG was written
    expect(existsSync(at('ok.png'))).toBe(false);
    const sample = runCli(['sample', '--models', TINY, '--num', '2', '--out', path.join(blocker, 'run')]);
    expect(sample.stderr).toMatch(/a-file is a file, not a folder/);
    expect(sample.status).toBe(2);
  });
});
