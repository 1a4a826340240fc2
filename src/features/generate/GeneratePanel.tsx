// Generation controls. Every control has an accessible name (label) so screen readers and the e2e
// tests find it; defaults come from the loaded manifest.
import type { FormEvent } from 'react';
import { useStudio } from '../../store';

const SCHEDULES = ['constant', 'late', 'linear', 'early-0.5', 'cfg_star-1-0', 'none'] as const;

export function GeneratePanel() {
  const manifest = useStudio((s) => s.manifest);
  const settings = useStudio((s) => s.settings);
  const update = useStudio((s) => s.updateSettings);
  const generate = useStudio((s) => s.generate);
  const cancel = useStudio((s) => s.cancel);
  const running = useStudio((s) => s.running);
  const ready = useStudio((s) => s.loadStatus === 'ready');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void generate();
  };
  const numberInput = (value: string, fallback: number) => {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : fallback;
  };

  return (
    <form className="panel generate-panel" onSubmit={onSubmit} aria-label="Generation settings">
      <label>
        Class
        <select value={settings.classId} onChange={(e) => update({ classId: Number(e.target.value) })}>
          {(manifest?.classes.names ?? []).map((name, id) => (
            <option key={id} value={id}>
              {id}: {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Seed
        <input
          type="number"
          min={0}
          step={1}
          value={settings.seed}
          onChange={(e) =>
            update({ seed: Math.max(0, Math.floor(numberInput(e.target.value, settings.seed))) })
          }
        />
      </label>
      <label>
        Steps
        <input
          type="number"
          min={1}
          max={100}
          value={settings.steps}
          onChange={(e) => update({ steps: numberInput(e.target.value, settings.steps) })}
        />
      </label>
      <label>
        Sampler
        <select
          value={settings.sampler}
          onChange={(e) => update({ sampler: e.target.value as 'euler' | 'heun' })}
        >
          <option value="euler">Euler</option>
          <option value="heun">Heun</option>
        </select>
      </label>
      <label>
        Timestep shift
        <input
          type="number"
          step={0.05}
          value={settings.shift}
          onChange={(e) => update({ shift: numberInput(e.target.value, settings.shift) })}
        />
      </label>
      <label>
        Guidance scale
        <input
          type="number"
          step={0.5}
          value={settings.guidanceScale}
          onChange={(e) => update({ guidanceScale: numberInput(e.target.value, settings.guidanceScale) })}
        />
      </label>
      <label>
        Guidance schedule
        <select
          value={settings.guidanceSchedule}
          onChange={(e) => update({ guidanceSchedule: e.target.value })}
        >
          {[...new Set([settings.guidanceSchedule, ...SCHEDULES])].map((schedule) => (
            <option key={schedule} value={schedule}>
              {schedule}
            </option>
          ))}
        </select>
      </label>
      <label>
        Batch size
        <input
          type="number"
          min={1}
          max={16}
          value={settings.batch}
          onChange={(e) => update({ batch: numberInput(e.target.value, settings.batch) })}
        />
      </label>
      <div className="actions">
        <button type="submit" disabled={!ready || running}>
          Generate
        </button>
        <button type="button" onClick={cancel} disabled={!running}>
          Cancel
        </button>
      </div>
    </form>
  );
}
