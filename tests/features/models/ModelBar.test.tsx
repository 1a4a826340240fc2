// The Models bar's provider picker offers every preference of the provider table by its label, with the
// store's preference selected (rendered on the server: the store's initial state, Automatic).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { FakeEngine } from '../../store/fake-engine';

const engine = new FakeEngine();
vi.mock('../../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { ModelBar } = await import('../../../src/features/models/ModelBar');

describe('ModelBar', () => {
  it('offers Automatic and every provider row, labelled from the table', () => {
    expect(renderToStaticMarkup(<ModelBar />)).toContain(
      '<label>Execution provider<select><option value="auto" selected="">Automatic</option>' +
        '<option value="webgpu">WebGPU</option><option value="wasm">WASM</option></select></label>',
    );
  });
});
