// The graph I/O table: read from graph-io.json (shared with the Python exporter), one row per network
// role, its shapes resolved against the manifest's sizes, and the names the runtime binds sessions by.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedIo, GRAPH_IO, GRAPH_IO_NAMES } from '../../../src/engine/model-set/graph-io';
import { NETWORK_ROLES } from '../../../src/engine/model-set/networks';

const SIZES = {
  resolution: 32,
  gridRows: 4,
  gridColumns: 4,
  tokens: 16,
  dinoChannels: 96,
  residualChannels: 8,
  channels: 104,
};

describe('graph I/O table', () => {
  it('has one row per network role, as graph-io.json lists them', () => {
    const json = JSON.parse(readFileSync('src/engine/model-set/graph-io.json', 'utf8')) as {
      networks: Record<string, unknown>;
    };
    expect(Object.keys(json.networks)).toEqual([...NETWORK_ROLES]);
    expect(Object.keys(GRAPH_IO)).toEqual([...NETWORK_ROLES]);
  });

  it('resolves the shapes against the manifest sizes, keeping the batch axis', () => {
    const io = expectedIo(SIZES);
    expect(io.dit.inputs).toEqual([
      { name: 'x', dtype: 'float32', shape: ['batch', 16, 104] },
      { name: 't', dtype: 'float32', shape: ['batch'] },
      { name: 'y', dtype: 'int64', shape: ['batch'] },
    ]);
    expect(io.decoder.inputs[0]?.shape).toEqual(['batch', 104, 4, 4]);
    expect(io.residualEncoder.outputs[0]?.shape).toEqual(['batch', 8, 16]);
    expect(io.dinoEncoder.outputs[0]?.shape).toEqual(['batch', 16, 96]);
  });

  it('gives the runtime each network’s input names and its one output', () => {
    expect(GRAPH_IO_NAMES).toEqual({
      dinoEncoder: { inputs: ['pixels'], output: 'patch_tokens' },
      residualEncoder: { inputs: ['pixels'], output: 'residual' },
      decoder: { inputs: ['latent'], output: 'image' },
      dit: { inputs: ['x', 't', 'y'], output: 'velocity' },
    });
  });
});
