// What a queue or stream poller needs from its owner: invoking the function, writing platform log lines, reporting batches.
import { errorMessage } from '../../common/errors';
import type { LogSink } from '../../logs/logRecord';
import type { InvokeRequest, InvokeResult } from '../invocation';
import type { BatchOutcome } from './batchResponse';

/** The part of LambdaService the pollers use. */
export interface EventSourceService {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  readonly logs: LogSink;
}

/** One batch handed to a function, and what came of it. */
export interface BatchReport {
  mappingId: string;
  functionName: string;
  /** The event the function received. */
  event: { Records: unknown[] };
  /** Undefined when the invoke itself failed (throttled, function could not start). */
  result?: InvokeResult;
  outcome: BatchOutcome;
}

export interface PollerContext {
  region: string;
  accountId: string;
  /** Multiplies batching windows, visibility timeouts, retry delays and record ages. */
  timeScale: number;
  invokeBatch(functionName: string, event: { Records: unknown[] }): Promise<{ result?: InvokeResult; error?: string }>;
  log(functionName: string, text: string): void;
  reportBatch(report: BatchReport): void;
}

/** A PollerContext over the service: invoke errors (throttles, build failures) become `error`, never rejections. */
export function servicePollerContext(
  service: EventSourceService,
  settings: { region: string; accountId: string; timeScale: number },
  reportBatch: (report: BatchReport) => void,
): PollerContext {
  return {
    ...settings,
    async invokeBatch(functionName, event) {
      try {
        return { result: await service.invoke({ functionName, payload: Buffer.from(JSON.stringify(event)) }) };
      } catch (error) {
        return { error: errorMessage(error) };
      }
    },
    log(functionName, text) {
      service.logs.write({ functionName, instanceId: 'event-source-mapping', source: 'platform', text, time: Date.now() });
    },
    reportBatch,
  };
}
