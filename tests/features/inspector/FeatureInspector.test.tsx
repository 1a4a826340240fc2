// The Inspect view before any image is given: the shared empty-state hint telling a new user what to do
// (rendered on the server, so the store's initial state: no model set, nothing inspected).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { FakeEngine } from '../../store/fake-engine';

const engine = new FakeEngine();
vi.mock('../../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { FeatureInspector } = await import('../../../src/features/inspector/FeatureInspector');

describe('FeatureInspector', () => {
  it('shows what to do while no image has been inspected', () => {
    const html = renderToStaticMarkup(<FeatureInspector />);
    expect(html).toMatch(
      /<section class="panel" aria-label="Features"><p class="empty-state">No image inspected yet\. Drop, paste or upload an image, or choose a sample image: .*<\/p><\/section>/,
    );
    expect(html).not.toContain('PCA of DINO patch tokens');
  });
});
