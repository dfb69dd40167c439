// `lambda-workbench data seed|put|list|scan`: puts items and objects into the template's local tables and buckets, and shows what they hold.
import { readFile } from 'node:fs/promises';
import { WorkbenchError } from '../../core/common/errors';
import { bucketSummaries, scanItems, tableSummaries } from '../../core/data/dataInspection';
import type { DynamoDbEngine } from '../../core/data/dynamoDbEngine';
import { openDynamoDb, openS3, readLocalDataResources } from '../../core/data/localData';
import type { S3Engine } from '../../core/data/s3Engine';
import { readSeedItems, seedTable } from '../../core/data/tableSeed';
import { usage, type ParsedArgs } from '../argParser';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { loadFunctionSource, parameterOverrides, TEMPLATE_FLAG, type FunctionSource, PROJECT_ROOT_FLAG } from '../functionSource';

const ACTIONS = ['seed', 'put', 'list', 'scan'] as const;
const DEFAULT_SCAN_LIMIT = 100;

export const dataCommand: CommandSpec = {
  name: 'data',
  summary: "Seed and inspect the template's local DynamoDB tables and S3 buckets.",
  positionals: [
    { name: 'action', required: true, description: ACTIONS.join(' | ') },
    { name: 'name', required: false, description: 'The table (seed, scan) or bucket (put).' },
    { name: 'file-or-key', required: false, description: 'seed: the JSON file of items; put: the object key.' },
    { name: 'file', required: false, description: 'put: the file whose bytes become the object.' },
  ],
  flags: [
    TEMPLATE_FLAG,
    PROJECT_ROOT_FLAG,
    { name: 'parameter-overrides', kind: 'list', valueName: 'Key=Value', description: 'Template parameter values (as start is given them).' },
    { name: 'content-type', kind: 'string', valueName: 'type', description: 'put: the Content-Type of the object (default: S3\'s binary/octet-stream).' },
    { name: 'limit', kind: 'string', valueName: 'n', description: `scan: at most this many items (default: ${DEFAULT_SCAN_LIMIT}); list: objects per bucket.` },
  ],
  details: [
    'The tables and objects live in .lambda-workbench/state beside the template, where `start` serves them;',
    "the template's tables and buckets are created first if they do not exist yet. 'lambda-workbench state reset' clears them.",
    'Run it while `start` is stopped (its DynamoDB holds the tables open); with `start` running, write through its endpoint',
    '(aws dynamodb batch-write-item / aws s3 cp --endpoint-url http://127.0.0.1:3001).',
    '',
    'A seed file is a JSON list of items in plain JSON ([{"id": "1", "total": 7}]) or DynamoDB JSON ([{"id": {"S": "1"}}]),',
    "Scan's output ({\"Items\": [...]}, what `data scan` prints) or BatchWriteItem's request items.",
    '',
    'Examples:',
    '  lambda-workbench data seed Items seed/items.json',
    '  lambda-workbench data put uploads incoming/photo.jpg ./photo.jpg --content-type image/jpeg',
    '  lambda-workbench data list',
    '  lambda-workbench data scan Items --limit 10',
  ].join('\n'),

  async run(args, io) {
    const action = args.positionals[0];
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) throw usage('data', `unknown action '${action}' (${ACTIONS.join(', ')}).`);
    const source = await loadFunctionSource('data', args);
    const warnings: string[] = [];
    const resources = await readLocalDataResources(source.registry, parameterOverrides('data', args.lists.get('parameter-overrides')) ?? {}, warnings);
    const report = async () => {
      for (const warning of warnings.splice(0)) await writeFully(io.stderr, `Warning: ${warning}\n`);
    };
    if (action === 'seed' || action === 'scan') {
      const [, table, file] = positionals(args, action === 'seed' ? ['TABLE', 'FILE.json'] : ['TABLE']);
      const dynamoDb = await openDynamoDb(source.stateDir, resources.tables, warnings);
      try {
        await report();
        await requireName(await dynamoDb.tableNames(), table, 'table');
        if (action === 'seed') {
          const count = await seedTable(dynamoDb, table, await readSeedItems(file, table));
          await writeFully(io.stdout, `Seeded ${count} item${count === 1 ? '' : 's'} into ${table}.\n`);
        } else {
          const { items, more } = await scanItems(dynamoDb, table, limit(args));
          await writeFully(io.stdout, `${JSON.stringify({ Items: items, Count: items.length }, null, 2)}\n`);
          if (more) await writeFully(io.stderr, `(the first ${items.length} items; --limit shows more)\n`);
        }
      } finally {
        await dynamoDb.close();
      }
      return 0;
    }
    if (action === 'put') {
      const [, bucket, key, file] = positionals(args, ['BUCKET', 'KEY', 'FILE']);
      const s3 = await openS3(source.stateDir, resources.buckets, warnings);
      try {
        await report();
        await requireName(await s3.bucketNames(), bucket, 'bucket');
        const body = await readFile(file).catch((error: unknown) => {
          throw new WorkbenchError('DATA_INVALID', `Cannot read ${file}: ${(error as Error).message}.`, { cause: error });
        });
        const { eTag } = await s3.putObject(bucket, key, body, args.strings.get('content-type') ?? 'binary/octet-stream');
        await writeFully(io.stdout, `Put s3://${bucket}/${key} (${body.length} bytes, ETag ${eTag}).\n`);
      } finally {
        await s3.close();
      }
      return 0;
    }
    await writeFully(io.stdout, (await listing(source, resources, warnings, limit(args))).join('\n'));
    await report();
    return 0;
  },
};

