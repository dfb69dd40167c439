// The platform's own log lines (START, END, REPORT, INIT_REPORT) in Lambda's Text and JSON system log formats.
import type { LogFormat } from '../template/functionSpec';

export interface ReportMetrics {
  durationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  /** Only on the first invocation of an environment. */
  initDurationMs?: number;
  /** Set when the invocation failed in a way the platform itself reports (timeout, crash, out of memory). */
  status?: 'error' | 'timeout';
  errorType?: string;
}

/** Lambda bills in 1 ms steps, rounded up. */
function billedDuration(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

export class PlatformLines {
  constructor(private readonly format: LogFormat) {}

  start(requestId: string, version: string): string {
    if (this.format === 'JSON') {
      return json('platform.start', { requestId, version });
    }
    return `START RequestId: ${requestId} Version: ${version}`;
  }

  end(requestId: string, status: 'success' | 'error' | 'timeout' = 'success', errorType?: string): string {
    if (this.format === 'JSON') {
      return json('platform.runtimeDone', { requestId, status, ...(errorType ? { errorType } : {}) });
    }
    return `END RequestId: ${requestId}`;
  }

  /** AWS order: Duration, Billed Duration, Memory Size, Max Memory Used, Init Duration, with a trailing tab. */
  report(requestId: string, m: ReportMetrics): string {
    if (this.format === 'JSON') {
      const metrics: Record<string, number> = {
        durationMs: round2(m.durationMs),
        billedDurationMs: billedDuration(m.durationMs),
        memorySizeMB: m.memorySizeMB,
        maxMemoryUsedMB: m.maxMemoryUsedMB,
      };
      if (m.initDurationMs !== undefined) metrics.initDurationMs = round2(m.initDurationMs);
      return json('platform.report', {
        requestId,
        metrics,
        status: m.status ?? 'success',
        ...(m.errorType ? { errorType: m.errorType } : {}),
      });
    }
    let line =
      `REPORT RequestId: ${requestId}\tDuration: ${m.durationMs.toFixed(2)} ms\tBilled Duration: ${billedDuration(m.durationMs)} ms` +
      `\tMemory Size: ${m.memorySizeMB} MB\tMax Memory Used: ${m.maxMemoryUsedMB} MB\t`;
    if (m.initDurationMs !== undefined) line += `Init Duration: ${m.initDurationMs.toFixed(2)} ms\t`;
    if (m.status) line += `Status: ${m.status}\t`;
    if (m.errorType) line += `Error Type: ${m.errorType}\t`;
    return line;
  }

  initReport(durationMs: number, phase: 'init' | 'invoke', status: 'error' | 'timeout', errorType?: string): string {
    if (this.format === 'JSON') {
      return json('platform.initReport', {
        initializationType: 'on-demand',
        phase,
        status,
        ...(errorType ? { errorType } : {}),
        metrics: { durationMs: round2(durationMs) },
      });
    }
    return `INIT_REPORT Init Duration: ${durationMs.toFixed(2)} ms\tPhase: ${phase}\tStatus: ${status}${errorType ? `\tError Type: ${errorType}` : ''}`;
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function json(type: string, record: Record<string, unknown>): string {
  return JSON.stringify({ time: new Date().toISOString(), type, record });
}
