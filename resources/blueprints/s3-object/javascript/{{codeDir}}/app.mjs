// {{functionName}}: handles S3 "object created" notifications; object keys arrive URL-encoded, with '+' for spaces.
export const decodeKey = (key) => decodeURIComponent(key.replace(/\+/g, ' '));

export const handler = async (event) => {
  if (!Array.isArray(event?.Records)) throw new Error('Expected an S3 event notification with a Records array');
  const processed = [];
  for (const record of event.Records) {
    const key = decodeKey(record.s3.object.key);
    if (key.endsWith('/')) continue; // folder placeholder objects carry no data
    const object = { bucket: record.s3.bucket.name, key, size: record.s3.object.size ?? 0, eventName: record.eventName };
    console.log(`New object s3://${object.bucket}/${object.key} (${object.size} bytes)`);
    processed.push(object);
  }
  return { processed };
};
