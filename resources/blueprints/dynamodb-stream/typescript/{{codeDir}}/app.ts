// {{functionName}}: handles DynamoDB stream records in order; on the first failure it reports that record's sequence
// number so Lambda retries from there (records after it are retried too, preserving order).

/** A DynamoDB attribute value in the stream's typed JSON form, e.g. { "S": "text" } or { "N": "42" }. */
export type AttributeValue = Record<string, unknown>;
export type Image = Record<string, AttributeValue>;

/** The parts of a DynamoDB stream record this handler reads. */
export interface StreamRecord {
  eventName: string;
  dynamodb: { Keys: Image; NewImage?: Image; OldImage?: Image; SequenceNumber: string };
}

export interface StreamEvent {
  Records: StreamRecord[];
}

export interface Change {
  type: string;
  keys: Record<string, unknown>;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export function unmarshall(value: AttributeValue): unknown {
  const [[type, inner]] = Object.entries(value);
  switch (type) {
    case 'S': case 'B': case 'BOOL': return inner;
    case 'N': return Number(inner);
    case 'NULL': return null;
    case 'SS': case 'BS': return [...(inner as string[])];
    case 'NS': return (inner as string[]).map(Number);
    case 'L': return (inner as AttributeValue[]).map(unmarshall);
    case 'M': return unmarshallImage(inner as Image);
    default: throw new Error(`Unsupported DynamoDB attribute type '${type}'`);
  }
}

export const unmarshallImage = (image: Image | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(image ?? {}).map(([name, value]) => [name, unmarshall(value)]));

export function describeChange(record: StreamRecord): Change {
  return {
    type: record.eventName,
    keys: unmarshallImage(record.dynamodb.Keys),
    before: unmarshallImage(record.dynamodb.OldImage),
    after: unmarshallImage(record.dynamodb.NewImage),
  };
}

export const handler = async (event: StreamEvent): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  for (const record of event.Records) {
    try {
      const change = describeChange(record);
      console.log(`${change.type} ${JSON.stringify(change.keys)}`);
    } catch (error) {
      console.error(`Record ${record.dynamodb.SequenceNumber} failed: ${(error as Error).message}`);
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb.SequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
};
