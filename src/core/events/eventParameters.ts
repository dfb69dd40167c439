// Sample events with the caller's values (as `sam local generate-event` takes --bucket, --body, ...): each parameter sets its fields in every record.
import { createHash } from 'node:crypto';
import { WorkbenchError } from '../common/errors';
import { loadSampleEvent } from './sampleEvents';

/** One parameter of an event type, e.g. --bucket of s3-put. */
export interface EventParameter {
  name: string;
  description: string;
}

type Json = Record<string, unknown>;

interface ParameterDefinition extends EventParameter {
  /** Writes the value into the event (every record of a batch). */
  apply(event: Json, value: string, account: AccountValues): void;
}

/** Region and account that generated ARNs name. */
export interface AccountValues {
  region: string;
  accountId: string;
}

const DEFAULT_ACCOUNT: AccountValues = { region: 'us-east-1', accountId: '123456789012' };

const records = (event: Json): Json[] => (Array.isArray(event.Records) ? (event.Records as Json[]) : []);
const child = (parent: Json, key: string): Json => (parent[key] ??= {}) as Json;

const requestParameters = (kind: 'rest' | 'http' | 'alb'): ParameterDefinition[] => [
  {
    name: 'method',
    description: 'HTTP method, e.g. POST.',
    apply: (event, value) => {
      const method = value.toUpperCase();
      if (kind === 'http') child(child(event, 'requestContext'), 'http').method = method;
      else event.httpMethod = method;
      if (kind === 'rest') child(event, 'requestContext').httpMethod = method;
    },
  },
  {
    name: 'path',
    description: 'Request path, e.g. /orders/42.',
    apply: (event, value) => {
      if (kind === 'http') {
        event.rawPath = value;
        child(child(event, 'requestContext'), 'http').path = value;
      } else {
        event.path = value;
      }
      if (kind === 'rest') {
        const context = child(event, 'requestContext');
        context.path = `/${String(context.stage ?? 'Prod')}${value}`;
      }
    },
  },
  {
    name: 'body',
    description: 'Request body (text).',
    apply: (event, value) => {
      event.body = value;
      event.isBase64Encoded = false;
    },
  },
];

