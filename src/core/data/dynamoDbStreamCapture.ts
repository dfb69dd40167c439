// DynamoDB Streams around dynalite (which has none): the items a write touches are read before and after it, and each change becomes a stream record.
import type { AttributeMap, DynamoDbChange } from '../service/eventSources/dynamoDbChange';
import type { EventSources } from '../service/eventSources/eventSources';
import { isRecord } from '../template/templateDocument';
import type { DynamoDbAnswer, DynamoDbEngine } from './dynamoDbEngine';

/** Where the changes of tables with a stream go (the local table streams of the event sources). */
export interface StreamSink {
  /** True when `tableName` has a stream. */
  has(tableName: string): boolean;
  put(tableName: string, change: DynamoDbChange): void;
}

/** One item a write names: by its key, or by the whole item (PutItem), whose key attributes are picked once the key schema is known. */
interface TouchedItem {
  table: string;
  attributes: AttributeMap;
}

export class StreamCapture {
  private readonly keyNames = new Map<string, Promise<string[]>>();
  /** Writes to a table with a stream run one at a time, so the images before and after belong to that write alone. */
  private readonly locks = new Map<string, Promise<void>>();

  constructor(
    private readonly engine: DynamoDbEngine,
    private readonly sink: StreamSink,
  ) {}

  /** Runs `forward` (the write itself); when it succeeds, puts a record for each item it inserted, changed or removed. */
  async around(operation: string, input: unknown, forward: () => Promise<DynamoDbAnswer>): Promise<DynamoDbAnswer> {
    if (operation === 'CreateTable' || operation === 'DeleteTable') {
      if (isRecord(input) && typeof input.TableName === 'string') this.keyNames.delete(input.TableName);
      return forward();
    }
    const touched = touchedItems(operation, input).filter((item) => this.sink.has(item.table));
    if (!touched.length) return forward();
    const tables = [...new Set(touched.map((item) => item.table))].sort();
    const releases: (() => void)[] = [];
    try {
      for (const table of tables) releases.push(await this.acquire(table));
      const keys = await Promise.all(touched.map(async (item) => ({ table: item.table, key: await this.key(item) })));
      const before = await Promise.all(keys.map((item) => this.read(item.table, item.key)));
      const answer = await forward();
      if (answer.status !== 200) return answer;
      const after = await Promise.all(keys.map((item) => this.read(item.table, item.key)));
      keys.forEach((item, index) => {
        const change = itemChange(item.key, before[index], after[index]);
        if (change) this.sink.put(item.table, change);
      });
      return answer;
    } finally {
      for (const release of releases) release();
    }
  }

  private async acquire(table: string): Promise<() => void> {
    const previous = this.locks.get(table) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const current = new Promise<void>((resolve) => (release = resolve));
    const held = previous.then(() => current);
    this.locks.set(table, held);
    await previous;
    return () => {
      release();
      if (this.locks.get(table) === held) this.locks.delete(table);
    };
  }

  private async key(item: TouchedItem): Promise<AttributeMap> {
    let names = this.keyNames.get(item.table);
    if (!names) {
      names = this.engine
        .call<{ Table?: { KeySchema?: { AttributeName: string }[] } }>('DescribeTable', { TableName: item.table })
        .then((answer) => (answer.Table?.KeySchema ?? []).map((key) => key.AttributeName));
      this.keyNames.set(item.table, names);
      names.catch(() => this.keyNames.delete(item.table));
    }
    const keyNames = await names;
    return Object.fromEntries(keyNames.flatMap((name) => (item.attributes[name] ? [[name, item.attributes[name]]] : [])));
  }

  private async read(table: string, key: AttributeMap): Promise<AttributeMap | undefined> {
    if (!Object.keys(key).length) return undefined;
    try {
      return (await this.engine.call<{ Item?: AttributeMap }>('GetItem', { TableName: table, Key: key, ConsistentRead: true })).Item;
    } catch {
      // A key that does not match the schema: the write itself fails with DynamoDB's ValidationException.
      return undefined;
    }
  }
}

/** The items a write operation names, per table. */
function touchedItems(operation: string, input: unknown): TouchedItem[] {
  if (!isRecord(input)) return [];
  const table = typeof input.TableName === 'string' ? input.TableName : undefined;
  switch (operation) {
    case 'PutItem':
      return table && isRecord(input.Item) ? [{ table, attributes: input.Item as AttributeMap }] : [];
    case 'UpdateItem':
    case 'DeleteItem':
      return table && isRecord(input.Key) ? [{ table, attributes: input.Key as AttributeMap }] : [];
    case 'BatchWriteItem': {
      const requests = isRecord(input.RequestItems) ? input.RequestItems : {};
      return Object.entries(requests).flatMap(([name, writes]) =>
        (Array.isArray(writes) ? writes : []).flatMap((write: unknown) => {
          const put = isRecord(write) && isRecord(write.PutRequest) ? write.PutRequest.Item : undefined;
          const remove = isRecord(write) && isRecord(write.DeleteRequest) ? write.DeleteRequest.Key : undefined;
          const attributes = put ?? remove;
          return isRecord(attributes) ? [{ table: name, attributes: attributes as AttributeMap }] : [];
        }),
      );
    }
    default:
      return [];
  }
}

/** INSERT, MODIFY or REMOVE; nothing when the item is as it was (DynamoDB writes no record for a write that changes nothing). */
function itemChange(keys: AttributeMap, before: AttributeMap | undefined, after: AttributeMap | undefined): DynamoDbChange | undefined {
  if (!before && !after) return undefined;
  if (before && after && canonical(before) === canonical(after)) return undefined;
  const eventName = !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY';
  return { eventName, keys, ...(after ? { newImage: after } : {}), ...(before ? { oldImage: before } : {}) };
}

/** JSON with object keys in order, so equal items compare equal whatever order their attributes come in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  return JSON.stringify(value);
}

/** The DynamoDB table streams of the local event sources, as a sink (the sources may start after the endpoint). */
export function tableStreams(sources: () => EventSources | undefined): StreamSink {
  const find = (table: string) => {
    try {
      const stream = sources()?.stream(table);
      return stream?.definition.kind === 'dynamodb' ? stream : undefined;
    } catch {
      return undefined;
    }
  };
  return { has: (table) => find(table) !== undefined, put: (table, change) => void find(table)?.putChange(change) };
}
