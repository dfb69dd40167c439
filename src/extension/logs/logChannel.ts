// The "Lambda Workbench" log output channel: every CloudWatch-style line of every invocation, written as it happens.
import * as vscode from 'vscode';
import type { LogRecord, LogSink } from '../../core/logs/logRecord';
import { readableLines } from '../../core/logs/readableErrors';

export const LOG_CHANNEL_NAME = 'Lambda Workbench';

/** Lambda's text-format application log levels, as they appear between tabs in a function's line. */
const LEVEL_IN_LINE = /\t(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\t/;
/** Lambda's JSON-format application log lines carry "level". */
const LEVEL_IN_JSON = /"level"\s*:\s*"(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)"/;

export class LogChannel implements LogSink, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });

  /**
   * Each line is prefixed with its function name, which also lets stack-trace links find the function. An error record
   * is shown as its type and message, then one stack frame a line.
   */
  write(record: LogRecord): void {
    const log = this.writerFor(levelOf(record));
    for (const line of readableLines(record.text)) log(`[${record.functionName}] ${line}`);
  }

  /** Extension messages (reload results, endpoint URLs) go to the same channel. */
  note(message: string): void {
    this.channel.info(message);
  }

  private writerFor(level: string | undefined): (line: string) => void {
    switch (level) {
      case 'ERROR':
      case 'FATAL':
        return (line) => this.channel.error(line);
      case 'WARN':
        return (line) => this.channel.warn(line);
      default:
        return (line) => this.channel.info(line);
    }
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
