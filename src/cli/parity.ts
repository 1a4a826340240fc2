// Parity harness: `npm run parity -- <fixture-dir>`. Exports every network found in a folder laid out
// like ../shared/fixtures/reference with export-scripts/export_network.py, runs the graphs in
// onnxruntime-node, runs the TypeScript RNG, alignment and sampler (driving the exported DiT) on the
// folder's cases, prints one line per case with its max absolute error, and exits 1 above tolerance.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assembleLatent, matchDistribution } from '../engine/latent/latents';
import { parseNpy, type NpyArray } from '../engine/formats/npy';
import { drawRngCase, maxAbsError, type RngCase, type SamplerCase } from './parity-cases';
import { parseGuidanceSchedule } from '../engine/schedulers/guidance';
import { sampleFlow } from '../engine/schedulers/sampler';
import { cpuLatentMath, cpuTensor, type CpuTensor } from '../engine/latent/tensor';
import { openOnnxFile, type OnnxFileSession } from '../runtime/ort-node';
import { describeError } from '../engine/api/describe-error';

const TOLERANCE = { network: 1e-4, sampler: 2e-4, rngLarge: 1e-5 };
const PYTHON = process.env.SVG_PYTHON ?? '/usr/bin/python3';

/** Fixture file stem → export_network.py --network value. */
const NETWORKS = { dinov3: 'dino', residual_vit: 'residual', decoder: 'decoder', dit: 'dit' } as const;
type FixtureNetwork = keyof typeof NETWORKS;

interface CaseResult {
  readonly name: string;
  readonly error: number;
  readonly tolerance: number;
  readonly note?: string;
}

class Fixtures {
  constructor(readonly dir: string) {}
  has(file: string): boolean {
    return existsSync(path.join(this.dir, file));
  }
  npy(file: string): NpyArray {
    return parseNpy(new Uint8Array(readFileSync(path.join(this.dir, file))));
  }
  tensor(file: string): CpuTensor {
    const array = this.npy(file);
    return cpuTensor(Float32Array.from(array.data as ArrayLike<number>), array.shape);
  }
  labels(file: string): BigInt64Array {
    const array = this.npy(file);
    return array.data instanceof BigInt64Array
      ? array.data
      : BigInt64Array.from(Array.from(array.data as ArrayLike<number>, BigInt));
  }
  json<T>(file: string): T {
    return JSON.parse(readFileSync(path.join(this.dir, file), 'utf8')) as T;
  }
}

/** Rows [from, to) of the leading axis of a tensor. */
function sliceBatch(tensor: CpuTensor, from: number, to: number): CpuTensor {
  const row = tensor.data.length / (tensor.dims[0] as number);
  return cpuTensor(tensor.data.slice(from * row, to * row), [to - from, ...tensor.dims.slice(1)]);
}

/** The first `channels` of the last axis (the DiT's learned-sigma output keeps the velocity first). */
function leadingChannels(tensor: CpuTensor, channels: number): Float32Array {
  const last = tensor.dims[tensor.dims.length - 1] as number;
  const rows = tensor.data.length / last;
  const out = new Float32Array(rows * channels);
  for (let r = 0; r < rows; r++) out.set(tensor.data.subarray(r * last, r * last + channels), r * channels);
  return out;
}

