// Command-line argument parsing for the CLI: flags declared per command, `--flag value`, `--flag=value`, multi-value flags.
import { WorkbenchError } from '../core/common/errors';

export interface FlagSpec {
  /** Without the leading dashes, e.g. "template". */
  name: string;
  /** string: one value; list: one or more values (repeatable); boolean: no value. */
  kind: 'string' | 'list' | 'boolean';
  /** Placeholder shown in help, e.g. "path". */
  valueName?: string;
  description: string;
  /** Allowed values, checked while parsing. */
  choices?: readonly string[];
}

export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
  /** The last positional may take any number of values (`FUNCTION...`). */
  variadic?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  strings: Map<string, string>;
  lists: Map<string, string[]>;
  booleans: Set<string>;
}

/** `lambda-workbench <command> --help` is handled before parsing, so every command accepts it. */
export const HELP_FLAG: FlagSpec = { name: 'help', kind: 'boolean', description: 'Show this help.' };

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function parseArgs(
  command: string,
  argv: readonly string[],
  flags: readonly FlagSpec[],
  positionals: readonly PositionalSpec[],
): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], strings: new Map(), lists: new Map(), booleans: new Set() };
  const byName = new Map(flags.map((flag) => [flag.name, flag]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const flag = byName.get(name);
    if (!flag) {
      throw usage(command, `unknown option --${name}.`);
    }
    if (flag.kind === 'boolean') {
      if (eq >= 0) throw usage(command, `option --${name} takes no value.`);
      parsed.booleans.add(name);
      continue;
    }
    const values: string[] = [];
    if (eq >= 0) {
      values.push(arg.slice(eq + 1));
    } else {
      // "-" is a value (stdin); anything else starting with "--" is the next flag.
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
        values.push(argv[++i]);
        if (flag.kind === 'string') break;
      }
    }
    if (values.length === 0) throw usage(command, `option --${name} needs a value (${flag.valueName ?? 'value'}).`);
    for (const value of values) {
      if (flag.choices && !flag.choices.includes(value)) {
        throw usage(command, `option --${name} must be one of ${flag.choices.join(', ')}, not '${value}'.`);
      }
    }
    if (flag.kind === 'string') {
      if (parsed.strings.has(name)) throw usage(command, `option --${name} is given twice.`);
      parsed.strings.set(name, values[0]);
    } else {
      parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), ...values]);
    }
  }
  const required = positionals.filter((p) => p.required).length;
  if (parsed.positionals.length < required) {
    throw usage(command, `missing <${positionals[parsed.positionals.length].name}>.`);
  }
  if (parsed.positionals.length > positionals.length && !positionals[positionals.length - 1]?.variadic) {
    throw usage(command, `unexpected argument '${parsed.positionals[positionals.length]}'.`);
  }
  return parsed;
}

export function usage(command: string, reason: string): WorkbenchError {
  const help = command ? `lambda-workbench ${command} --help` : 'lambda-workbench --help';
  return new WorkbenchError('USAGE', reason, { hint: `Run '${help}' for usage.` });
}
