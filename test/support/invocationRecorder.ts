// A loopback HTTP server that handlers report to (POST /<kind>/<id>), so a test counts what ran where the runtimes cannot write files.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorder {
  url: string;
  /** How many reports of this kind arrived. */
  count(kind: string): number;
  /** The ids reported with this kind, once each, in arrival order. */
  ids(kind: string): string[];
  /** How many times `ran` was reported for this id. */
  runs(id: string): number;
  close(): Promise<void>;
}

/** Answers each report with how many of its kind and id arrived so far (a handler learns which attempt it is). */
export async function startRecorder(): Promise<Recorder> {
  const reports = new Map<string, Map<string, number>>();
  const server = createServer((req, res) => {
    const match = /^\/([a-z]+)\/([^/]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end();
      return;
    }
    const kind = match[1] as string;
    const id = decodeURIComponent(match[2] as string);
    const ofKind = reports.get(kind) ?? new Map<string, number>();
    reports.set(kind, ofKind);
    const seen = (ofKind.get(id) ?? 0) + 1;
    ofKind.set(id, seen);
    req.resume();
    req.on('end', () => res.end(String(seen)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: (kind) => [...(reports.get(kind)?.values() ?? [])].reduce((sum, n) => sum + n, 0),
    ids: (kind) => [...(reports.get(kind)?.keys() ?? [])],
    runs: (id) => reports.get('ran')?.get(id) ?? 0,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
