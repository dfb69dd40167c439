// The Lambda clock of an environment: one invocation's deadline at a time, held while a debugger has the program paused.

export class InvocationClock {
  private timer?: NodeJS.Timeout;
  private remainingMs = 0;
  private armedAt = 0;
  private onExpired?: () => void;
  /** The debugger has the program paused: no deadline runs, including one that starts meanwhile. */
  private paused = false;

  /** Starts the deadline of an invocation; `onExpired` runs if it passes before stop(). */
  start(timeoutMs: number, onExpired: () => void): void {
    this.stop();
    this.remainingMs = timeoutMs;
    this.onExpired = onExpired;
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.onExpired = undefined;
  }

  pause(): void {
    this.paused = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.remainingMs -= Date.now() - this.armedAt;
    }
  }

  resume(): void {
    this.paused = false;
    if (!this.timer) this.arm();
  }

  private arm(): void {
    const onExpired = this.onExpired;
    if (!onExpired || this.paused) return;
    this.armedAt = Date.now();
    this.timer = setTimeout(onExpired, Math.max(0, this.remainingMs));
  }
}
