// Access to the reference fixture folder for the engine tests: $SVG_FIXTURES, or ../shared/fixtures/reference
// next to the repository. Every expectation is derived from the files and their JSON descriptions, so the
// tests run unchanged on other fixture sets (other seeds, sizes, batches).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNpy, type NpyArray } from '../../src/engine/formats/npy';
import { cpuTensor, type CpuTensor } from '../../src/engine/latent/tensor';

export const FIXTURE_DIR = path.resolve(
  process.env.SVG_FIXTURES ??
    path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/reference'),
);

function fixturePath(file: string): string {
  if (!existsSync(FIXTURE_DIR))
    throw new Error(`fixture folder ${FIXTURE_DIR} is missing (set SVG_FIXTURES)`);
  return path.join(FIXTURE_DIR, file);
}

export const hasFixture = (file: string): boolean => existsSync(path.join(FIXTURE_DIR, file));
export const fixtureBytes = (file: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(file)));
export const fixtureNpy = (file: string): NpyArray => parseNpy(fixtureBytes(file));
export const fixtureJson = <T>(file: string): T => JSON.parse(readFileSync(fixturePath(file), 'utf8')) as T;

export function fixtureTensor(file: string): CpuTensor {
  const array = fixtureNpy(file);
  if (!(array.data instanceof Float32Array)) throw new Error(`${file} is ${array.dtype}, expected float32`);
  return cpuTensor(array.data, array.shape);
}

/** max |a_i - b_i|; Infinity for different lengths or any NaN. */
export { maxAbsError as maxAbsDiff } from '../../src/cli/parity-cases';

/** Indices where the float32 bit patterns differ. */
export function bitMismatches(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) count++;
  return count;
}
