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

export async function startEngineHost(options: EngineHostOptions): Promise<{ host: ServedProcess; target: Target }> {
  const args = [path.join(__dirname, 'engineHost.js'), options.template, options.backend, options.hotReload ? 'on' : 'off'];
  if (options.image !== undefined) args.push(options.image);
  const host = new ServedProcess(`engine host (${options.backend}${options.hotReload ? ', hot reload' : ''})`, {
    command: process.execPath,
    args,
    cwd: path.dirname(options.template),
  });
  try {
    const match = await host.nextLine(/^listening (\d+)$/);
    return { host, target: { port: Number(match[1]), path: INVOKE_PATH } };
  } catch (error) {
    await host.stop();
    throw error;
  }
}

/**
 * `node dist/cli.js start --backend <backend>` on a template, as a user runs it (the shipped bundle, its code cache):
 * resolves once start has printed its summary, i.e. every local service is up. The container backend uses the image
 * `images build` made (lambda-workbench/runtime:<runtime>) when the official base image is absent.
 */
export async function startCliService(template: string, backend: BenchBackend): Promise<{ host: ServedProcess; target: Target }> {
  const host = new ServedProcess(`lambda-workbench start --backend ${backend}`, {
    command: process.execPath,
    args: [CLI_PATH, 'start', '--backend', backend, '--template', template, '--port', '0', '--api-port', '0'],
    cwd: path.dirname(template),
  });
  try {
    const match = await host.nextLine(/^Invoke API listening on http:\/\/127\.0\.0\.1:(\d+)$/);
    return { host, target: { port: Number(match[1]), path: INVOKE_PATH } };
  } catch (error) {
    await host.stop();
    throw error;
  }
}
