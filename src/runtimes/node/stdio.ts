// process.stdout and process.stderr as the runtime's own lines see them: made on first use, watched from then on, and written around while not made yet; runs inside an instance.
import { writeSync } from 'node:fs';

type StdioName = 'stdout' | 'stderr';

const DESCRIPTORS: Record<StdioName, number> = { stdout: 1, stderr: 2 };
const made = new Map<StdioName, NodeJS.WriteStream>();
const watchers: ((stream: NodeJS.WriteStream) => void)[] = [];
let tracked = false;

function madeNow(name: StdioName, stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (!made.has(name)) {
    made.set(name, stream);
    for (const watch of watchers) watch(stream);
  }
  return stream;
}

/**
 * Learns when Node.js makes process.stdout and process.stderr (its own getters make them on first read). For a pipe, the
 * first one loads node:net and node:stream, which are outside Node.js's startup snapshot and, under Lambda's heap flags,
 * compiled without Node.js's code cache (V8 checks the flags against the cache's): about 8 ms of CPU that an environment
 * whose code writes nothing before its first answer no longer pays. The properties keep their values and attributes.
 */
export function trackStdio(): void {
  if (tracked) return;
  tracked = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    const get = descriptor?.get;
    if (!descriptor || !get || !descriptor.configurable) {
      madeNow(name, process[name]);
      continue;
    }
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: descriptor.enumerable,
      get: () => made.get(name) ?? madeNow(name, get.call(process) as NodeJS.WriteStream),
    });
  }
}

/** Calls `watch` with each of process.stdout and process.stderr once it exists (now, for those already made). */
export function onStdioMade(watch: (stream: NodeJS.WriteStream) => void): void {
  watchers.push(watch);
  for (const stream of made.values()) watch(stream);
}

/**
 * Writes the runtime's own text (flush markers) to stdout or stderr: through the stream once it exists, else straight to
 * the descriptor (nothing can be queued in a stream that does not exist, so the order stays the order of the writes).
 */
export function writeStdio(name: StdioName, text: string): void {
  const stream = made.get(name);
  if (stream === undefined && tracked) {
    try {
      writeSync(DESCRIPTORS[name], text);
      return;
    } catch {
      // Not writable that way (a descriptor made non-blocking by a child process sharing it, and full): the stream queues it.
    }
  }
  process[name].write(text);
}
