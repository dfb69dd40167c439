// Starts bench/engineHost.ts as a child process (bench harness) and gives its Invoke API target.
import * as path from 'node:path';
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
