// Benchmark host of the engine (child process started by the harness): LambdaService + Invoke API on 127.0.0.1 with a
// chosen backend, optionally with hot reload on, for what the CLI does not expose (containers, hot reload).
// Usage: node engineHost.js <template> <process|container> <hot-reload:on|off> [image for nodejs20.x]
// Prints "listening <port>" once serving, and "reload ok|failed <ms>" after each hot reload; stops on SIGTERM.
import * as path from 'node:path';
import { startInvokeApi } from '../src/core/api/invokeApi';
import type { Backend } from '../src/core/instances/backend';
import { ContainerBackend } from '../src/core/instances/container/containerBackend';
import { ProcessBackend } from '../src/core/instances/process/processBackend';
import { FunctionRegistry } from '../src/core/service/functionRegistry';
import { LambdaService } from '../src/core/service/lambdaService';
import { HotReloader } from '../src/core/watch/hotReloader';
import { localCodeRoots } from '../src/core/api/lambda/localCodePaths';

const [templatePath, backendKind, hotReload, image] = process.argv.slice(2);

function createBackend(): Backend {
  if (backendKind === 'process') return new ProcessBackend();
  if (backendKind === 'container') return new ContainerBackend(image === undefined ? {} : { images: { 'nodejs20.x': image } });
  throw new Error(`backend must be process or container, not '${backendKind}'`);
}

async function main(): Promise<void> {
  if (templatePath === undefined || (hotReload !== 'on' && hotReload !== 'off')) {
    throw new Error('usage: node engineHost.js <template> <process|container> <on|off> [image]');
  }
  const template = path.resolve(templatePath);
  const stateDir = path.join(path.dirname(template), '.lambda-workbench');
  const registry = await FunctionRegistry.fromTemplates([template]);
  // Log lines go to stderr, as the CLI writes them; the harness drains them.
  const service = new LambdaService(registry, { backend: createBackend(), stateDir, logSink: { write: (record) => void process.stderr.write(`${record.text}\n`) } });
  const reloaders: HotReloader[] = [];
  if (hotReload === 'on') {
    for (const spec of registry.list()) {
      const reloader = await HotReloader.start(service, { functionName: spec.functionName, watchPaths: [spec.codeDir, template], ignoredPaths: [stateDir] });
      reloader.onDidReload((outcome) => process.stdout.write(`reload ${outcome.ok ? 'ok' : 'failed'} ${outcome.durationMs}\n`));
      reloaders.push(reloader);
    }
  }
  const api = await startInvokeApi(service, { port: 0, localCodeRoots: localCodeRoots([path.dirname(template)], stateDir) });
  process.stdout.write(`listening ${api.port}\n`);
  await new Promise<void>((resolve) => process.once('SIGTERM', resolve));
  for (const reloader of reloaders) await reloader.dispose();
  await api.close();
  await service.dispose();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
