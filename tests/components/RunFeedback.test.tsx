// RunFeedback: the status line with Cancel only while a run is under way, the error only after a failure.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RunFeedback } from '../../src/components/RunFeedback';

const render = (running: string | null, error: string | null) =>
  renderToStaticMarkup(
    <RunFeedback running={running} statusLabel="Lab status" onCancel={() => {}} error={error} />,
  );

describe('RunFeedback', () => {
  it('shows the running status with Cancel, named by the view', () => {
    expect(render('Encoding…', null)).toBe(
      '<p role="status" aria-label="Lab status">Encoding… <button type="button">Cancel</button></p>',
    );
  });

  it('shows an error as an alert, and nothing when idle', () => {
    expect(render(null, 'photo.png: not a PNG file')).toBe(
      '<p class="error" role="alert">photo.png: not a PNG file</p>',
    );
    expect(render(null, null)).toBe('');
  });
});
