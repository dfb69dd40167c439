// {{functionName}}: streams lines as they are produced; `awslambda` is a global the Node.js Lambda runtime provides.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const MAX_CHUNKS = 100;

export async function* lines(count, delayMs) {
  for (let i = 1; i <= count; i++) {
    yield `line ${i} of ${count}\n`;
    if (i < count && delayMs > 0) await sleep(delayMs);
  }
}

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const requested = Number.parseInt(event.queryStringParameters?.count ?? '5', 10);
  const count = Number.isNaN(requested) ? 5 : Math.min(Math.max(requested, 1), MAX_CHUNKS);
  responseStream.setContentType('text/plain; charset=utf-8');
  await pipeline(Readable.from(lines(count, Number(process.env.CHUNK_DELAY_MS ?? 200))), responseStream);
});
