// The comparison grid's axis pickers list the axis table's settings by label, Y also offering no axis,
// each marking the store's axis (rendered on the server, so the store's initial grid: X steps, Y off).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { FakeEngine } from '../../store/fake-engine';

const engine = new FakeEngine();
vi.mock('../../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { ComparisonGrid } = await import('../../../src/features/generate/ComparisonGrid');

const selectNamed = (html: string, name: string) =>
  html.match(new RegExp(`<select aria-label="${name}">.*?</select>`))?.[0];

describe('ComparisonGrid axis pickers', () => {
  it('offers every axis for X and Y, Y also none, with the current axes selected', () => {
    const html = renderToStaticMarkup(<ComparisonGrid />);
    const axes = (stepsSelected: string) =>
      '<option value="class">Class</option><option value="guidance">Guidance scale</option>' +
      `<option value="steps"${stepsSelected}>Steps</option><option value="shift">Timestep shift</option>` +
      '<option value="solver">Solver</option></select>';
    expect(selectNamed(html, 'X axis')).toBe('<select aria-label="X axis">' + axes(' selected=""'));
    expect(selectNamed(html, 'Y axis')).toBe(
      '<select aria-label="Y axis"><option value="" selected="">None (one row)</option>' + axes(''),
    );
  });
});
