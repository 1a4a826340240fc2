// Comparison grids: the same seed at several step counts (SVG's few-step claim, side by side), every
// solver across steps, or an X/Y grid over two of class, guidance, steps, shift and solver. Cells fill in
// as they finish; where the evaluation measured a cell's settings on this model set, its Fréchet distance
// sits under the image with the source named. The finished grid downloads as one PNG with the axes in
// its metadata.
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { downloadBytes } from '../../components/download-file';
import { tileImages, type RgbaImage } from '../../engine/formats/pixels';
import { APP_VERSION } from '../../app-version';
import { encodePng } from '../../engine/formats/png';
import { resultTextChunks } from '../../engine/formats/result-metadata';
import {
  ALL_SOLVERS_TEXT,
  axisValueLabel,
  GRID_AXES,
  type GridAxisName,
} from '../../engine/workspace/comparison-grid';
import { solverFiguresFor } from '../../engine/workspace/solver-figures';
import { useStudio } from '../../store';
import type { GridAxisInput } from '../../store/grid-slice';
import { RunProgress } from './RunProgress';

const AXIS_NAMES = Object.keys(GRID_AXES) as GridAxisName[];
const STEPS_PRESET: GridAxisInput = { name: 'steps', values: '1, 2, 4, 8, 25' };
/** One row per solver of the solver table, across the steps preset. */
const SOLVERS_PRESET: GridAxisInput = { name: 'solver', values: ALL_SOLVERS_TEXT };
/** Values offered when the user switches an axis to another setting. */
const AXIS_EXAMPLES: Record<GridAxisName, string> = {
  class: '0, 1, 2, 3',
  guidance: '1, 2, 4, 7',
  steps: STEPS_PRESET.values,
  shift: '0.1, 0.15, 0.3, 1',
  solver: SOLVERS_PRESET.values,
};

/** The axis pickers' options, from the axis table; the Y axis may also be off (one row). */
const AXIS_CHOICES = Object.fromEntries(AXIS_NAMES.map((name) => [name, GRID_AXES[name].label])) as Record<
  GridAxisName,
  string
>;
const Y_AXIS_CHOICES: Readonly<Record<GridAxisName | '', string>> = { '': 'None (one row)', ...AXIS_CHOICES };
/** An axis switched to another setting, with that setting's example values. */
const exampleAxis = (name: GridAxisName): GridAxisInput => ({ name, values: AXIS_EXAMPLES[name] });

/** X is always on; Y may be off (null). */
type AxisControlsProps =
  | {
      readonly which: 'X';
      readonly axis: GridAxisInput;
      readonly onChange: (axis: GridAxisInput) => void;
    }
  | {
      readonly which: 'Y';
      readonly axis: GridAxisInput | null;
      readonly onChange: (axis: GridAxisInput | null) => void;
    };

function AxisControls(props: AxisControlsProps) {
  const { which, axis } = props;
  return (
    <div className="grid-axis">
      <label>
        {which} axis
        {props.which === 'X' ? (
          <ChoiceSelect
            aria-label="X axis"
            choices={AXIS_CHOICES}
            value={props.axis.name}
            onChange={(name) => props.onChange(exampleAxis(name))}
          />
        ) : (
          <ChoiceSelect
            aria-label="Y axis"
            choices={Y_AXIS_CHOICES}
            value={props.axis?.name ?? ''}
            onChange={(name) => props.onChange(name === '' ? null : exampleAxis(name))}
          />
        )}
      </label>
      {axis && (
        <label>
          {which} values
          <input
            aria-label={`${which} values`}
            value={axis.values}
            onChange={(e) => props.onChange({ ...axis, values: e.target.value })}
          />
        </label>
      )}
    </div>
  );
}

