// The Reconstruct view before any image is given: the shared empty-state hint telling a new user what to
// do (rendered on the server, so the store's initial state: no model set, no image, no result).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { FakeEngine } from '../../store/fake-engine';

const engine = new FakeEngine();
vi.mock('../../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { ReconstructionLab } = await import('../../../src/features/lab/ReconstructionLab');

describe('ReconstructionLab', () => {
  it('shows what to do while no image has been given', () => {
    const html = renderToStaticMarkup(<ReconstructionLab />);
    expect(html).toContain(
      '<p class="empty-state">No image yet. Drop, paste or upload an image on the left, or choose a sample ' +
        'image, then press Reconstruct to see how well its latent rebuilds it.</p>',
    );
    expect(html).not.toContain('data-testid="reconstruction"');
  });
});
