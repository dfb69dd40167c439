// CloudWatch-style log records: what every sink (terminal, output channel, DAP console) receives, line by line.

export type LogSource = 'platform' | 'function';

/**
 * The longest function log line kept (256 KB, a CloudWatch Logs event's size): a longer line is cut there and the rest
 * of it dropped, so a handler that writes without newlines never makes the service hold more than this per stream.
 */
export const LOG_LINE_LIMIT = { maxLineLength: 256 * 1024 };

export interface LogRecord {
  /** Function name as the log group would show it. */
  functionName: string;
  /** The instance (log stream) that produced it. */
  instanceId: string;
  /** Invocation the line belongs to, when known. */
  requestId?: string;
  source: LogSource;
  /** The line exactly as CloudWatch would show it, without the trailing newline. */
  text: string;
  /** Milliseconds since the epoch when the line was produced. */
  time: number;
}

export interface LogSink {
  write(record: LogRecord): void;
}

/** Fans a record out to several sinks. */
export class LogFanout implements LogSink {
  private readonly sinks = new Set<LogSink>();

  add(sink: LogSink): { dispose(): void } {
    this.sinks.add(sink);
    return { dispose: () => void this.sinks.delete(sink) };
  }

  write(record: LogRecord): void {
    for (const sink of this.sinks) sink.write(record);
  }
}
