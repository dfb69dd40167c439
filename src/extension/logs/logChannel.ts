// The "Lambda Workbench" log output channel: every CloudWatch-style line of every invocation, written as it happens.
import * as vscode from 'vscode';
import type { LogRecord, LogSink } from '../../core/logs/logRecord';

export const LOG_CHANNEL_NAME = 'Lambda Workbench';

/** Lambda's text-format application log levels, as they appear between tabs in a function's line. */
const LEVEL_IN_LINE = /\t(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\t/;
/** Lambda's JSON-format application log lines carry "level". */
const LEVEL_IN_JSON = /"level"\s*:\s*"(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)"/;

export class LogChannel implements LogSink, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });

  /** Each line is prefixed with its function name, which also lets stack-trace links find the function. */
  write(record: LogRecord): void {
    const line = `[${record.functionName}] ${record.text}`;
    switch (levelOf(record)) {
      case 'ERROR':
      case 'FATAL':
        this.channel.error(line);
        break;
      case 'WARN':
        this.channel.warn(line);
        break;
      default:
        this.channel.info(line);
    }
  }

  /** Extension messages (reload results, endpoint URLs) go to the same channel. */
  note(message: string): void {
    this.channel.info(message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function levelOf(record: LogRecord): string | undefined {
  if (record.source === 'platform') return undefined;
  return (LEVEL_IN_LINE.exec(record.text) ?? LEVEL_IN_JSON.exec(record.text))?.[1];
}
