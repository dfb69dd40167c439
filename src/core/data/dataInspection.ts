// What the local tables and buckets hold, for `data list` / `data scan` and the Lambda view's Resources section.
import type { AttributeMap } from '../service/eventSources/dynamoDbChange';
import type { S3Engine, ObjectSummary } from './s3Engine';
import type { DynamoDbCaller } from './tableSeed';

export interface TableSummary {
  name: string;
  /** Counted with a Scan (DescribeTable's ItemCount is only refreshed every six hours on AWS). */
  itemCount: number;
  /** "pk (HASH), sk (RANGE)". */
  keys: string;
}

export interface BucketSummary {
  name: string;
  objects: ObjectSummary[];
  /** More objects than listed. */
  truncated: boolean;
}

export async function tableSummaries(dynamoDb: DynamoDbCaller & { tableNames(): Promise<string[]> }): Promise<TableSummary[]> {
  const summaries: TableSummary[] = [];
  for (const name of await dynamoDb.tableNames()) {
    const described = await dynamoDb.call<{ Table?: { KeySchema?: { AttributeName: string; KeyType: string }[] } }>('DescribeTable', { TableName: name });
    let itemCount = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoDb.call<{ Count?: number; LastEvaluatedKey?: Record<string, unknown> }>('Scan', { TableName: name, Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) });
      itemCount += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    summaries.push({ name, itemCount, keys: (described.Table?.KeySchema ?? []).map((key) => `${key.AttributeName} (${key.KeyType})`).join(', ') });
  }
  return summaries;
}

/** The first `limit` items of a table, in DynamoDB JSON, as Scan returns them. */
export async function scanItems(dynamoDb: DynamoDbCaller, table: string, limit: number): Promise<{ items: AttributeMap[]; more: boolean }> {
  const items: AttributeMap[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDb.call<{ Items?: AttributeMap[]; LastEvaluatedKey?: Record<string, unknown> }>('Scan', {
      TableName: table,
      Limit: limit - items.length,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < limit);
  return { items, more: start !== undefined };
}

export async function bucketSummaries(s3: S3Engine, limit: number): Promise<BucketSummary[]> {
  const summaries: BucketSummary[] = [];
  for (const name of await s3.bucketNames()) {
    const { objects, truncated } = await s3.listObjects(name, limit);
    summaries.push({ name, objects, truncated });
  }
  return summaries;
}
