// A model-resolution picture whose token grid can be clicked: reports the token under the pointer and
// outlines the selected one. Keyboard users move the selection with the arrow keys.
import { useCallback, type KeyboardEvent, type MouseEvent } from 'react';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { tokenAtPoint, type Grid } from '../../engine/analysis/feature-maps';
import type { RgbaImage } from '../../engine/formats/pixels';

interface PatchCanvasProps {
  readonly image: RgbaImage;
  readonly label: string;
  readonly grid: Grid;
  readonly selected: number | null;
  readonly onPick?: (token: number) => void;
  readonly size?: number;
}

const ARROW_STEPS: Record<string, readonly [rows: number, columns: number]> = {
  ArrowUp: [-1, 0],
  ArrowDown: [1, 0],
  ArrowLeft: [0, -1],
  ArrowRight: [0, 1],
};

export function PatchCanvas({ image, label, grid, selected, onPick, size = 256 }: PatchCanvasProps) {
  const [rows, columns] = grid;
  const outlineSelected = useCallback(
    (context: CanvasRenderingContext2D) => {
      if (selected === null) return;
      const cellW = image.width / columns;
      const cellH = image.height / rows;
      const line = Math.max(1, Math.round(image.width / 128));
      context.strokeStyle = '#00e5ff';
      context.lineWidth = line;
      context.strokeRect(
        (selected % columns) * cellW + line / 2,
        Math.floor(selected / columns) * cellH + line / 2,
        cellW - line,
        cellH - line,
      );
    },
    [image.width, image.height, selected, rows, columns],
  );

  const pick = (event: MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    onPick?.(
      tokenAtPoint((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height, grid),
    );
  };
  const move = (event: KeyboardEvent<HTMLCanvasElement>) => {
    const step = ARROW_STEPS[event.key];
    if (!step || !onPick) return;
    event.preventDefault();
    const current = selected ?? 0;
    const row = Math.min(rows - 1, Math.max(0, Math.floor(current / columns) + step[0]));
    const column = Math.min(columns - 1, Math.max(0, (current % columns) + step[1]));
    onPick(row * columns + column);
  };

  return (
    <RgbaCanvas
      image={image}
      label={label}
      size={size}
      overlay={outlineSelected}
      tabIndex={onPick ? 0 : undefined}
      onClick={onPick ? pick : undefined}
      onKeyDown={onPick ? move : undefined}
      className={onPick ? 'patch-canvas patch-canvas--pickable' : 'patch-canvas'}
    />
  );
}
