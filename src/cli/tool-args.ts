// Argument parsing for the project's developer commands (variant check, benchmarks). A command's options
// are one valibot object schema, its only table: node:util's parseArgs reads the syntax with options
// derived from the schema's entries (a boolean is a flag, an array repeats, anything else takes a
// value), the schema then checks the values, and one InvalidSettingError names the first bad option,
// the value as typed and the command's usage. The parsed values' type is the schema's output. An entry's
// `v.description` is its line in the usage, `v.metadata({ value })` names its value there.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import * as v from 'valibot';
import { InvalidSettingError } from '../engine/errors';
import { joinNegativeValues } from './negative-values';

/** A command's option table: one entry per `--name`. */
export type ToolSchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;
type ParseOptions = NonNullable<ParseArgsConfig['options']>;
type Entry = v.ObjectEntries[string];

/** The schema inside `optional(…)` and its kin: what the option's value itself must be. */
function valueSchema(entry: Entry): Entry {
  let schema: Entry = entry;
  while ('wrapped' in schema) schema = (schema as { wrapped: Entry }).wrapped;
  return schema;
}

/** parseArgs' options for the schema's entries. */
export function toolParseOptions(schema: ToolSchema): ParseOptions {
  return Object.fromEntries(
    Object.entries(schema.entries).map(([name, entry]) => {
      const type = valueSchema(entry).type;
      if (type === 'boolean') return [name, { type: 'boolean' }];
      return [name, type === 'array' ? { type: 'string', multiple: true } : { type: 'string' }];
    }),
  ) as ParseOptions;
}

/** One usage line per option: the flag, its value's name, its description and its default. */
export function toolOptionLines(schema: ToolSchema): string[] {
  return Object.entries(schema.entries).map(([name, entry]) => {
    const valueName = (v.getMetadata(valueSchema(entry)) as { value?: string }).value ?? 'value';
    const flag = valueSchema(entry).type === 'boolean' ? `--${name}` : `--${name} <${valueName}>`;
    const fallback: unknown =
      'wrapped' in entry ? v.getDefault(entry as Parameters<typeof v.getDefault>[0]) : undefined;
    const shown = fallback === undefined || fallback === false ? '' : ` (default ${String(fallback)})`;
    return `  ${flag.padEnd(22)} ${v.getDescription(valueSchema(entry)) ?? ''}${shown}`.trimEnd();
  });
}

/** Whether the command line asks for the usage (`--help` or `-h` anywhere before `--`). */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

export function parseToolArgs<Schema extends ToolSchema>(
  argv: readonly string[],
  schema: Schema,
  usage: string,
): v.InferOutput<Schema> {
  const options = toolParseOptions(schema);
  let values: Record<string, unknown>;
  try {
    const args = joinNegativeValues(argv, options);
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs' advice on positionals starting with '-' does not apply: these commands take none.
    const message = (error as Error).message.replace(/\. To specify a positional.*$/s, '');
    throw new InvalidSettingError(`${message}\n${usage}`);
  }
  const parsed = v.safeParse(schema, values);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issue.path?.map((item) => String(item.key))[0] ?? 'arguments';
    // The value as typed (before any transform), unless the issue is about one item of a repeated option.
    const typed = issue.path?.length === 1 ? values[key] : issue.input;
    const problem = typed === undefined ? 'is required' : `${issue.message} (got ${JSON.stringify(typed)})`;
    throw new InvalidSettingError(`--${key} ${problem}\n${usage}`);
  }
  return parsed.output;
}
