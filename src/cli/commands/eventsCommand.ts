// `lambda-workbench events list|show|generate TYPE`: the sample event library, as `sam local generate-event` offers it.
import { allEventParameters, eventParameters, generateEvent, listSampleEvents } from '../../core/events';
import type { FlagSpec, ParsedArgs } from '../argParser';
import { usage } from '../argParser';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';

const ACTIONS = ['list', 'show', 'generate'] as const;

/** Every event parameter is an option of the command; `generate` refuses those the chosen type does not take. */
const PARAMETER_FLAGS: FlagSpec[] = allEventParameters().map(({ name, eventTypes }) => ({
  name,
  kind: 'string',
  valueName: 'value',
  description: `Only with generate, for ${eventTypes.join(', ')}.`,
}));

const ACCOUNT_FLAGS: FlagSpec[] = [
  { name: 'region', kind: 'string', valueName: 'region', description: 'Region in generated ARNs (default: us-east-1).' },
  { name: 'account-id', kind: 'string', valueName: 'id', description: 'Account id in generated ARNs (default: 123456789012).' },
];

export const eventsCommand: CommandSpec = {
  name: 'events',
  summary: 'List, describe or generate sample events (S3, SQS, SNS, API Gateway, ...).',
  positionals: [
    { name: 'Action', description: `${ACTIONS.join(' | ')}`, required: true },
    { name: 'Type', description: 'Event type for show and generate, e.g. s3-put, sqs (see events list).', required: false },
  ],
  flags: [...PARAMETER_FLAGS, ...ACCOUNT_FLAGS],
  details: [
    'generate prints the event JSON on stdout; the parameters a type takes are listed by events show TYPE.',
    '',
    'Examples:',
    '  lambda-workbench events list',
    '  lambda-workbench events show sqs',
    "  lambda-workbench events generate sqs --queue-name orders --body '{\"orderId\": 7}' > events/order.json",
    '  lambda-workbench events generate s3-put --bucket uploads --key reports/may.csv | lambda-workbench invoke ... --event -',
  ].join('\n'),

  async run(args, io) {
    const [action, type] = args.positionals;
    if (!(ACTIONS as readonly string[]).includes(action)) throw usage('events', `unknown action '${action}': use ${ACTIONS.join(', ')}.`);
    if (action === 'list') {
      rejectParameters(args, 'list');
      const events = listSampleEvents();
      const width = Math.max(...events.map((event) => event.id.length));
      await writeFully(io.stdout, events.map((event) => `${event.id.padEnd(width)}  ${event.title} (${event.service})\n`).join(''));
      return 0;
    }
    if (type === undefined) throw usage('events', `${action} needs an event type (see 'lambda-workbench events list').`);
    if (action === 'show') {
      rejectParameters(args, 'show');
      await writeFully(io.stdout, describe(type));
      return 0;
    }
    const values: Record<string, string> = {};
    for (const { name } of allEventParameters()) {
      const value = args.strings.get(name);
      if (value !== undefined) values[name] = value;
    }
    const account = { region: args.strings.get('region') ?? 'us-east-1', accountId: args.strings.get('account-id') ?? '123456789012' };
    await writeFully(io.stdout, generateEvent(type, values, account));
    return 0;
  },
};

function describe(type: string): string {
  // generateEvent checks the type first (EVENT_INVALID with the known types).
  generateEvent(type);
  const info = listSampleEvents().find((event) => event.id === type);
  const parameters = eventParameters(type);
  const lines = [`${type}: ${info?.title ?? ''} (${info?.service ?? ''})`];
  if (parameters.length) {
    lines.push('Parameters of events generate:');
    const width = Math.max(...parameters.map((parameter) => parameter.name.length)) + 2;
    for (const parameter of parameters) lines.push(`  --${parameter.name.padEnd(width)}${parameter.description}`);
  } else {
    lines.push('No parameters: events generate prints the sample as shipped.');
  }
  lines.push(`Generate it: lambda-workbench events generate ${type}`);
  return `${lines.join('\n')}\n`;
}

function rejectParameters(args: ParsedArgs, action: string): void {
  const given = [...args.strings.keys()];
  if (given.length) throw usage('events', `--${given[0]} applies to events generate, not events ${action}.`);
}
