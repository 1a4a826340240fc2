// Keyboard: Ctrl/Cmd+Enter generates, Esc cancels (anywhere in the page).
import { useEffect } from 'react';
import { useStudio } from '../../store';

export function useStudioShortcuts(): void {
  const generate = useStudio((s) => s.generate);
  const cancel = useStudio((s) => s.cancel);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void generate();
      } else if (event.key === 'Escape') {
        cancel();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [generate, cancel]);
}
