// The studio-wide notice line (restored settings, link values not applied, a dropped file refused),
// shown above every view until dismissed. Presentational: App passes the notice and the dismiss action.

export function StudioNotice({
  notice,
  onDismiss,
}: {
  readonly notice: string | null;
  readonly onDismiss: () => void;
}) {
  if (!notice) return null;
  return (
    <div className="notice studio-notice">
      <span role="status" aria-label="Studio notice">
        {notice}
      </span>
      <button type="button" onClick={onDismiss} aria-label="Dismiss notice">
        ×
      </button>
    </div>
  );
}
