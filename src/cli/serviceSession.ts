// Builds the engine for one CLI run (backend + LambdaService writing every log line to stderr) and guarantees its disposal.
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { WorkbenchError } from '../core/common/errors';
import { createBackend } from '../core/instances/backendFactory';
import { BACKEND_CHOICES, type BackendChoice } from '../shared/launchConfig';
import type { LogSink } from '../core/logs/logRecord';
import { LambdaService, type ServiceOptions } from '../core/service/lambdaService';
import type { FlagSpec, ParsedArgs } from './argParser';
import { BatchedWrites } from './batchedWrites';
import { readEnvVarsFile } from './envVarsFile';
import type { FunctionSource } from './functionSource';
import { parseTimeScale } from './timeScale';

export const BACKEND_FLAG: FlagSpec = {
  name: 'backend',
  kind: 'string',
  description:
    'Where handlers run: local processes (default, no Docker needed), containers (Docker engine), or auto ' +
    '(containers for images and runtimes this host cannot run, processes for the rest).',
  choices: [...BACKEND_CHOICES],
};

export const INTERPRETER_FLAG: FlagSpec = {
  name: 'interpreter',
  kind: 'list',
  valueName: 'runtime=path',
  description: 'Interpreter of a runtime for local processes, e.g. nodejs22.x=/opt/node22/bin/node (default: PATH, nvm, fnm, volta, asdf, pyenv, uv).',
};

function interpreterMap(pairs: string[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new WorkbenchError('USAGE', `--interpreter expects runtime=path, not '${pair}'.`, { hint: 'e.g. --interpreter python3.12=/usr/bin/python3.12' });
    map[pair.slice(0, eq)] = resolve(pair.slice(eq + 1));
  }
  return map;
}

/**
 * Runs `body` with a service whose CloudWatch lines stream to `logs` (or to `logSink` when given; warnings still go to
 * `logs`); the service and its instances are always stopped.
 */
export async function withService<T>(
  source: FunctionSource,
  args: ParsedArgs,
  logs: Writable,
  body: (service: LambdaService) => Promise<T>,
  logSink?: LogSink,
): Promise<T> {
  const batched = new BatchedWrites(logs);
  const envVarsFile = args.strings.get('env-vars');
  const environmentOverrides = envVarsFile === undefined ? undefined : await readEnvVarsFile(envVarsFile);
  const logFormat = args.strings.get('log-format');
  const options: ServiceOptions = {
    backend: createBackend({ choice: (args.strings.get('backend') ?? 'process') as BackendChoice, interpreters: interpreterMap(args.lists.get('interpreter')) }),
    stateDir: source.stateDir,
    // An invocation's lines leave once per event-loop turn (the service awaits written() before it answers), its START,
    // END and REPORT with the next of them that flushes (HOLD_MS at most); a platform line of no invocation (INIT_START,
    // INIT_REPORT) at once.
    logSink: logSink ?? {
      write: (record) => {
        if (record.source === 'function') batched.line(record.text);
        else if (record.requestId !== undefined) batched.heldLine(record.text);
        else batched.line(record.text, true);
      },
      written: () => batched.written(),
    },
  };
  if (environmentOverrides !== undefined) options.environmentOverrides = environmentOverrides;
  if (logFormat !== undefined) options.logFormat = logFormat === 'json' ? 'JSON' : 'Text';
  const timeScale = parseTimeScale('', args);
  if (timeScale !== undefined) options.timeScale = timeScale;
  const service = new LambdaService(source.registry, options);
  for (const warning of source.registry.warnings) logs.write(`Warning: ${warning}\n`);
  const warnings = service.onDidWarn((message) => void logs.write(`Warning: ${message}\n`));
  try {
    return await body(service);
  } finally {
    warnings.dispose();
    await service.dispose();
    batched.flush();
  }
}
