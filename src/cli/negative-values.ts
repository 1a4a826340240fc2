// node:util's parseArgs reads any argument that starts with "-" as an option, so `--seed -1` fails with
// its "Did you forget to specify the option argument" before the command's own checks could say what
// range the seed has. A negative number after an option that takes a value is that option's value: it is
// joined to it (`--seed=-1`), and the option's validation then refuses or accepts it like any other value.
import type { ParseArgsConfig } from 'node:util';

/** "-1", "-0.5", "-.5", "-1e3", "-Infinity": what a negative number looks like on a command line. */
const NEGATIVE_NUMBER = /^-(?:\d|\.\d|Infinity$)/;

/** `argv` with every `--name <negative number>` (or `-n <negative number>`) of a value option joined. */
export function joinNegativeValues(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
): string[] {
  const valueOptions = new Map<string, string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== 'string') continue;
    valueOptions.set(`--${name}`, name);
    if (option.short) valueOptions.set(`-${option.short}`, name);
  }
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      joined.push(...argv.slice(i)); // after the terminator everything is a positional, as typed
      break;
    }
    const name = valueOptions.get(arg);
    const next = argv[i + 1];
    if (name !== undefined && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`--${name}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}