const PARAMETERS: Record<string, ParameterDefinition[]> = {
  's3-put': [
    {
      name: 'bucket',
      description: 'Bucket name.',
      apply: (event, value) => {
        for (const record of records(event)) Object.assign(child(child(record, 's3'), 'bucket'), { name: value, arn: `arn:aws:s3:::${value}` });
      },
    },
    {
      name: 'key',
      description: 'Object key (written URL-encoded, as S3 events carry it).',
      apply: (event, value) => {
        const key = encodeURIComponent(value).replace(/%2F/g, '/').replace(/%20/g, '+');
        for (const record of records(event)) child(child(record, 's3'), 'object').key = key;
      },
    },
  ],
  sqs: [
    {
      name: 'queue-name',
      description: 'Queue name (sets eventSourceARN).',
      apply: (event, value, account) => {
        for (const record of records(event)) record.eventSourceARN = `arn:aws:sqs:${account.region}:${account.accountId}:${value}`;
      },
    },
    {
      name: 'body',
      description: 'Message body (sets md5OfBody too).',
      apply: (event, value) => {
        for (const record of records(event)) Object.assign(record, { body: value, md5OfBody: createHash('md5').update(value).digest('hex') });
      },
    },
  ],
  sns: [
    {
      name: 'topic',
      description: 'Topic name (sets TopicArn and EventSubscriptionArn).',
      apply: (event, value, account) => {
        const topicArn = `arn:aws:sns:${account.region}:${account.accountId}:${value}`;
        for (const record of records(event)) {
          child(record, 'Sns').TopicArn = topicArn;
          record.EventSubscriptionArn = `${topicArn}:${String(record.EventSubscriptionArn ?? '').split(':').pop() || '00000000-0000-0000-0000-000000000000'}`;
        }
      },
    },
    { name: 'message', description: 'Message text.', apply: (event, value) => records(event).forEach((record) => (child(record, 'Sns').Message = value)) },
    { name: 'subject', description: 'Message subject.', apply: (event, value) => records(event).forEach((record) => (child(record, 'Sns').Subject = value)) },
  ],
  kinesis: [
    {
      name: 'stream',
      description: 'Stream name (sets eventSourceARN).',
      apply: (event, value, account) => {
        for (const record of records(event)) record.eventSourceARN = `arn:aws:kinesis:${account.region}:${account.accountId}:stream/${value}`;
      },
    },
    {
      name: 'data',
      description: 'Record data as text (written base64-encoded).',
      apply: (event, value) => records(event).forEach((record) => (child(record, 'kinesis').data = Buffer.from(value).toString('base64'))),
    },
    { name: 'partition-key', description: 'Partition key.', apply: (event, value) => records(event).forEach((record) => (child(record, 'kinesis').partitionKey = value)) },
  ],
  'dynamodb-stream': [
    {
      name: 'table',
      description: 'Table name (sets eventSourceARN).',
      apply: (event, value, account) => {
        for (const record of records(event)) {
          const label = String(record.eventSourceARN ?? '').split('/stream/')[1] ?? '2024-01-01T00:00:00.000';
          record.eventSourceARN = `arn:aws:dynamodb:${account.region}:${account.accountId}:table/${value}/stream/${label}`;
        }
      },
    },
  ],
  'apigateway-rest': requestParameters('rest'),
  'apigateway-http': requestParameters('http'),
  'function-url': requestParameters('http'),
  alb: requestParameters('alb'),
  eventbridge: [
    { name: 'source', description: 'Event source, e.g. com.example.orders.', apply: (event, value) => void (event.source = value) },
    { name: 'detail-type', description: 'Detail type, e.g. OrderPlaced.', apply: (event, value) => void (event['detail-type'] = value) },
    {
      name: 'detail',
      description: 'Detail as a JSON object.',
      apply: (event, value) => {
        let detail: unknown;
        try {
          detail = JSON.parse(value);
        } catch (error) {
          throw new WorkbenchError('EVENT_INVALID', `--detail must be a JSON object: ${(error as Error).message}`);
        }
        if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new WorkbenchError('EVENT_INVALID', '--detail must be a JSON object.');
        event.detail = detail;
      },
    },
  ],
  scheduled: [
    {
      name: 'rule',
      description: 'Rule name (sets resources).',
      apply: (event, value, account) => void (event.resources = [`arn:aws:events:${account.region}:${account.accountId}:rule/${value}`]),
    },
  ],
};

/** The parameters an event type takes (none for most of the library). */
export function eventParameters(id: string): EventParameter[] {
  return (PARAMETERS[id] ?? []).map(({ name, description }) => ({ name, description }));
}

/**
 * The sample event of `id` with the given parameter values, as indented JSON. Unknown parameters are an EVENT_INVALID
 * error that lists the known ones.
 */
export function generateEvent(id: string, values: Record<string, string> = {}, account: AccountValues = DEFAULT_ACCOUNT): string {
  const text = loadSampleEvent(id);
  if (Object.keys(values).length === 0) return text;
  const definitions = PARAMETERS[id] ?? [];
  const event = JSON.parse(text) as Json;
  for (const [name, value] of Object.entries(values)) {
    const definition = definitions.find((candidate) => candidate.name === name);
    if (!definition) {
      throw new WorkbenchError('EVENT_INVALID', `Event type '${id}' takes no parameter '${name}'.`, {
        hint: definitions.length ? `Its parameters: ${definitions.map((d) => d.name).join(', ')}.` : 'It takes no parameters.',
      });
    }
    definition.apply(event, value, account);
  }
  return `${JSON.stringify(event, null, 2)}\n`;
}

/** Every parameter name with the event types that take it, for a command line that declares its options up front. */
export function allEventParameters(): { name: string; eventTypes: string[] }[] {
  const byName = new Map<string, string[]>();
  for (const [id, definitions] of Object.entries(PARAMETERS)) {
    for (const { name } of definitions) byName.set(name, [...(byName.get(name) ?? []), id]);
  }
  return [...byName].map(([name, eventTypes]) => ({ name, eventTypes }));
}
