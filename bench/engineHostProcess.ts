// Starts a service under measurement as a child process (bench harness): `lambda-workbench start` with a chosen backend,
// or bench/engineHost.ts for what the CLI does not expose (hot reload's timings); gives its Invoke API target.
import * as path from 'node:path';
import { CLI_PATH } from './benchPaths';
import { INVOKE_PATH, type Target } from './httpLoad';
import { ServedProcess } from './servedProcess';

export type BenchBackend = 'process' | 'container';

export interface EngineHostOptions {
  template: string;
  backend: BenchBackend;
  hotReload: boolean;
  image?: string;
}

export function startEngineHost(options: EngineHostOptions): Promise<{ host: ServedProcess; target: Target }> {
  const args = [path.join(__dirname, 'engineHost.js'), options.template, options.backend, options.hotReload ? 'on' : 'off'];
  if (options.image !== undefined) args.push(options.image);
  return startServing(`engine host (${options.backend}${options.hotReload ? ', hot reload' : ''})`, args, options.template, /^listening (\d+)$/);
}

/**
 * `node dist/cli.js start --backend <backend>` on a template, as a user runs it (the shipped bundle, its code cache):
 * resolves once start has printed its summary, i.e. every local service is up. The container backend uses the image
 * `images build` made (lambda-workbench/runtime:<runtime>) when the official base image is absent.
 */
export function startCliService(template: string, backend: BenchBackend): Promise<{ host: ServedProcess; target: Target }> {
  const args = [CLI_PATH, 'start', '--backend', backend, '--template', template, '--port', '0', '--api-port', '0'];
  return startServing(`lambda-workbench start --backend ${backend}`, args, template, /^Invoke API listening on http:\/\/127\.0\.0\.1:(\d+)$/);
}

/** Runs node with `args` beside the template until it prints the line `listening` (its port in group 1); stops it if it never does. */
async function startServing(label: string, args: string[], template: string, listening: RegExp): Promise<{ host: ServedProcess; target: Target }> {
  const host = new ServedProcess(label, { command: process.execPath, args, cwd: path.dirname(template) });
  try {
    const match = await host.nextLine(listening);
    return { host, target: { port: Number(match[1]), path: INVOKE_PATH } };
  } catch (error) {
    await host.stop();
    throw error;
  }
}
