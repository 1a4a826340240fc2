// What a view shows about its run beside the result: while it runs, a status line with Cancel; after a
// failure, the message as an alert. For the views whose runs report a stage rather than step progress
// (the feature inspector, the reconstruction lab).
interface RunFeedbackProps {
  /** The status line while the run is under way (e.g. "Encoding…"); null when nothing runs. */
  readonly running: string | null;
  /** The status line's accessible name, which names the view (tests and screen readers find it by it). */
  readonly statusLabel: string;
  readonly onCancel: () => void;
  readonly error: string | null;
}

export function RunFeedback({ running, statusLabel, onCancel, error }: RunFeedbackProps) {
  return (
    <>
      {running !== null && (
        <p role="status" aria-label={statusLabel}>
          {running}{' '}
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
