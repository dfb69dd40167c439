// Dispatches a command line to its command and maps every failure to an exit code with a one-line reason on stderr.
import { isWorkbenchError } from '../core/common/errors';
import { ServiceError } from '../core/service/invocation';
import { parseArgs, usage, wantsHelp } from './argParser';
import type { CliIo } from './cliIo';
import { writeFully } from './cliIo';
import { COMMAND_NAMES, loadAllCommands, loadCommand } from './commandTable';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from './exitCodes';
import { commandHelp, globalHelp } from './help';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] !== undefined ? await loadCommand(rest[0]) : undefined;
    // No command at all is a usage error: the help goes to stderr.
    await writeFully(name === undefined ? io.stderr : io.stdout, topic ? commandHelp(topic) : globalHelp(await loadAllCommands()));
    return name === undefined ? EXIT_FAILURE : EXIT_OK;
  }
  try {
    const command = await loadCommand(name);
    if (!command) {
      throw usage('', `unknown command '${name}'. Commands: ${COMMAND_NAMES.join(', ')}.`);
    }
    if (wantsHelp(rest)) {
      await writeFully(io.stdout, commandHelp(command));
      return EXIT_OK;
    }
    return await command.run(parseArgs(name, rest, command.flags, command.positionals), io);
  } catch (error) {
    await writeFully(io.stderr, `lambda-workbench: ${describeFailure(error)}\n`);
    return isWorkbenchError(error, 'CANCELLED') ? EXIT_INTERRUPTED : EXIT_FAILURE;
  }
}

function describeFailure(error: unknown): string {
  if (isWorkbenchError(error)) return error.describe();
  if (error instanceof ServiceError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `internal error: ${error.message}`;
  return `internal error: ${String(error)}`;
}
