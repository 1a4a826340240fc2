// Seed with its mode (fixed / random before each run / increment after each run) and a "New seed" action.
import { MAX_SEED, randomSeed, SEED_MODES, type SeedMode } from '../../engine/workspace/seed-policy';

interface SeedFieldProps {
  readonly seed: number;
  readonly mode: SeedMode;
  readonly onSeedChange: (seed: number) => void;
  readonly onModeChange: (mode: SeedMode) => void;
}

const MODE_LABELS: Record<SeedMode, string> = {
  fixed: 'Fixed',
  random: 'Random each run',
  increment: 'Increment after run',
};

export function SeedField({ seed, mode, onSeedChange, onModeChange }: SeedFieldProps) {
  return (
    <fieldset className="seed-field">
      <legend>Seed</legend>
      <div className="row">
        <input
          type="number"
          aria-label="Seed"
          min={0}
          max={MAX_SEED}
          step={1}
          value={seed}
          onChange={(e) => {
            const parsed = Math.floor(Number(e.target.value));
            if (Number.isFinite(parsed)) onSeedChange(Math.min(MAX_SEED, Math.max(0, parsed)));
          }}
        />
        <button type="button" onClick={() => onSeedChange(randomSeed())}>
          New seed
        </button>
      </div>
      <select aria-label="Seed mode" value={mode} onChange={(e) => onModeChange(e.target.value as SeedMode)}>
        {SEED_MODES.map((m) => (
          <option key={m} value={m}>
            {MODE_LABELS[m]}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
