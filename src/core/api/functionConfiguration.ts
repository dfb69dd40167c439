// Renders a FunctionSpec as the Lambda API's FunctionConfiguration (GetFunction, ListFunctions), as far as a local function has one.
import type { FunctionSpec } from '../template/functionSpec';
import { functionArn } from '../service/functionRef';

export interface AccountContext {
  region: string;
  accountId: string;
  /** Reported as LastModified, in the API's "2019-09-24T18:57:25.838+0000" form. */
  loadedAt: Date;
}

/** `version` other than $LATEST gives the qualified ARN, as GetFunction with a Qualifier does. */
export function functionConfiguration(spec: FunctionSpec, account: AccountContext, version = '$LATEST'): Record<string, unknown> {
  const config: Record<string, unknown> = {
    FunctionName: spec.functionName,
    FunctionArn: functionArn(account.region, account.accountId, spec.functionName, version === '$LATEST' ? undefined : version),
    Role: `arn:aws:iam::${account.accountId}:role/lambda-workbench-local`,
    Timeout: spec.timeoutSeconds,
    MemorySize: spec.memorySizeMB,
    LastModified: account.loadedAt.toISOString().replace('Z', '+0000'),
    Version: version,
    Environment: { Variables: spec.environment },
    TracingConfig: { Mode: spec.tracing ?? 'PassThrough' },
    PackageType: spec.packageType,
    Architectures: [spec.architecture],
    EphemeralStorage: { Size: spec.ephemeralStorageMB },
    LoggingConfig: {
      LogFormat: spec.logging.format,
      LogGroup: spec.logging.logGroup ?? `/aws/lambda/${spec.functionName}`,
      ...(spec.logging.applicationLogLevel ? { ApplicationLogLevel: spec.logging.applicationLogLevel } : {}),
      ...(spec.logging.systemLogLevel ? { SystemLogLevel: spec.logging.systemLogLevel } : {}),
    },
    Layers: spec.layers.map((layer) => ({ Arn: layer.ref })),
    State: 'Active',
    LastUpdateStatus: 'Successful',
  };
  if (spec.runtime !== undefined) config.Runtime = spec.runtime;
  if (spec.handler !== undefined) config.Handler = spec.handler;
  if (spec.imageConfig) {
    config.ImageConfigResponse = {
      ImageConfig: {
        ...(spec.imageConfig.command ? { Command: spec.imageConfig.command } : {}),
        ...(spec.imageConfig.entryPoint ? { EntryPoint: spec.imageConfig.entryPoint } : {}),
        ...(spec.imageConfig.workingDirectory ? { WorkingDirectory: spec.imageConfig.workingDirectory } : {}),
      },
    };
  }
  return config;
}

/** GetFunction: the configuration plus where the code is (a local directory or an image). */
export function getFunctionResponse(spec: FunctionSpec, account: AccountContext, version = '$LATEST'): Record<string, unknown> {
  const code = spec.packageType === 'Image'
    ? { RepositoryType: 'ECR', ImageUri: spec.imageUri }
    : { RepositoryType: 'Local', Location: spec.codeDir };
  const response: Record<string, unknown> = { Configuration: functionConfiguration(spec, account, version), Code: code };
  if (spec.reservedConcurrency !== undefined) {
    response.Concurrency = { ReservedConcurrentExecutions: spec.reservedConcurrency };
  }
  return response;
}
