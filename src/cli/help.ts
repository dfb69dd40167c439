// Help text for `lambda-workbench --help` and `lambda-workbench <command> --help`, generated from the command table.
import { HELP_FLAG, type FlagSpec } from './argParser';
import type { CommandSpec } from './commandSpec';

export function globalHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Run and debug AWS Lambda functions locally.',
    '',
    'Usage: lambda-workbench <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'lambda-workbench <command> --help' for the options of a command.",
    '',
  ].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  const positionals = command.positionals.map((p) => {
    const name = `${p.name}${p.variadic ? '...' : ''}`;
    return p.required ? `<${name}>` : `[${name}]`;
  }).join(' ');
  const flags = [...command.flags, HELP_FLAG];
  const labels = flags.map(flagLabel);
  const width = Math.max(...labels.map((l) => l.length), ...command.positionals.map((p) => p.name.length + 2));
  const lines = [
    command.summary,
    '',
    `Usage: lambda-workbench ${command.name}${positionals ? ` ${positionals}` : ''} [options]`,
    '',
  ];
  if (command.positionals.length > 0) {
    lines.push('Arguments:', ...command.positionals.map((p) => `  ${`<${p.name}>`.padEnd(width)}  ${p.description}`), '');
  }
  lines.push('Options:', ...flags.map((flag, i) => `  ${labels[i].padEnd(width)}  ${flag.description}`), '');
  if (command.details) lines.push(command.details, '');
  return lines.join('\n');
}

function flagLabel(flag: FlagSpec): string {
  if (flag.kind === 'boolean') return `--${flag.name}`;
  const value = flag.choices ? flag.choices.join('|') : `<${flag.valueName ?? 'value'}>`;
  return flag.kind === 'list' ? `--${flag.name} ${value}...` : `--${flag.name} ${value}`;
}
