// `data seed`: the items of a seed file (plain JSON or DynamoDB JSON) written to a local table with BatchWriteItem.
import { readFile } from 'node:fs/promises';
import { marshall } from '@aws-sdk/util-dynamodb';
import { WorkbenchError } from '../common/errors';
import type { AttributeMap } from '../service/eventSources/dynamoDbChange';
import { isRecord } from '../template/templateDocument';

/** BatchWriteItem takes at most 25 writes. */
const BATCH_SIZE = 25;
const ATTRIBUTE_TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);

export interface DynamoDbCaller {
  call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): Promise<T>;
}

/**
 * The items of a seed file: a JSON list of items, Scan's output ({"Items": [...]}), or BatchWriteItem's request items
 * ({"<table>": [{"PutRequest": {"Item": ...}}]}). Items in DynamoDB JSON ({"id": {"S": "1"}}) go as they are; plain JSON
 * ({"id": "1"}) is converted as the DynamoDB document client converts it.
 */
export async function readSeedItems(file: string, table: string): Promise<AttributeMap[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new WorkbenchError('DATA_INVALID', `Cannot read the seed file ${file}: ${(error as Error).message}.`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new WorkbenchError('DATA_INVALID', `The seed file is not JSON: ${(error as Error).message}.`, { location: { file } });
  }
  const items = Array.isArray(parsed) ? parsed
    : isRecord(parsed) && Array.isArray(parsed.Items) ? parsed.Items
      : isRecord(parsed) && Array.isArray(parsed[table]) ? (parsed[table] as unknown[]).map((write) => (isRecord(write) && isRecord(write.PutRequest) ? write.PutRequest.Item : write))
        : undefined;
  if (!items) {
    throw new WorkbenchError('DATA_INVALID', `The seed file holds no items for ${table}.`, {
      location: { file },
      hint: `Write a JSON list of items ([{"id": "1"}] or [{"id": {"S": "1"}}]), Scan's output ({"Items": [...]}) or BatchWriteItem's ({"${table}": [{"PutRequest": {"Item": ...}}]}).`,
    });
  }
  return items.map((item, index) => {
    if (!isRecord(item)) throw new WorkbenchError('DATA_INVALID', `Item ${index} of the seed file is not a JSON object.`, { location: { file } });
    if (isDynamoDbJson(item)) return item as AttributeMap;
    try {
      return marshall(item, { removeUndefinedValues: true }) as unknown as AttributeMap;
    } catch (error) {
      throw new WorkbenchError('DATA_INVALID', `Item ${index} of the seed file cannot be written to DynamoDB: ${(error as Error).message}.`, { location: { file } });
    }
  });
}

/** Writes the items in batches of 25; DynamoDB's own errors (a missing key attribute, a wrong type) name the item. */
export async function seedTable(dynamoDb: DynamoDbCaller, table: string, items: readonly AttributeMap[]): Promise<number> {
  for (let start = 0; start < items.length; start += BATCH_SIZE) {
    const batch = items.slice(start, start + BATCH_SIZE);
    let requests: unknown[] = batch.map((item) => ({ PutRequest: { Item: item } }));
    try {
      while (requests.length) {
        const answer = await dynamoDb.call<{ UnprocessedItems?: Record<string, unknown[]> }>('BatchWriteItem', { RequestItems: { [table]: requests } });
        requests = answer.UnprocessedItems?.[table] ?? [];
      }
    } catch (error) {
      throw new WorkbenchError('DATA_INVALID', `Items ${start} to ${start + batch.length - 1} could not be written to ${table}: ${(error as Error).message}`, { cause: error });
    }
  }
  return items.length;
}

/** Every attribute is one typed value ({"S": ...}, {"N": ...}, ...). */
function isDynamoDbJson(item: Record<string, unknown>): boolean {
  const values = Object.values(item);
  return values.length > 0 && values.every((value) => isRecord(value) && Object.keys(value).length === 1 && ATTRIBUTE_TYPES.has(Object.keys(value)[0]));
}
