// Renders a function (its $LATEST or a published version) as the Lambda API's FunctionConfiguration and GetFunction response.
import type { CodeDigest } from '../functions/codePackage';
import type { FunctionRecord, VersionRecord } from '../functions/functionRecords';
import { functionArn } from '../service/functionRef';
import type { FunctionSpec } from '../template/functionSpec';

export interface AccountContext {
  region: string;
  accountId: string;
}

/** One version of a function as the API shows it: $LATEST (with its current digest) or a published version. */
export interface FunctionView {
  record: FunctionRecord;
  spec: FunctionSpec;
  version: string;
  digest: CodeDigest;
  published?: VersionRecord;
}

export function functionConfiguration(view: FunctionView, account: AccountContext): Record<string, unknown> {
  const { record, spec, version, published } = view;
  const config: Record<string, unknown> = {
    FunctionName: spec.functionName,
    FunctionArn: functionArn(account.region, account.accountId, spec.functionName, version === '$LATEST' ? undefined : version),
    Role: record.role,
    CodeSize: view.digest.size,
    CodeSha256: view.digest.sha256,
    Description: published?.description ?? record.description,
    Timeout: spec.timeoutSeconds,
    MemorySize: spec.memorySizeMB,
    LastModified: published?.lastModified ?? record.lastModified,
    Version: version,
    Environment: { Variables: spec.environment },
    TracingConfig: { Mode: spec.tracing ?? 'PassThrough' },
    RevisionId: published?.revisionId ?? record.revisionId,
    PackageType: spec.packageType,
    Architectures: [spec.architecture],
    EphemeralStorage: { Size: spec.ephemeralStorageMB },
    LoggingConfig: {
      LogFormat: spec.logging.format,
      LogGroup: spec.logging.logGroup ?? `/aws/lambda/${spec.functionName}`,
      ...(spec.logging.applicationLogLevel ? { ApplicationLogLevel: spec.logging.applicationLogLevel } : {}),
      ...(spec.logging.systemLogLevel ? { SystemLogLevel: spec.logging.systemLogLevel } : {}),
    },
    State: published ? 'Active' : record.state,
    LastUpdateStatus: published ? 'Successful' : record.lastUpdateStatus,
  };
  if (spec.layers.length > 0) config.Layers = spec.layers.map((layer) => ({ Arn: layer.ref, ...(layer.codeSize !== undefined ? { CodeSize: layer.codeSize } : {}) }));
  if (!published && record.stateReason) {
    config.StateReason = record.stateReason;
    config.StateReasonCode = record.stateReasonCode;
  }
  if (spec.deadLetterTarget) config.DeadLetterConfig = { TargetArn: spec.deadLetterTarget };
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

/** GetFunction: the configuration, where the code is (a local directory or an image), tags and reserved concurrency. */
export function getFunctionResponse(view: FunctionView, account: AccountContext, reservedConcurrency: number | undefined): Record<string, unknown> {
  const { spec } = view;
  const code = spec.packageType === 'Image'
    ? { RepositoryType: 'ECR', ImageUri: spec.imageUri, ResolvedImageUri: spec.imageUri }
    : { RepositoryType: 'Local', Location: spec.codeDir };
  const response: Record<string, unknown> = { Configuration: functionConfiguration(view, account), Code: code };
  if (Object.keys(view.record.tags).length > 0) response.Tags = view.record.tags;
  if (reservedConcurrency !== undefined) response.Concurrency = { ReservedConcurrentExecutions: reservedConcurrency };
  return response;
}