function exportNetwork(fixtures: Fixtures, stem: FixtureNetwork, workDir: string): string {
  const out = path.join(workDir, `${stem}.onnx`);
  // DINOv3 accepts any image size but an export fixes it (RoPE tables are constants): use the fixture's.
  const imageSize =
    stem === 'dinov3' && fixtures.has('image.npy')
      ? ['--image-size', String(fixtures.npy('image.npy').shape[2])]
      : [];
  execFileSync(
    PYTHON,
    [
      'export-scripts/export_network.py',
      '--network',
      NETWORKS[stem],
      '--config',
      path.join(fixtures.dir, `${stem}_state_dict_config.json`),
      '--weights',
      path.join(fixtures.dir, `${stem}_state_dict.pt`),
      '--out',
      out,
      ...imageSize,
      '--no-ort-check',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return out;
}

async function networkCases(fixtures: Fixtures, sessions: Partial<Record<FixtureNetwork, OnnxFileSession>>) {
  const results: CaseResult[] = [];
  const image = fixtures.has('image.npy') ? fixtures.tensor('image.npy') : null;
  const run = async (
    session: OnnxFileSession,
    inputs: Record<string, CpuTensor | { data: BigInt64Array; dims: number[] }>,
  ) => Object.values(await session.run(inputs))[0] as CpuTensor;
  const compare = (name: string, actual: Float32Array, expected: ArrayLike<number>) =>
    results.push({ name, error: maxAbsError(actual, expected), tolerance: TOLERANCE.network });
  const expectedFile = (file: string) => fixtures.npy(file).data as Float32Array;

  let patchTokens: CpuTensor | null = null;
  let residual: CpuTensor | null = null;
  if (sessions.dinov3 && image) {
    patchTokens = await run(sessions.dinov3, { pixels: image });
    compare('dinov3 x_norm_patchtokens', patchTokens.data, expectedFile('dinov3_x_norm_patchtokens.npy'));
  }
  if (sessions.residual_vit && image) {
    residual = await run(sessions.residual_vit, { pixels: image });
    compare('residual_vit out', residual.data, expectedFile('residual_vit_out.npy'));
  }
  let encoded: CpuTensor | null = null;
  if (patchTokens && residual && image) {
    const eps = fixtures.has('encode_config.json')
      ? fixtures.json<{ match_distribution_eps: number }>('encode_config.json').match_distribution_eps
      : 1e-6;
    encoded = assembleLatent(patchTokens, residual, eps);
    compare('encode out', encoded.data, expectedFile('encode_out.npy'));
    if (fixtures.has('encode_h_vit_matched.npy')) {
      const matched = matchDistribution(patchTokens, residual, eps);
      compare('encode h_vit matched', matched.data, expectedFile('encode_h_vit_matched.npy'));
    }
    if (fixtures.has('encode_out_first_image_alone.npy') && sessions.dinov3 && sessions.residual_vit) {
      const first = sliceBatch(image, 0, 1);
      const alone = assembleLatent(
        await run(sessions.dinov3, { pixels: first }),
        await run(sessions.residual_vit, { pixels: first }),
        eps,
      );
      compare(
        'encode first image alone (batch statistics)',
        alone.data,
        expectedFile('encode_out_first_image_alone.npy'),
      );
    }
  }
  if (sessions.decoder) {
    const decoded = await run(sessions.decoder, { latent: fixtures.tensor('decoder_in.npy') });
    compare('decoder out', decoded.data, expectedFile('decoder_out.npy'));
    const encodedLatent = encoded;
    if (encodedLatent && fixtures.has('decode_of_encode_out.npy')) {
      const chain = await run(sessions.decoder, { latent: encodedLatent });
      compare('decode of encode', chain.data, expectedFile('decode_of_encode_out.npy'));
    }
  }
  if (sessions.dit) {
    const x = fixtures.tensor('dit_x.npy');
    const channels = x.dims[2] as number;
    const velocity = await run(sessions.dit, {
      x,
      t: fixtures.tensor('dit_t.npy'),
      y: { data: fixtures.labels('dit_y.npy'), dims: [x.dims[0] as number] },
    });
    compare(
      'dit velocity (first C of 2C)',
      velocity.data,
      leadingChannels(fixtures.tensor('dit_out.npy'), channels),
    );
  }
  return results;
}

async function samplerCases(fixtures: Fixtures, dit: OnnxFileSession): Promise<CaseResult[]> {
  const { cases } = fixtures.json<{ cases: SamplerCase[] }>('sampler_cases.json');
  const z = fixtures.tensor('sampler_z.npy');
  const labels = Array.from(fixtures.labels('sampler_y.npy'), Number);
  const nullId = Number(fixtures.labels('sampler_y_null.npy')[0]);
  const results: CaseResult[] = [];
  for (const c of cases) {
    const calls: number[] = [];
    const final = await sampleFlow<CpuTensor>({
      noise: z,
      steps: c.sample_steps,
      solver: c.mode,
      shift: c.timestep_shift,
      labels,
      nullId,
      guidance: c.use_null ? { scale: c.cfg, schedule: parseGuidanceSchedule(c.cfg_mode) } : null,
      math: cpuLatentMath,
      previewEvery: 0,
      model: async (x, t, y) => {
        const batch = x.dims[0] as number;
        // a guided call is batch 2B ([cond; uncond]): it stands for the reference's two calls at t
        for (let k = 0; k < batch / labels.length; k++) calls.push(t);
        const out = await dit.run({
          x,
          t: { data: new Float32Array(batch).fill(t), dims: [batch] },
          y: { data: BigInt64Array.from(Array.from(y, (v) => BigInt(v))), dims: [batch] },
        });
        return Object.values(out)[0] as CpuTensor;
      },
    });
    const expectedCalls = fixtures.npy(`sampler_${c.name}_call_t.npy`);
    const callT = Array.from(
      { length: expectedCalls.shape[0] as number },
      (_, i) => (expectedCalls.data as Float32Array)[i * (expectedCalls.shape[1] as number)] as number,
    );
    const callNote =
      calls.length === callT.length
        ? `${calls.length} model calls`
        : `${calls.length} model calls, expected ${callT.length}`;
    const error =
      calls.length === callT.length
        ? maxAbsError(final.data, fixtures.npy(`sampler_${c.name}_final.npy`).data as Float32Array)
        : Infinity;
    results.push({
      name: `sampler ${c.name} (${c.mode}, ${c.sample_steps} steps, ${c.use_null ? c.cfg_mode : 'no guidance'})`,
      error: Math.max(error, maxAbsError(calls, callT)),
      tolerance: TOLERANCE.sampler,
      note: callNote,
    });
  }
  return results;
}

function rngCases(fixtures: Fixtures): CaseResult[] {
  const { cases } = fixtures.json<{ cases: RngCase[] }>('rng_cases.json');
  return cases.map((c) => {
    const actual = drawRngCase(c);
    const exact = c.calls.every((shape) => shape.reduce((a, b) => a * b, 1) < 16);
    return {
      name: `rng ${c.file} (${c.kernel}${exact ? ', bit-exact' : ''})`,
      error: maxAbsError(actual, fixtures.npy(c.file).data as Float32Array),
      tolerance: exact ? 0 : TOLERANCE.rngLarge,
    };
  });
}

async function main(dirArg: string | undefined): Promise<number> {
  if (!dirArg) throw new Error('usage: npm run parity -- <fixture-dir>');
  const fixtures = new Fixtures(path.resolve(dirArg));
  if (!existsSync(fixtures.dir)) throw new Error(`${fixtures.dir}: no such fixture folder`);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'svg-parity-'));
  const sessions: Partial<Record<FixtureNetwork, OnnxFileSession>> = {};
  for (const stem of Object.keys(NETWORKS) as FixtureNetwork[]) {
    if (fixtures.has(`${stem}_state_dict.pt`))
      sessions[stem] = await openOnnxFile(exportNetwork(fixtures, stem, workDir));
  }
  const results = [
    ...(fixtures.has('rng_cases.json') ? rngCases(fixtures) : []),
    ...(await networkCases(fixtures, sessions)),
    ...(sessions.dit && fixtures.has('sampler_cases.json') ? await samplerCases(fixtures, sessions.dit) : []),
  ];
  await Promise.all(Object.values(sessions).map((s) => s.release()));
  let failed = 0;
  for (const r of results) {
    const pass = r.error <= r.tolerance;
    if (!pass) failed++;
    console.log(
      `${pass ? 'PASS' : 'FAIL'}  ${r.name.padEnd(60)} max|err| ${r.error.toExponential(2)}  (tol ${r.tolerance.toExponential(0)})${r.note ? `  ${r.note}` : ''}`,
    );
  }
  console.log(`parity: ${results.length - failed} passed, ${failed} failed`);
  return results.length === 0 ? 1 : failed ? 1 : 0;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`parity: ${describeError(error)}`);
    process.exit(1);
  },
);