/** `data list`: every table with its keys and item count, every bucket with its objects. */
async function listing(source: FunctionSource, resources: Awaited<ReturnType<typeof readLocalDataResources>>, warnings: string[], objectLimit: number): Promise<string[]> {
  const lines: string[] = [];
  let dynamoDb: DynamoDbEngine | undefined;
  let s3: S3Engine | undefined;
  try {
    dynamoDb = await openDynamoDb(source.stateDir, resources.tables, warnings);
    s3 = await openS3(source.stateDir, resources.buckets, warnings);
    const tables = await tableSummaries(dynamoDb);
    lines.push(tables.length ? 'Tables:' : 'Tables: (none)', ...tables.map((table) => `  ${table.name}  ${table.itemCount} item${table.itemCount === 1 ? '' : 's'}  keys: ${table.keys}`));
    const buckets = await bucketSummaries(s3, objectLimit);
    lines.push(buckets.length ? 'Buckets:' : 'Buckets: (none)');
    for (const bucket of buckets) {
      lines.push(`  ${bucket.name}  ${bucket.objects.length}${bucket.truncated ? '+' : ''} object${bucket.objects.length === 1 ? '' : 's'}`);
      lines.push(...bucket.objects.map((object) => `    ${object.key}  ${object.size} bytes  ${object.lastModified}`));
    }
  } finally {
    await dynamoDb?.close();
    await s3?.close();
  }
  return [...lines, ''];
}

function positionals(args: ParsedArgs, names: string[]): string[] {
  const given = args.positionals.slice(1);
  if (given.length < names.length) throw usage('data', `${args.positionals[0]} needs ${names.join(' ')}; missing ${names[given.length]}.`);
  if (given.length > names.length) throw usage('data', `unexpected argument '${given[names.length]}' for ${args.positionals[0]}.`);
  return args.positionals;
}

async function requireName(names: string[], name: string, kind: 'table' | 'bucket'): Promise<void> {
  if (names.includes(name)) return;
  throw new WorkbenchError('DATA_INVALID', `No local ${kind} named '${name}'. ${kind === 'table' ? 'Tables' : 'Buckets'}: ${names.join(', ') || '(none)'}.`, {
    hint: `Declare it in the template (${kind === 'table' ? 'AWS::DynamoDB::Table or AWS::Serverless::SimpleTable' : 'AWS::S3::Bucket'}), or create it through start's endpoint.`,
  });
}

function limit(args: ParsedArgs): number {
  const value = args.strings.get('limit');
  if (value === undefined) return DEFAULT_SCAN_LIMIT;
  if (!/^[1-9]\d*$/.test(value)) throw usage('data', `--limit must be a positive whole number, not '${value}'.`);
  return Number(value);
}
