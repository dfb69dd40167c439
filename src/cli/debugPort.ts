// `--debug-port N`: new environments wait for any inspector client on 127.0.0.1 (node --inspect-wait, debugpy wait_for_client).
import { createServer } from 'node:http';
import type { Writable } from 'node:stream';
import { closeServer, listenLoopback } from '../core/api/httpServer';
import type { LambdaService } from '../core/service/lambdaService';
import type { FunctionSpec } from '../core/template/functionSpec';
import { usage, type FlagSpec, type ParsedArgs } from './argParser';

export const DEBUG_PORT_FLAG: FlagSpec = {
  name: 'debug-port',
  kind: 'string',
  valueName: 'n',
  description:
    'Debug on 127.0.0.1: each new environment waits for an inspector client (Node.js inspector, Python debugpy) before running. ' +
    'With several functions, the Nth function uses port n+N-1. Timeouts are Lambda\'s maximum (900 s) while debugging.',
};

/** Lambda's largest timeout: a person stepping through code is not a hung handler. */
const DEBUG_TIMEOUT_SECONDS = 900;

/** The port of --debug-port, or undefined when it is not given. */
export function parseDebugPort(command: string, args: ParsedArgs, functionCount: number): number | undefined {
  const value = args.strings.get(DEBUG_PORT_FLAG.name);
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1024 || port + functionCount - 1 > 65535) {
    throw usage(command, `--debug-port must be a port from 1024 to ${65536 - functionCount}, not '${value}'.`);
  }
  return port;
}

/** Fails, naming the port, when another program listens on it: the function would wait for a debugger that cannot come. */
async function requireFree(port: number): Promise<void> {
  const probe = createServer();
  await listenLoopback(probe, port, '127.0.0.1', 'Stop the program that uses it or choose another --debug-port.');
  await closeServer(probe);
}

/** Puts `functions` in debug mode on consecutive ports from `port` and says where each one waits. */
export async function enableDebugPorts(service: LambdaService, functions: FunctionSpec[], port: number, messages: Writable): Promise<void> {
  for (const index of functions.keys()) await requireFree(port + index);
  for (const [index, spec] of functions.entries()) {
    await service.setDebug(spec.functionName, { port: port + index, breakOnStart: false, timeoutSeconds: DEBUG_TIMEOUT_SECONDS });
  }
  service.onDidStartInstance(({ info }) => {
    if (info.debugPort === undefined) return;
    messages.write(`${info.functionName}: waiting for a debugger on 127.0.0.1:${info.debugPort} (attach VS Code, Chrome DevTools, 'node inspect' or a debugpy client).\n`);
  });
}
