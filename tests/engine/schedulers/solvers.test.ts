// The solver registry: derived lists follow the table, lookups refuse unknown ids by name, and
// solvers.json (what the Python model-set writer reads) is exactly the table, so there is one source.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../../src/engine/errors';
import {
  describeSolverNames,
  isSolverName,
  SOLVER_NAMES,
  SOLVERS,
  solverByName,
} from '../../../src/engine/schedulers/solvers';

/** solvers.json as the registry implies it; paste this when the test below fails after a new row. */
const expectedJson = () =>
  SOLVER_NAMES.map((id) => ({ id, evaluationsPerStep: SOLVERS[id].evaluationsPerStep }));

describe('solver registry', () => {
  it('derives the names in table order', () => {
    expect(SOLVER_NAMES).toEqual(Object.keys(SOLVERS));
    expect(describeSolverNames()).toBe(
      SOLVER_NAMES.slice(0, -1)
        .map((n) => `"${n}"`)
        .join(', ') + ` or "${SOLVER_NAMES.at(-1)}"`,
    );
  });

  it('looks solvers up by id and refuses others, naming the accepted ids', () => {
    for (const name of SOLVER_NAMES) expect(solverByName(name)).toBe(SOLVERS[name]);
    expect(isSolverName('toString')).toBe(false);
    expect(() => solverByName('rk4')).toThrow(InvalidSettingError);
    expect(() => solverByName('rk4')).toThrow(`unknown sampler "rk4" (${describeSolverNames()})`);
  });

  it('is what solvers.json says (the Python writer reads that file)', () => {
    const json = JSON.parse(
      readFileSync(new URL('../../../src/engine/schedulers/solvers.json', import.meta.url), 'utf8'),
    ) as { solvers: unknown };
    expect(json.solvers, JSON.stringify(expectedJson())).toEqual(expectedJson());
  });
});
