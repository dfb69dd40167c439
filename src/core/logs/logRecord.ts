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
  /**
   * A sink that holds records back (a terminal written once per event-loop turn): resolves once every record given so
   * far is out; undefined when none is held. The service awaits it before it answers an invocation (END and REPORT
   * come before the response).
   */
  written?(): Promise<void> | undefined;
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

  written(): Promise<void> | undefined {
    let pending: Promise<void>[] | undefined;
    for (const sink of this.sinks) {
      const written = sink.written?.();
      if (written) (pending ??= []).push(written);
    }
    if (pending === undefined) return undefined;
    return pending.length === 1 ? pending[0] : Promise.all(pending).then(() => undefined);
  }
}
