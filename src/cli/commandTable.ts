// The CLI's command table: adding a command is one entry here. Each command's module (and what it imports) is loaded
// only when that command runs, or for the help that lists every command: `start` does not evaluate `package`'s zip
// writer, `images`' tar writer or `events`' JSON Schema validator.
import type { CommandSpec } from './commandSpec';

const COMMAND_LOADERS: Readonly<Record<string, () => Promise<CommandSpec>>> = {
  invoke: async () => (await import('./commands/invokeCommand.js')).invokeCommand,
  start: async () => (await import('./commands/startCommand.js')).startCommand,
  list: async () => (await import('./commands/listCommand.js')).listCommand,
  package: async () => (await import('./commands/packageCommand.js')).packageCommand,
  images: async () => (await import('./commands/imagesCommand.js')).imagesCommand,
  init: async () => (await import('./commands/initCommand.js')).initCommand,
  events: async () => (await import('./commands/eventsCommand.js')).eventsCommand,
  state: async () => (await import('./commands/stateCommand.js')).stateCommand,
  data: async () => (await import('./commands/dataCommand.js')).dataCommand,
  validate: async () => (await import('./commands/validateCommand.js')).validateCommand,
  test: async () => (await import('./commands/testCommand.js')).testCommand,
  schedules: async () => (await import('./commands/schedulesCommand.js')).schedulesCommand,
};

/** The command names, in the order the help lists them. */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMAND_LOADERS);

/** The named command, loaded; undefined when there is no such command. */
export function loadCommand(name: string): Promise<CommandSpec> | undefined {
  return Object.hasOwn(COMMAND_LOADERS, name) ? COMMAND_LOADERS[name]() : undefined;
}

/** Every command, loaded (for the help that lists them all). */
export function loadAllCommands(): Promise<CommandSpec[]> {
  return Promise.all(COMMAND_NAMES.map((name) => COMMAND_LOADERS[name]()));
}
