// A copy of the bundled random-tiny set whose DiT also has float16 and int4 variants, written by the
// exporter's own converters (export-scripts/svg_export, Python, as a real export does) and entered in the
// version-2 manifest with their sizes and hashes. For tests of the variant check and bench:xl.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CONVERT = `
import sys
from pathlib import Path
import onnx
sys.path.insert(0, 'export-scripts')
from svg_export.float16 import to_float16
from svg_export.int4 import DEFAULT_ROLES, select_layers, to_int4
folder = Path(sys.argv[1])
onnx.save(to_float16(onnx.load(folder / 'dit.onnx')), folder / 'dit.fp16.onnx')
# every DiT role, small layers included: the toy DiT's layers are all under the size threshold
model, _ = to_int4(onnx.load(folder / 'dit.onnx'), 32, lambda found: select_layers(found, DEFAULT_ROLES, 1))
onnx.save(model, folder / 'dit.int4.onnx')
`;

/** Writes the set into a new temporary folder and returns its path (the caller removes it). */
export function tinyVariantSet(): string {
  const set = mkdtempSync(path.join(os.tmpdir(), 'svg-variants-'));
  cpSync('public/models/random-tiny', set, { recursive: true });
  execFileSync('/usr/bin/python3', ['-c', CONVERT, set]);
  const manifestPath = path.join(set, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    networks: { dit: { variants: Record<string, unknown> } };
  };
  for (const [precision, file] of [
    ['float16', 'dit.fp16.onnx'],
    ['int4', 'dit.int4.onnx'],
  ] as const) {
    const bytes = readFileSync(path.join(set, file));
    manifest.networks.dit.variants[precision] = {
      file,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  }
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return set;
}
