// Reads a function's triggers and delivery settings: Events, FunctionUrlConfig, EventInvokeConfig, DLQ, logging, tracing.
import type { EventInvokeConfigSpec, EventSourceSpec, FunctionSpec, FunctionUrlSpec, LogFormat } from './functionSpec';
import type { PropertyReader } from './propertyReader';
import { isRecord } from './templateDocument';

export function readEvents(reader: PropertyReader): EventSourceSpec[] {
  const events = reader.plain('Events');
  if (events === undefined) return [];
  if (!isRecord(events)) return reader.fail('Events', `Events of ${reader.logicalId} must be a mapping of event names to events.`);
  return Object.entries(events).map(([id, event]) => {
    if (!isRecord(event) || typeof event.Type !== 'string') {
      return reader.fail(['Events', id], `Event '${id}' of ${reader.logicalId} needs a Type (e.g. Api, SQS, Schedule).`);
    }
    return { id, type: event.Type, properties: isRecord(event.Properties) ? event.Properties : {} };
  });
}

export function readLogging(reader: PropertyReader): FunctionSpec['logging'] {
  const format = reader.text(['LoggingConfig', 'LogFormat']) ?? 'Text';
  if (format !== 'Text' && format !== 'JSON') {
    return reader.fail(['LoggingConfig', 'LogFormat'], `LoggingConfig.LogFormat of ${reader.logicalId} must be Text or JSON, got '${format}'.`);
  }
  const applicationLogLevel = reader.text(['LoggingConfig', 'ApplicationLogLevel']);
  const systemLogLevel = reader.text(['LoggingConfig', 'SystemLogLevel']);
  const logGroup = reader.text(['LoggingConfig', 'LogGroup']);
  return {
    format: format as LogFormat,
    ...(applicationLogLevel ? { applicationLogLevel } : {}),
    ...(systemLogLevel ? { systemLogLevel } : {}),
    ...(logGroup ? { logGroup } : {}),
  };
}

export function readFunctionUrl(reader: PropertyReader): FunctionUrlSpec | undefined {
  if (reader.get('FunctionUrlConfig') === undefined) return undefined;
  const authType = reader.text(['FunctionUrlConfig', 'AuthType']) ?? 'NONE';
  const invokeMode = reader.text(['FunctionUrlConfig', 'InvokeMode']) ?? 'BUFFERED';
  if (authType !== 'NONE' && authType !== 'AWS_IAM') {
    return reader.fail(['FunctionUrlConfig', 'AuthType'], `FunctionUrlConfig.AuthType of ${reader.logicalId} must be NONE or AWS_IAM, got '${authType}'.`);
  }
  if (invokeMode !== 'BUFFERED' && invokeMode !== 'RESPONSE_STREAM') {
    return reader.fail(['FunctionUrlConfig', 'InvokeMode'], `FunctionUrlConfig.InvokeMode of ${reader.logicalId} must be BUFFERED or RESPONSE_STREAM, got '${invokeMode}'.`);
  }
  const cors = reader.plain(['FunctionUrlConfig', 'Cors']);
  return { authType, invokeMode, ...(isRecord(cors) ? { cors } : {}) };
}

/** EventInvokeConfig as SAM writes it, and as AWS::Lambda::EventInvokeConfig resources write it (same keys). */
export function readEventInvokeConfig(reader: PropertyReader, base: readonly string[] = ['EventInvokeConfig']): EventInvokeConfigSpec | undefined {
  if (base.length > 0 && reader.get([...base]) === undefined) return undefined;
  const destination = (kind: 'OnSuccess' | 'OnFailure'): string | undefined => {
    const path = [...base, 'DestinationConfig', kind];
    const target = reader.text([...path, 'Destination']);
    if (!target && reader.get(path) !== undefined) {
      reader.warn(`${path.join('.')} of ${reader.logicalId} has no Destination that resolves locally; it is ignored.`);
    }
    return target;
  };
  const maximumRetryAttempts = reader.integer([...base, 'MaximumRetryAttempts']);
  const maximumEventAgeInSeconds = reader.integer([...base, 'MaximumEventAgeInSeconds']);
  if (maximumRetryAttempts !== undefined && (maximumRetryAttempts < 0 || maximumRetryAttempts > 2)) {
    reader.fail([...base, 'MaximumRetryAttempts'], `MaximumRetryAttempts of ${reader.logicalId} is ${maximumRetryAttempts}, but Lambda allows 0 to 2.`);
  }
  if (maximumEventAgeInSeconds !== undefined && (maximumEventAgeInSeconds < 60 || maximumEventAgeInSeconds > 21600)) {
    reader.fail([...base, 'MaximumEventAgeInSeconds'], `MaximumEventAgeInSeconds of ${reader.logicalId} is ${maximumEventAgeInSeconds}, but Lambda allows 60 to 21600.`);
  }
  const onSuccess = destination('OnSuccess');
  const onFailure = destination('OnFailure');
  return {
    ...(maximumRetryAttempts !== undefined ? { maximumRetryAttempts } : {}),
    ...(maximumEventAgeInSeconds !== undefined ? { maximumEventAgeInSeconds } : {}),
    ...(onSuccess ? { onSuccess } : {}),
    ...(onFailure ? { onFailure } : {}),
  };
}

export function readDeadLetterTarget(reader: PropertyReader, isSam: boolean): string | undefined {
  return isSam ? reader.text(['DeadLetterQueue', 'TargetArn']) : reader.text(['DeadLetterConfig', 'TargetArn']);
}

export function readTracing(reader: PropertyReader, isSam: boolean): FunctionSpec['tracing'] {
  const path = isSam ? ['Tracing'] : ['TracingConfig', 'Mode'];
  const mode = reader.text(path);
  if (mode === undefined || mode === 'Disabled') return undefined;
  if (mode !== 'Active' && mode !== 'PassThrough') return reader.fail(path, `${path.join('.')} of ${reader.logicalId} must be Active or PassThrough, got '${mode}'.`);
  return mode;
}
