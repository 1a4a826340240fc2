// Generation controls. Every control has an accessible name (label) so screen readers and the e2e
// tests find it; defaults come from the loaded manifest and "Reset to defaults" restores them.
import type { FormEvent } from 'react';
import { LIMITS } from '../../engine/limits';
import {
  formatGuidanceSchedule,
  OFFERED_GUIDANCE_SCHEDULES,
  parseGuidanceSchedule,
} from '../../engine/schedulers/guidance';
import { isSolverName, SOLVER_NAMES, SOLVERS } from '../../engine/schedulers/solvers';
import { useStudio } from '../../store';
import { ClassPicker } from './ClassPicker';
import { SeedField } from './SeedField';

/** The schedules offered by name; a manifest's own schedule string is listed too when it is another. */
const SCHEDULES: readonly { readonly value: string; readonly label: string }[] = [
  ...OFFERED_GUIDANCE_SCHEDULES,
  { value: 'none', label: 'None (conditional only)' },
];

function scheduleLabel(value: string): string {
  const known = SCHEDULES.find((s) => s.value === value);
  if (known) return known.label;
  try {
    return `From the model: ${formatGuidanceSchedule(parseGuidanceSchedule(value))}`;
  } catch {
    return value;
  }
}

function clampInteger(text: string, min: number, max: number, fallback: number): number {
  const parsed = Math.round(Number(text));
  return Number.isFinite(parsed) ? Math.min(max, Math.max(min, parsed)) : fallback;
}

interface IntegerSettingProps {
  readonly label: string;
  /** Its row of LIMITS. */
  readonly range: { readonly min: number; readonly max: number };
  readonly value: number;
  readonly onChange: (value: number) => void;
}

/** A whole-number setting held inside its range as it is typed; text that is no number keeps the value. */
function IntegerSetting({ label, range, value, onChange }: IntegerSettingProps) {
  return (
    <label>
      {label}
      <input
        type="number"
        min={range.min}
        max={range.max}
        value={value}
        onChange={(e) => onChange(clampInteger(e.target.value, range.min, range.max, value))}
      />
    </label>
  );
}

function finiteOr(text: string, fallback: number): number {
  const parsed = Number(text);
  return text.trim() !== '' && Number.isFinite(parsed) ? parsed : fallback;
}

export function GeneratePanel() {
  const manifest = useStudio((s) => s.manifest);
  const settings = useStudio((s) => s.settings);
  const seedMode = useStudio((s) => s.seedMode);
  const previewsEnabled = useStudio((s) => s.previewsEnabled);
  const update = useStudio((s) => s.updateSettings);
  const setSeedMode = useStudio((s) => s.setSeedMode);
  const setPreviewsEnabled = useStudio((s) => s.setPreviewsEnabled);
  const resetToDefaults = useStudio((s) => s.resetToDefaults);
  const generate = useStudio((s) => s.generate);
  const cancel = useStudio((s) => s.cancel);
  const running = useStudio((s) => s.activeRun !== null);
  const ready = useStudio((s) => s.loadStatus === 'ready');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void generate();
  };
  const schedules = SCHEDULES.some((s) => s.value === settings.guidanceSchedule)
    ? SCHEDULES.map((s) => s.value)
    : [settings.guidanceSchedule, ...SCHEDULES.map((s) => s.value)];

  return (
    // noValidate: the fields clamp their own values, and a browser step mismatch (shift 0.15 against a
    // 0.05 step) must never silently block Generate.
    <form className="panel generate-panel" onSubmit={onSubmit} aria-label="Generation settings" noValidate>
      <ClassPicker
        names={manifest?.classes.names ?? []}
        value={settings.classId}
        onChange={(classId) => update({ classId })}
      />
      <SeedField
        seed={settings.seed}
        mode={seedMode}
        onSeedChange={(seed) => update({ seed })}
        onModeChange={setSeedMode}
      />
      <IntegerSetting
        label="Steps"
        range={LIMITS.steps}
        value={settings.steps}
        onChange={(steps) => update({ steps })}
      />
      <label>
        Sampler
        <select
          aria-label="Sampler"
          value={settings.sampler}
          onChange={(e) => {
            if (isSolverName(e.target.value)) update({ sampler: e.target.value });
          }}
        >
          {SOLVER_NAMES.map((name) => (
            <option key={name} value={name}>
              {SOLVERS[name].label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Timestep shift
        <input
          type="number"
          step="any"
          min={0.01}
          max={LIMITS.shift.max}
          value={settings.shift}
          onChange={(e) => update({ shift: finiteOr(e.target.value, settings.shift) })}
        />
      </label>
      <label>
        Guidance scale
        <input
          type="number"
          step="any"
          min={LIMITS.guidanceScale.min}
          max={LIMITS.guidanceScale.max}
          value={settings.guidanceScale}
          onChange={(e) => update({ guidanceScale: finiteOr(e.target.value, settings.guidanceScale) })}
        />
      </label>
      <label>
        Guidance schedule
        <select
          aria-label="Guidance schedule"
          value={settings.guidanceSchedule}
          onChange={(e) => update({ guidanceSchedule: e.target.value })}
        >
          {schedules.map((schedule) => (
            <option key={schedule} value={schedule}>
              {scheduleLabel(schedule)}
            </option>
          ))}
        </select>
      </label>
      <IntegerSetting
        label="Batch size"
        range={LIMITS.batch}
        value={settings.batch}
        onChange={(batch) => update({ batch })}
      />
      <label>
        <input
          type="checkbox"
          checked={previewsEnabled}
          onChange={(e) => setPreviewsEnabled(e.target.checked)}
        />
        Live previews
      </label>
      <div className="actions">
        <button type="submit" disabled={!ready || running}>
          Generate
        </button>
        <button type="button" onClick={cancel} disabled={!running}>
          Cancel
        </button>
        <button type="button" onClick={resetToDefaults} disabled={!manifest || running}>
          Reset to defaults
        </button>
      </div>
      <p className="hint">Ctrl/⌘+Enter generates · Esc cancels</p>
    </form>
  );
}
