// Argument parsing for the project's developer commands (variant check, benchmarks): node:util's
// parseArgs for the syntax, then a valibot schema for the values, with one InvalidSettingError naming the
// first bad option and the command's usage line.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import * as v from 'valibot';
import { InvalidSettingError } from '../engine/errors';
import { joinNegativeValues } from './negative-values';

export function parseToolArgs<Schema extends v.GenericSchema>(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: Schema,
  usage: string,
): v.InferOutput<Schema> {
  let values: Record<string, unknown>;
  try {
    const args = joinNegativeValues(argv, options);
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new InvalidSettingError(`${(error as Error).message}\n${usage}`);
  }
  const parsed = v.safeParse(schema, values);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issue.path?.map((item) => String(item.key))[0] ?? 'arguments';
    const problem =
      issue.input === undefined ? 'is required' : `${issue.message} (got ${JSON.stringify(issue.input)})`;
    throw new InvalidSettingError(`--${key} ${problem}\n${usage}`);
  }
  return parsed.output;
}
