// Builds the engine for one CLI run (backend + LambdaService writing every log line to stderr) and guarantees its disposal.
import type { Writable } from 'node:stream';
import { createBackend } from '../core/instances/backendFactory';
import { BACKEND_CHOICES, type BackendChoice } from '../shared/launchConfig';
import { LambdaService, type ServiceOptions } from '../core/service/lambdaService';
import type { FlagSpec, ParsedArgs } from './argParser';
import { readEnvVarsFile } from './envVarsFile';
import type { FunctionSource } from './functionSource';

export const BACKEND_FLAG: FlagSpec = {
  name: 'backend',
  kind: 'string',
  description:
    'Where handlers run: local processes (default, no Docker needed), containers (Docker engine), or auto ' +
    '(containers for images and runtimes this host cannot run, processes for the rest).',
  choices: [...BACKEND_CHOICES],
};

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
    backend: createBackend({ choice: (args.strings.get('backend') ?? 'process') as BackendChoice }),
    stateDir: source.stateDir,
    logSink: { write: (record) => void logs.write(`${record.text}\n`) },
  };
  if (environmentOverrides !== undefined) options.environmentOverrides = environmentOverrides;
  if (logFormat !== undefined) options.logFormat = logFormat === 'json' ? 'JSON' : 'Text';
  const service = new LambdaService(source.registry, options);
  try {
    return await body(service);
  } finally {
    await service.dispose();
  }
}
