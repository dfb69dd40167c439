// {{functionName}}: nightly ETL. Extract raw/<day>/*.jsonl from S3, aggregate sales per customer, load reports/<day>.json.
const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day (YYYY-MM-DD) before the moment the schedule fired. */
export function previousUtcDay(firedAt) {
  const time = new Date(firedAt);
  if (Number.isNaN(time.getTime())) throw new Error(`Invalid schedule time '${firedAt}'`);
  return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()) - DAY_MS).toISOString().slice(0, 10);
}

/** Aggregates JSON-lines sales per customer; malformed lines are counted in `rejected`. */
export function transform(lines) {
  const customers = new Map();
  let rejected = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let sale;
    try {
      sale = JSON.parse(line);
    } catch {
      rejected++;
      continue;
    }
    if (typeof sale?.customerId !== 'string' || typeof sale.amount !== 'number') {
      rejected++;
      continue;
    }
    const totals = customers.get(sale.customerId) ?? { customerId: sale.customerId, orders: 0, total: 0 };
    totals.orders += 1;
    totals.total = Math.round((totals.total + sale.amount) * 100) / 100;
    customers.set(sale.customerId, totals);
  }
  return { customers: [...customers.values()].sort((a, b) => b.total - a.total), rejected };
}

/** S3 storage through the AWS SDK that the Lambda Node.js runtime includes. */
function s3Storage(bucket) {
  let clientPromise;
  const s3 = () => (clientPromise ??= import('@aws-sdk/client-s3').then((sdk) => ({ sdk, client: new sdk.S3Client({}) })));
  return {
    async list(prefix) {
      const { sdk, client } = await s3();
      const keys = [];
      let ContinuationToken;
      do {
        const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key));
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
      return keys;
    },
    async read(key) {
      const { sdk, client } = await s3();
      return (await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }))).Body.transformToString();
    },
    async write(key, text) {
      const { sdk, client } = await s3();
      await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json' }));
    },
  };
}

/** The job, with its storage passed in so tests run against memory instead of S3. */
export function createHandler(storage) {
  return async (event) => {
    const day = previousUtcDay(event.time);
    const keys = (await storage.list(`raw/${day}/`)).filter((key) => key.endsWith('.jsonl'));
    const lines = [];
    for (const key of keys) lines.push(...(await storage.read(key)).split('\n'));
    const report = transform(lines);
    await storage.write(`reports/${day}.json`, JSON.stringify({ day, inputs: keys.length, ...report }, null, 2));
    console.log(`Report for ${day}: ${keys.length} file(s), ${report.customers.length} customer(s), ${report.rejected} rejected line(s)`);
    return { day, inputs: keys.length, customers: report.customers.length, rejected: report.rejected };
  };
}

export const handler = createHandler(s3Storage(process.env.DATA_BUCKET));
