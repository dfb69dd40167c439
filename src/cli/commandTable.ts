// The CLI's command table: adding a command is one import and one entry here.
import type { CommandSpec } from './commandSpec';
import { dataCommand } from './commands/dataCommand';
import { eventsCommand } from './commands/eventsCommand';
import { initCommand } from './commands/initCommand';
import { imagesCommand } from './commands/imagesCommand';
import { invokeCommand } from './commands/invokeCommand';
import { listCommand } from './commands/listCommand';
import { packageCommand } from './commands/packageCommand';
import { startCommand } from './commands/startCommand';
import { stateCommand } from './commands/stateCommand';
import { testCommand } from './commands/testCommand';
import { validateCommand } from './commands/validateCommand';

export const COMMANDS: readonly CommandSpec[] = [invokeCommand, startCommand, listCommand, packageCommand, imagesCommand, initCommand, eventsCommand, stateCommand, dataCommand, validateCommand, testCommand];
