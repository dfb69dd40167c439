// Builds the engine for one CLI run (backend + LambdaService writing every log line to stderr) and guarantees its disposal.
import type { Writable } from 'node:stream';
import type { Backend } from '../core/instances/backend';
import { ContainerBackend } from '../core/instances/container/containerBackend';
import { ProcessBackend } from '../core/instances/process/processBackend';
import { LambdaService, type ServiceOptions } from '../core/service/lambdaService';
import type { FlagSpec, ParsedArgs } from './argParser';
import { readEnvVarsFile } from './envVarsFile';
import type { FunctionSource } from './functionSource';
import { parseTimeScale } from './timeScale';

export const BACKEND_FLAG: FlagSpec = {
  name: 'backend',
  kind: 'string',
  description: 'Where handlers run: local processes (default, no Docker needed) or containers (Docker engine).',
  choices: ['process', 'container'],
};

/** The backend --backend names (checked against BACKEND_FLAG.choices by the parser). */
function createBackend(kind: string): Backend {
  return kind === 'container' ? new ContainerBackend() : new ProcessBackend();
}

/** Runs `body` with a service whose CloudWatch lines stream to `logs`; the service and its instances are always stopped. */
export async function withService<T>(
  source: FunctionSource,
  args: ParsedArgs,
  logs: Writable,
  body: (service: LambdaService) => Promise<T>,
): Promise<T> {
  const envVarsFile = args.strings.get('env-vars');
  const environmentOverrides = envVarsFile === undefined ? undefined : await readEnvVarsFile(envVarsFile);
  const logFormat = args.strings.get('log-format');
  const options: ServiceOptions = {
    backend: createBackend(args.strings.get('backend') ?? 'process'),
    stateDir: source.stateDir,
    logSink: { write: (record) => void logs.write(`${record.text}\n`) },
  };
  if (environmentOverrides !== undefined) options.environmentOverrides = environmentOverrides;
  if (logFormat !== undefined) options.logFormat = logFormat === 'json' ? 'JSON' : 'Text';
  const timeScale = parseTimeScale('', args);
  if (timeScale !== undefined) options.timeScale = timeScale;
  const service = new LambdaService(source.registry, options);
  try {
    return await body(service);
  } finally {
    await service.dispose();
  }
}
