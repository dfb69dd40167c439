// DynamoDB, locally: dynalite (DynamoDB on LevelDB) in this process, persisted in a folder, reached through a private loopback port.
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { WorkbenchError } from '../common/errors';
import { PrivateUpstream } from './privateUpstream';

/** The operations dynalite implements (its own list), under DynamoDB's JSON 1.0 target prefix. */
export const DYNALITE_OPERATIONS: readonly string[] = [
  'BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive', 'GetItem',
  'ListTables', 'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable',
];
export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';

/** An error answer of DynamoDB (its `__type` without the namespace, and message). */
export class DynamoDbError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(`${type}: ${message}`);
  }
}

export interface DynamoDbAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;

export class DynamoDbEngine {
  private constructor(private readonly upstream: PrivateUpstream) {}

  /** Opens (or creates) the tables stored in `directory`. A folder another process has open is STATE_INVALID. */
  static async start(directory: string, account: { region: string; accountId: string } = { region: 'us-east-1', accountId: '123456789012' }): Promise<DynamoDbEngine> {
    await mkdir(directory, { recursive: true });
    // dynalite opens LevelDB lazily and cannot report a folder another process holds (it throws from a stream later):
    // its LevelDB is opened and closed once first, so that case is an error here. Both are vendor chunks of the bundles
    // (esbuild.mjs), with LevelDB's native binding beside them: the .vsix ships no node_modules.
    await assertNotLocked((await import('level')) as LevelModule, directory);
    const dynalite = (await import('dynalite')).default as DynaliteFactory;
    // Tables are ACTIVE at once: the CREATING phase only slows local runs down.
    const server = withEnvironment({ AWS_ACCOUNT_ID: account.accountId, AWS_REGION: account.region }, () =>
      dynalite({ path: directory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
    const handler = server.listeners('request')[0] as Parameters<typeof PrivateUpstream.listen>[1];
    const upstream = await PrivateUpstream.listen(server, handler);
    return new DynamoDbEngine(upstream);
  }

  /** Forwards a DynamoDB JSON request as it came (headers with the signature, body) and returns dynalite's answer. */
  async forward(headers: Record<string, string>, body: Buffer): Promise<DynamoDbAnswer> {
    const answer = await this.upstream.fetch({ method: 'POST', path: '/', headers: { ...headers, 'content-length': String(body.length) }, body });
    const passed: Record<string, string> = {};
    for (const name of ['content-type', 'x-amzn-requestid', 'x-amz-crc32']) {
      const value = answer.headers[name];
      if (typeof value === 'string') passed[name] = value;
    }
    return { status: answer.status, headers: passed, body: answer.body };
  }

  /** One operation for the tool itself (creating template tables, stream images, seeding, the view); errors are DynamoDbErrors. */
  async call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): Promise<T> {
    const answer = await this.forward(internalHeaders(operation), Buffer.from(JSON.stringify(input)));
    const parsed = answer.body.length ? (JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>) : {};
    if (answer.status !== 200) {
      const type = String(parsed.__type ?? 'InternalServerError').split('#').pop() ?? 'InternalServerError';
      throw new DynamoDbError(type, String(parsed.message ?? parsed.Message ?? ''), answer.status);
    }
    return parsed as T;
  }

  /** Every table name (ListTables pages through them). */
  async tableNames(): Promise<string[]> {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await this.call<{ TableNames?: string[]; LastEvaluatedTableName?: string }>('ListTables', start ? { ExclusiveStartTableName: start } : {});
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start);
    return names;
  }

  close(): Promise<void> {
    return this.upstream.close();
  }
}

/** dynalite writes the table ARNs with the account and region it reads from the environment when it is created. */
function withEnvironment<T>(variables: Record<string, string>, create: () => T): T {
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return create();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

interface LevelModule {
  Level: new (location: string) => { open(): Promise<void>; close(): Promise<void> };
}

async function assertNotLocked(level: LevelModule, directory: string): Promise<void> {
  const db = new level.Level(directory);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new WorkbenchError('STATE_INVALID', `The local DynamoDB tables in ${directory} cannot be opened: ${(error as Error).message}.`, {
      hint: cause?.code === 'LEVEL_LOCKED' ? "Another 'lambda-workbench start' (or the extension's local endpoints) is using them: stop it first." : "'lambda-workbench state reset' starts them anew.",
      cause: error,
    });
  }
  await db.close();
}

/** dynalite wants a SigV4-shaped Authorization header; it does not check signatures. */
function internalHeaders(operation: string): Record<string, string> {
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `${DYNAMODB_TARGET_PREFIX}.${operation}`,
    'x-amz-date': date,
    authorization: `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=local`,
  };
}

