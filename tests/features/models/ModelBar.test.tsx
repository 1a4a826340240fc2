// The Models bar's provider picker offers every preference of the provider table by its label, with the
// store's preference selected (rendered on the server: the store's initial state, Automatic), and the
// plan's notice when an explicit choice cannot run here.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { FakeEngine } from '../../store/fake-engine';

const engine = new FakeEngine();
vi.mock('../../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { ModelBar, ProviderNotice } = await import('../../../src/features/models/ModelBar');

describe('ModelBar', () => {
  it('offers Automatic and every provider row, labelled from the table', () => {
    expect(renderToStaticMarkup(<ModelBar />)).toContain(
      '<label>Execution provider<select><option value="auto" selected="">Automatic</option>' +
        '<option value="webgpu">WebGPU</option><option value="wasm">WASM</option></select></label>',
    );
  });

  it('shows the plan’s notice when an explicit provider choice runs on another one here', () => {
    const notice = 'WebGPU is not available in this browser (no adapter); running on WASM.';
    expect(renderToStaticMarkup(<ProviderNotice notice={notice} />)).toBe(
      `<p class="warning" role="note" aria-label="Execution provider notice">${notice}</p>`,
    );
    expect(renderToStaticMarkup(<ProviderNotice notice={undefined} />)).toBe('');
    expect(renderToStaticMarkup(<ModelBar />)).not.toContain('Execution provider notice');
  });
});
