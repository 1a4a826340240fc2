// The studio-wide notice line (restored settings, link values not applied, a dropped file refused),
// shown above every view until dismissed.
import { useStudio } from '../store';

export function StudioNotice() {
  const notice = useStudio((s) => s.workspaceNotice);
  const dismiss = () => useStudio.setState({ workspaceNotice: null });
  if (!notice) return null;
  return (
    <div className="notice studio-notice">
      <span role="status" aria-label="Studio notice">
        {notice}
      </span>
      <button type="button" onClick={dismiss} aria-label="Dismiss notice">
        ×
      </button>
    </div>
  );
}
