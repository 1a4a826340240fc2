// THE table of flow solvers: id → solver. Every other list derives from it: the SolverName type, the
// valibot picklists (settings-schema.ts, model-set/schema.ts), the Generate panel's options, the CLI
// help, and solvers.json, which the Python model-set writer reads (a test keeps it equal to this table).
// Adding a solver: one file implementing FlowSolver (solver.ts) and one row here.
import { InvalidSettingError } from '../errors';
import { adamsBashforth2Solver } from './adams-bashforth';
import { eulerSolver } from './euler';
import { heunSolver } from './heun';
import type { FlowSolver } from './solver';

export const SOLVERS = {
  euler: eulerSolver,
  heun: heunSolver,
  ab2: adamsBashforth2Solver,
} as const satisfies Readonly<Record<string, FlowSolver>>;

export type SolverName = keyof typeof SOLVERS;

/** The solver ids in table order (non-empty, as valibot's picklist wants). */
export const SOLVER_NAMES = Object.keys(SOLVERS) as [SolverName, ...SolverName[]];

export function isSolverName(name: string): name is SolverName {
  return Object.hasOwn(SOLVERS, name);
}

/** "euler, heun or ab2", for error messages and help text. */
export function describeSolverNames(separator = ', ', last = ' or '): string {
  const quoted = SOLVER_NAMES.map((n) => `"${n}"`);
  return quoted.length === 1
    ? (quoted[0] as string)
    : `${quoted.slice(0, -1).join(separator)}${last}${quoted.at(-1) as string}`;
}

/** The solver of an id; throws InvalidSettingError naming the accepted ids. */
export function solverByName(name: string): FlowSolver {
  if (!isSolverName(name))
    throw new InvalidSettingError(`unknown sampler "${name}" (${describeSolverNames()})`);
  return SOLVERS[name];
}
