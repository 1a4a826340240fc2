// RgbaCanvas sizes its canvas to the image, shows it at `size` in proportion, names it, and passes the
// canvas attributes a view adds (the inspector's pickable patch canvas) through; painting happens in an
// effect (covered by e2e).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RgbaCanvas } from '../../src/components/RgbaCanvas';

describe('RgbaCanvas', () => {
  it('is an image the size of the picture, shown at `size`, with the attributes a view adds', () => {
    const image = { width: 4, height: 4, data: new Uint8ClampedArray(64) };
    const html = renderToStaticMarkup(
      <RgbaCanvas image={image} label="Patches" size={64} tabIndex={0} className="patch-canvas" />,
    );
    expect(html).toBe(
      '<canvas tabindex="0" class="patch-canvas" width="4" height="4" role="img" aria-label="Patches" ' +
        'style="width:64px;height:64px;image-rendering:pixelated"></canvas>',
    );
  });

  it('shows a picture that is not square with its longer side at `size`, smoothed when asked (photos)', () => {
    const image = { width: 6, height: 3, data: new Uint8ClampedArray(72) };
    const html = renderToStaticMarkup(<RgbaCanvas image={image} label="Input with crop" size={256} smooth />);
    expect(html).toBe(
      '<canvas width="6" height="3" role="img" aria-label="Input with crop" style="width:256px;height:128px">' +
        '</canvas>',
    );
  });
});
