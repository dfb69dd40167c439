// The Lambda clock of an environment: one invocation's deadline at a time, held while a debugger has the program paused.

/**
 * One timer per environment, re-armed lazily: an invocation only records its deadline. The timer, left running (and
 * unreferenced) after an invocation ends, fires at the earlier deadline it was armed for, finds the current deadline
 * later and waits for the rest; so invocations shorter than the timeout create and clear no timer of their own.
 */
export class InvocationClock {
  private timer?: NodeJS.Timeout;
  /** When the timer fires (performance.now() time); meaningful while `timer` is set. */
  private firesAt = 0;
  /** The running invocation's deadline (performance.now() time), while it runs and the program is not paused. */
  private deadline = 0;
  /** What is left of the deadline while the program is paused. */
  private remainingMs = 0;
  private onExpired?: () => void;
  /** The debugger has the program paused: no deadline runs, including one that starts meanwhile. */
  private paused = false;
  private readonly check = (): void => this.fired();

  /** Starts the deadline of an invocation; `onExpired` runs if it passes before stop(). */
  start(timeoutMs: number, onExpired: () => void): void {
    this.remainingMs = timeoutMs;
    this.onExpired = onExpired;
    this.arm();
  }

  stop(): void {
    this.onExpired = undefined;
    // Left to fire for nothing (or to be used by the next invocation): it no longer keeps the process alive.
    this.timer?.unref();
  }

  pause(): void {
    if (this.onExpired && !this.paused) this.remainingMs = this.deadline - performance.now();
    this.paused = true;
    this.clear();
  }

  resume(): void {
    this.paused = false;
    this.arm();
  }

  /** The environment is gone: its timer goes too. */
  dispose(): void {
    this.onExpired = undefined;
    this.clear();
  }

  private arm(): void {
    if (!this.onExpired || this.paused) return;
    const now = performance.now();
    this.deadline = now + Math.max(0, this.remainingMs);
    if (this.timer && this.firesAt <= this.deadline) {
      this.timer.ref();
      return;
    }
    this.clear();
    this.schedule(now);
  }

  private schedule(now: number): void {
    this.firesAt = this.deadline;
    this.timer = setTimeout(this.check, Math.max(0, Math.ceil(this.deadline - now)));
  }

  private fired(): void {
    this.timer = undefined;
    const onExpired = this.onExpired;
    if (!onExpired || this.paused) return;
    const now = performance.now();
    // Armed for an earlier invocation's deadline: wait for the rest of this one's.
    if (this.deadline > now) this.schedule(now);
    else {
      this.onExpired = undefined;
      onExpired();
    }
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