export function ComparisonGrid() {
  const gridX = useStudio((s) => s.gridX);
  const gridY = useStudio((s) => s.gridY);
  const gridRun = useStudio((s) => s.gridRun);
  const gridError = useStudio((s) => s.gridError);
  const setGridX = useStudio((s) => s.setGridX);
  const setGridY = useStudio((s) => s.setGridY);
  const runGrid = useStudio((s) => s.runGrid);
  const busy = useStudio((s) => s.activeRun !== null);
  const ready = useStudio((s) => s.loadStatus === 'ready');
  const manifest = useStudio((s) => s.manifest);
  const manifestSha256 = useStudio((s) => s.manifestSha256);
  const settings = useStudio((s) => s.settings);
  const classNames = manifest?.classes.names ?? [];

  const complete = gridRun?.images.every((image) => image !== null) ?? false;
  const saveGrid = async () => {
    if (!gridRun || !manifest || !complete) return;
    const grid = tileImages(gridRun.images as RgbaImage[], gridRun.plan.columns);
    const base = gridRun.plan.cells[0]?.settings ?? settings;
    // Dropping the grid back restores its base settings; the axes ride along in their own chunk.
    const png = await encodePng(grid, {
      ...resultTextChunks({
        modelSetId: manifest.id,
        manifestSha256: manifestSha256 ?? '',
        settings: base,
        batchIndex: null,
        appVersion: APP_VERSION,
      }),
      'svg-studio-grid': JSON.stringify({ x: gridRun.x, y: gridRun.y }),
    });
    // The set id already names the model ("svg-mini"); both axes name the grid (steps-by-sampler).
    const axes = gridRun.y ? `${gridRun.x.name}-by-${gridRun.y.name}` : gridRun.x.name;
    downloadBytes(png, `${manifest.id}-grid-${axes}.png`, 'image/png');
  };

  return (
    <section className="panel comparison-grid" aria-label="Comparison grid">
      <h2>Comparison grid</h2>
      <p className="hint">Same seed and settings as the workspace, one image per cell.</p>
      <div className="grid-controls">
        <AxisControls which="X" axis={gridX} onChange={setGridX} />
        <AxisControls which="Y" axis={gridY} onChange={setGridY} />
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setGridX(STEPS_PRESET);
              setGridY(null);
            }}
          >
            Steps comparison
          </button>
          <button
            type="button"
            onClick={() => {
              setGridX(STEPS_PRESET);
              setGridY(SOLVERS_PRESET);
            }}
          >
            Solvers × steps
          </button>
          <button type="button" onClick={() => void runGrid()} disabled={!ready || busy}>
            Run grid
          </button>
          <button type="button" onClick={() => void saveGrid()} disabled={!complete || busy}>
            Download grid
          </button>
        </div>
      </div>
      {gridError && (
        <p className="error" role="alert">
          {gridError}
        </p>
      )}
      {gridRun && (
        <>
          <FigureNote />
          {gridRun.activeCell !== null && (
            <RunProgress
              progress={gridRun.cellProgress}
              prefix={`Cell ${gridRun.activeCell + 1} / ${gridRun.plan.cells.length}`}
            />
          )}
          <div
            className="grid-table"
            data-testid="comparison-grid"
            style={{ gridTemplateColumns: `auto repeat(${gridRun.plan.columns}, auto)` }}
          >
            <span />
            {gridRun.x.values.map((value) => (
              <span key={value} className="grid-heading" role="columnheader">
                {axisValueLabel(gridRun.x.name, value, classNames)}
              </span>
            ))}
            {Array.from({ length: gridRun.plan.rows }, (_, row) => (
              <GridRow key={row} row={row} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

/**
 * What the figures under the cells are, once: or, for a set the evaluation measured, at which settings
 * they exist when none of the cells uses them.
 */
function FigureNote() {
  const gridRun = useStudio((s) => s.gridRun);
  const manifestSha256 = useStudio((s) => s.manifestSha256);
  const measured = solverFiguresFor(manifestSha256);
  if (!gridRun || !measured) return null;
  const at = `guidance ${measured.guidanceScale}, shift ${measured.shift}, ${measured.guidanceSchedule} schedule`;
  const source = `the evaluation script, ${measured.samples} samples`;
  return (
    <p className="hint" data-testid="grid-figure-note">
      {gridRun.figures.some((figure) => figure !== undefined)
        ? `FD under a cell: Fréchet distance to held-out images over all classes (lower is better), measured by ${source} at ${at}.`
        : `This model set has measured Fréchet distances (${source}) at ${at}; these cells use other settings.`}
    </p>
  );
}

function GridRow({ row }: { readonly row: number }) {
  const gridRun = useStudio((s) => s.gridRun);
  const manifest = useStudio((s) => s.manifest);
  if (!gridRun) return null;
  const classNames = manifest?.classes.names ?? [];
  const { y, plan, images, figures, activeCell } = gridRun;
  const yValue = y?.values[row];
  return (
    <>
      <span className="grid-heading" role="rowheader">
        {y && yValue !== undefined ? axisValueLabel(y.name, yValue, classNames) : ''}
      </span>
      {Array.from({ length: plan.columns }, (_, column) => {
        const index = row * plan.columns + column;
        const image = images[index];
        const figure = figures[index];
        return (
          <figure key={column} className="grid-cell">
            {image ? (
              <RgbaCanvas image={image} label={`Grid cell ${row + 1}, ${column + 1}`} size={128} />
            ) : (
              <span className="grid-pending">{index === activeCell ? 'sampling…' : 'waiting'}</span>
            )}
            {figure && (
              <figcaption className="grid-figure" title={`Fréchet distance, ${figure.source}`}>
                FD {figure.frechetDistance.toFixed(2)}
              </figcaption>
            )}
          </figure>
        );
      })}
    </>
  );
}
