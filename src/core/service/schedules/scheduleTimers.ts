// Timers that fire schedule expressions on time, each wait multiplied by a time scale (0.01: a 5-minute rate fires every 3 s).
import type { Disposable } from '../../common/disposable';
import type { ScheduleExpression } from './scheduleExpression';

/** setTimeout's longest wait; a longer one (a yearly cron) is waited for in steps. */
const MAX_TIMER_MS = 2_147_483_647;

export class ScheduleTimers implements Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private disposed = false;

  /** `timeScale` multiplies every wait (1: real time). */
  constructor(private readonly timeScale = 1) {}

  /**
   * Arms `key`, replacing its timer: `fire(time)` at each next time of the expression after `from` (epoch ms), the wait
   * scaled, then again from that time (so a scaled schedule keeps its own clock: rate(1 minute) fires with times a minute apart).
   */
  set(key: string, expression: ScheduleExpression, fire: (time: number) => void, from = Date.now()): void {
    this.delete(key);
    this.arm(key, expression, fire, from);
  }

  has(key: string): boolean {
    return this.timers.has(key);
  }

  delete(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  /** The keys armed now. */
  keys(): string[] {
    return [...this.timers.keys()];
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(key: string, expression: ScheduleExpression, fire: (time: number) => void, from: number): void {
    if (this.disposed) return;
    const next = expression.next(from);
    if (next === undefined) return;
    this.wait(key, Math.max(0, (next - from) * this.timeScale), () => {
      this.arm(key, expression, fire, next);
      fire(next);
    });
  }

  private wait(key: string, ms: number, then: () => void): void {
    const step = Math.min(ms, MAX_TIMER_MS);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (ms > step) this.wait(key, ms - step, then);
      else then();
    }, step));
  }
}
