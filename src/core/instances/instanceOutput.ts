// An environment's output: runtime lines and platform lines to log records, flush markers, and the wait for a complete output.
import { FLUSH_MARKER } from '../../shared/runtimeProtocol';
import type { LogRecord } from '../logs/logRecord';

/** How long to wait for a runtime's flush marker before ending the invocation anyway. */
const FLUSH_MARKER_WAIT_MS = 1_000;
/** For runtimes without flush markers: the output is complete after this long without a line. */
const QUIET_PERIOD_MS = 15;
const QUIET_PERIOD_MAX_MS = 150;

/** Whoever a line belongs to: an invocation (its id and its own log listener), or none (init, between invocations). */
export interface LogOwner {
  requestId: string;
  onLog?(record: LogRecord): void;
}

interface Current extends LogOwner {
  flushed: { stdout: boolean; stderr: boolean };
  onFlushed?: () => void;
  lastOutputAt: number;
}

export class InstanceOutput {
  private current?: Current;
  private exhausted = false;

  constructor(
    private readonly functionName: string,
    private readonly instanceId: string,
    /** Every log record of this environment, as it is produced. */
    private readonly sink: (record: LogRecord) => void,
  ) {}

  /** True while an invocation owns the output (between begin and end). */
  get invoking(): boolean {
    return this.current !== undefined;
  }

  /** The runtime wrote Node's "JavaScript heap out of memory" since the last launch. */
  get heapExhausted(): boolean {
    return this.exhausted;
  }

  /** A new runtime was launched. */
  resetRuntime(): void {
    this.exhausted = false;
  }

  /** The invocation's lines go to its own listener too, and its flush markers are awaited. */
  begin(owner: LogOwner): void {
    // Spelled out rather than spread: one object shape for every invocation (this runs for each of them).
    this.current = { requestId: owner.requestId, onLog: owner.onLog, flushed: { stdout: false, stderr: false }, onFlushed: undefined, lastOutputAt: performance.now() };
  }

  end(): void {
    this.current = undefined;
  }

  /** One line the runtime wrote; flush markers are taken out (text before a marker is kept). */
  line(stream: 'stdout' | 'stderr', line: string): void {
    const current = this.current;
    const markerAt = line.indexOf(FLUSH_MARKER);
    if (markerAt !== -1) {
      if (markerAt > 0) this.functionLine(line.slice(0, markerAt));
      if (current && line.slice(markerAt + FLUSH_MARKER.length) === current.requestId) {
        current.flushed[stream] = true;
        if (current.flushed.stdout && current.flushed.stderr) current.onFlushed?.();
      }
      return;
    }
    if (stream === 'stderr' && line.includes('JavaScript heap out of memory')) this.exhausted = true;
    this.functionLine(line);
  }

  /** A platform line (INIT_START, START, END, REPORT, ...), for the invocation it belongs to, if any. */
  platform(text: string, owner?: LogOwner): void {
    this.emit('platform', text, owner);
  }

  /**
   * Waits until every line the handler wrote before its result has been read, so END/REPORT come after them:
   * both flush markers (runtimes that write them), or a short quiet period (runtimes that are not ours).
   * `stopWaiting` ends the wait early (the runtime exited: nothing more will come).
   */
  waitForFlush(writesFlushMarkers: boolean): { done: Promise<void>; stopWaiting(): void } {
    const current = this.current;
    if (!current) return { done: Promise.resolve(), stopWaiting: () => undefined };
    if (writesFlushMarkers) {
      if (current.flushed.stdout && current.flushed.stderr) return { done: Promise.resolve(), stopWaiting: () => undefined };
      let stopWaiting: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FLUSH_MARKER_WAIT_MS);
        stopWaiting = current.onFlushed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      return { done, stopWaiting };
    }
    const startedAt = performance.now();
    const done = new Promise<void>((resolve) => {
      const check = () => {
        const now = performance.now();
        if (now - current.lastOutputAt >= QUIET_PERIOD_MS || now - startedAt >= QUIET_PERIOD_MAX_MS) resolve();
        else setTimeout(check, QUIET_PERIOD_MS / 3);
      };
      setTimeout(check, QUIET_PERIOD_MS);
    });
    return { done, stopWaiting: () => undefined };
  }

  private functionLine(text: string): void {
    const current = this.current;
    if (current) current.lastOutputAt = performance.now();
    this.emit('function', text, current);
  }

  /** One log record to the environment-wide sink and to the invocation it belongs to. */
  private emit(source: LogRecord['source'], text: string, owner?: LogOwner): void {
    const record: LogRecord = {
      functionName: this.functionName,
      instanceId: this.instanceId,
      requestId: owner?.requestId,
      source,
      text,
      time: Date.now(),
    };
    this.sink(record);
    owner?.onLog?.(record);
  }
}
