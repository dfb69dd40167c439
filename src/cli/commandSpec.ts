// The shape of one CLI command: its arguments (for parsing and --help) and what it runs.
import type { FlagSpec, ParsedArgs, PositionalSpec } from './argParser';
import type { CliIo } from './cliIo';

export interface CommandSpec {
  name: string;
  /** One line, shown in `lambda-workbench --help`. */
  summary: string;
  positionals: readonly PositionalSpec[];
  flags: readonly FlagSpec[];
  /** Examples and notes shown at the end of the command's --help. */
  details?: string;
  /** Resolves to the process exit code. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
