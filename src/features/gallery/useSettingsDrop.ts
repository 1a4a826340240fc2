// Dropping a file anywhere on the studio: an SVG Studio PNG restores its settings; anything else gets a
// message naming the file and the problem. Views with their own drop zones (e.g. the reconstruction lab)
// call preventDefault on their drop, and this handler then leaves the event alone.
import { useEffect } from 'react';
import { useStudio } from '../../store';

export function useSettingsDrop(): void {
  const restore = useStudio((s) => s.restoreSettingsFromFile);
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      if (event.defaultPrevented) return;
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void restore(file);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [restore]);
}
