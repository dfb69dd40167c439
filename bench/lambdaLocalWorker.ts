// lambda-local 2 measured in its own process (child started by the harness): lambda-local has no Invoke API, so this
// calls its in-process execute() directly. Prints "first" after the first correct result, then (unless --cold) one
// JSON line with the warm latency, the in-process throughput and the process RSS.
// Usage: node lambdaLocalWorker.js <handler.js> <warmup> <sequential> <clients> <concurrent> [--cold]
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { expectedAnswer } from './httpLoad';
import { elapsedMs, median, percentile } from './stats';

interface LambdaLocal {
  execute(options: { event: unknown; lambdaPath: string; lambdaHandler: string; timeoutMs: number; verboseLevel: number }): Promise<unknown>;
}

const [handlerPath, warmupText, sequentialText, clientsText, concurrentText, mode] = process.argv.slice(2);
const benchDir = path.resolve(__dirname, '..', '..', 'bench');
const lambdaLocal = createRequire(path.join(benchDir, 'package.json'))('lambda-local') as LambdaLocal;

async function invoke(n: number): Promise<void> {
  // lambdaPath is how lambda-local is used; it re-requires the module on every call (its require cache is cleared).
  const result = await lambdaLocal.execute({ event: { n }, lambdaPath: handlerPath as string, lambdaHandler: 'handler', timeoutMs: 10_000, verboseLevel: 0 });
  if (JSON.stringify(result) !== expectedAnswer(n)) throw new Error(`lambda-local returned ${JSON.stringify(result)}`);
}

async function main(): Promise<void> {
  await invoke(0);
  process.stdout.write('first\n');
  if (mode === '--cold') return;
  const warmup = Number(warmupText);
  const sequential = Number(sequentialText);
  const clients = Number(clientsText);
  const concurrent = Number(concurrentText);
  for (let i = 0; i < warmup; i++) await invoke(i);
  const samples: number[] = [];
  for (let i = 0; i < sequential; i++) {
    const start = process.hrtime.bigint();
    await invoke(i);
    samples.push(elapsedMs(start));
  }
  let issued = 0;
  const client = async (): Promise<void> => {
    while (issued < concurrent) await invoke(issued++);
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = elapsedMs(start) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      latency: { p50Ms: median(samples), p99Ms: percentile(samples, 0.99), count: sequential },
      throughput: { perSecond: concurrent / seconds, count: concurrent, clients },
      rssMb: process.memoryUsage().rss / (1024 * 1024),
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
