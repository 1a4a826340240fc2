// Keeps a failure inside one part of the studio: a view (or the model bar) that throws while rendering
// shows what failed, through describeError, and a Retry button, while the tabs, the other views, the
// gallery and the model manager stay usable. App puts one around every view and one around itself.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { describeErrorParts } from '../engine/api/describe-error';

export interface ErrorBoundaryProps {
  /** What this boundary guards, for the message: "Gallery view", "model bar", "studio". */
  readonly label: string;
  readonly children: ReactNode;
}

interface ErrorBoundaryState {
  readonly error: unknown;
  readonly failed: boolean;
}

/** The fallback, separate so it can be rendered (and tested) without a failing child. */
export function ViewFailure({
  label,
  error,
  onRetry,
}: {
  readonly label: string;
  readonly error: unknown;
  readonly onRetry?: () => void;
}) {
  const { title, detail, hint } = describeErrorParts(error);
  return (
    <section className="panel view-failure" role="alert" aria-label={`${label} failed`}>
      <h2>
        The {label} stopped: {title}
      </h2>
      <p>{detail}</p>
      {hint && <p className="hint">{hint}</p>}
      <p className="hint">The rest of the studio still works; your gallery and models are untouched.</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </section>
  );
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null, failed: false };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The component stack is for developers; the user reads the fallback.
    console.error(`SVG Studio: the ${this.props.label} failed`, error, info.componentStack);
  }

  private readonly retry = () => this.setState({ error: null, failed: false });

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return <ViewFailure label={this.props.label} error={this.state.error} onRetry={this.retry} />;
  }
}
