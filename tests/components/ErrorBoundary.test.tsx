// The error boundary's fallback names what failed through describeError and offers Retry; the boundary
// turns a thrown render into that fallback state (React's server renderer has no boundaries, so the
// state transition and the fallback are checked separately; e2e covers the page).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorBoundary, ViewFailure } from '../../src/components/ErrorBoundary';
import { IntegrityError } from '../../src/engine/errors';

describe('ErrorBoundary', () => {
  it('shows the failing part, the kind of error, its message and the next step', () => {
    const html = renderToStaticMarkup(
      <ViewFailure
        label="Gallery view"
        error={new IntegrityError('dit.onnx: SHA-256 is 00, the manifest says ff')}
        onRetry={() => {}}
      />,
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain('The Gallery view stopped: A model file failed its integrity check');
    expect(html).toContain('dit.onnx: SHA-256 is 00, the manifest says ff');
    expect(html).toContain('load the set again');
    expect(html).toContain('Retry');
  });

  it('describes values that are not errors at all', () => {
    const html = renderToStaticMarkup(<ViewFailure label="studio" error={{ not: 'an error' }} />);
    expect(html).toContain('Unexpected error');
    expect(html).not.toContain('Retry');
  });

  it('renders its children until one throws, then the fallback', () => {
    const boundary = new ErrorBoundary({ label: 'Edit view', children: 'the view' });
    expect(boundary.render()).toBe('the view');
    boundary.state = ErrorBoundary.getDerivedStateFromError(
      new TypeError("Cannot read properties of null (reading 'classId')"),
    );
    const html = renderToStaticMarkup(<>{boundary.render()}</>);
    expect(html).toContain('The Edit view stopped');
    expect(html).toContain('reading &#x27;classId&#x27;');
  });
});
