// {{functionName}}: handles DynamoDB stream records in order; on the first failure it reports that record's sequence
// number so Lambda retries from there (records after it are retried too, preserving order).
export function unmarshall(value) {
  const [[type, inner]] = Object.entries(value);
  switch (type) {
    case 'S': case 'B': return inner;
    case 'N': return Number(inner);
    case 'BOOL': return inner;
    case 'NULL': return null;
    case 'SS': case 'BS': return [...inner];
    case 'NS': return inner.map(Number);
    case 'L': return inner.map(unmarshall);
    case 'M': return unmarshallImage(inner);
    default: throw new Error(`Unsupported DynamoDB attribute type '${type}'`);
  }
}

export const unmarshallImage = (image) => Object.fromEntries(Object.entries(image ?? {}).map(([name, value]) => [name, unmarshall(value)]));

export function describeChange(record) {
  const keys = unmarshallImage(record.dynamodb.Keys);
  const before = unmarshallImage(record.dynamodb.OldImage);
  const after = unmarshallImage(record.dynamodb.NewImage);
  return { type: record.eventName, keys, before, after };
}

export const handler = async (event) => {
  for (const record of event.Records) {
    try {
      const change = describeChange(record);
      console.log(`${change.type} ${JSON.stringify(change.keys)}`);
    } catch (error) {
      console.error(`Record ${record.dynamodb.SequenceNumber} failed: ${error.message}`);
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb.SequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
};
