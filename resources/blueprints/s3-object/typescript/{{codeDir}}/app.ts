// {{functionName}}: handles S3 "object created" notifications; object keys arrive URL-encoded, with '+' for spaces.

/** The parts of an S3 event notification record this handler reads. */
export interface S3EventRecord {
  eventName: string;
  s3: {
    bucket: { name: string };
    object: { key: string; size?: number };
  };
}

export interface S3Event {
  Records: S3EventRecord[];
}

export interface ProcessedObject {
  bucket: string;
  key: string;
  size: number;
  eventName: string;
}

export const decodeKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

export const handler = async (event: S3Event): Promise<{ processed: ProcessedObject[] }> => {
  if (!Array.isArray(event?.Records)) throw new Error('Expected an S3 event notification with a Records array');
  const processed: ProcessedObject[] = [];
  for (const record of event.Records) {
    const key = decodeKey(record.s3.object.key);
    if (key.endsWith('/')) continue; // folder placeholder objects carry no data
    const object = { bucket: record.s3.bucket.name, key, size: record.s3.object.size ?? 0, eventName: record.eventName };
    console.log(`New object s3://${object.bucket}/${object.key} (${object.size} bytes)`);
    processed.push(object);
  }
  return { processed };
};
