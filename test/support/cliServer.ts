// The reliability suites' form of startEndpoint, and a loopback proxy that counts what reaches a started endpoint (test process side).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEndpoint, type StartedEndpoint, type StartOptions } from './startedEndpoint';

/** The reliability suites' view of a started endpoint: `apiUrl` and `stderr()`. */
export interface StartedCli extends StartedEndpoint {
  apiUrl: string;
  stderr(): string;
}

/** startEndpoint with the arguments first and the folder among the options. */
export async function startCli(args: string[], options: StartOptions & { cwd: string }): Promise<StartedCli> {
  const endpoint = await startEndpoint(options.cwd, args, options);
  return { ...endpoint, apiUrl: endpoint.url, stderr: () => endpoint.output().stderr };
}

/** A loopback HTTP proxy to `target` that counts the requests it forwards. */
export interface CountingProxy {
  url: string;
  readonly requests: number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () => new Promise((resolveClose) => {
      server.closeAllConnections();
      server.close(() => resolveClose());
    }),
  };
}
