// Warm execution environments per function version: reuse an idle one, or start a new one within the concurrency limits.
import { Emitter } from '../common/events';
import type { Instance } from '../instances/instance';
import { ServiceError } from './invocation';

export interface PoolLimits {
  /** Account concurrency (default 1000). */
  accountConcurrency: number;
}

export interface AcquireOptions {
  /** Pool key: function name and version. */
  key: string;
  /** Concurrency group: the function name (reserved concurrency counts across versions). */
  functionName: string;
  reservedConcurrency?: number;
  /** At most this many environments for the key (debugging uses 1). */
  maxInstances?: number;
  /** Queue until capacity frees instead of throttling (async invocations, debugging). */
  wait: boolean;
  create(): Promise<Instance>;
}

interface Slot {
  instance: Instance;
  key: string;
  functionName: string;
  idleTimers: NodeJS.Timeout[];
  /** Provisioned environments stay until the service stops. */
  pinned?: boolean;
  /** Replaced while busy (hot reload): stops when its invocation releases it, never serves another. */
  retired?: boolean;
  /** Set once its instance is being stopped. */
  stopping?: Promise<void>;
  /** When it last became idle, in releases of the pool: the most recent one is handed out first. */
  releasedAt: number;
}

/**
 * How long a retired environment with a debugger attached lives on after its last invocation. Its inspector (or
 * debugpy) answers the client from a thread of its own: killed the moment the handler returns, the answer to the
 * Continue that let it return can be lost, and the debugger reports that Continue as failed.
 */
const DEBUGGER_SETTLE_MS = 200;

function debuggerSettled(instance: Instance): Promise<void> {
  if (instance.info.debugPort === undefined) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, DEBUGGER_SETTLE_MS).unref());
}

export class InstancePool {
  private readonly slots = new Map<Instance, Slot>();
  private readonly busy = new Map<string, number>();
  private busyTotal = 0;
  private releases = 0;
  private readonly waiters: (() => void)[] = [];
  /** Instances handed to an invocation and not yet released. */
  private readonly leased = new Map<Instance, string>();
  /** Environments being created, per key: they count toward maxInstances before they join the slots. */
  private readonly starting = new Map<string, number>();
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly limits: PoolLimits,
    private readonly idle: { freezeMs: number; stopMs: number },
  ) {}

  async acquire(options: AcquireOptions): Promise<Instance> {
    for (;;) {
      const idle = this.findIdle(options.key);
      const reserved = options.reservedConcurrency;
      const busyForFunction = this.busy.get(options.functionName) ?? 0;
      const overReserved = reserved !== undefined && busyForFunction >= reserved;
      const overAccount = this.busyTotal >= this.limits.accountConcurrency;
      const overInstances = options.maxInstances !== undefined && !idle && this.countFor(options.key) >= options.maxInstances;
      if (!overReserved && !overAccount && !overInstances) {
        this.markBusy(options.functionName, 1);
        if (idle) {
          this.clearIdleTimers(idle);
          return idle.instance;
        }
        return this.start(options);
      }
      if (!options.wait || reserved === 0) throw throttle(overReserved);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Returns an instance after an invocation: idle again, or gone if its environment ended. */
  release(instance: Instance): void {
    const functionName = this.leased.get(instance);
    if (functionName === undefined) return;
    this.leased.delete(instance);
    this.markBusy(functionName, -1);
    const slot = this.slots.get(instance);
    if (slot?.retired) {
      // Waiters wake once it is gone: its replacement may need what it holds (the session's debug port).
      void debuggerSettled(instance).then(() => this.stopSlot(slot)).finally(() => this.wakeWaiters());
      return;
    }
    if (slot && instance.state === 'stopped') {
      this.slots.delete(instance);
    } else if (slot) {
      slot.releasedAt = ++this.releases;
      this.scheduleIdle(slot);
    }
    this.changed.fire();
    this.wakeWaiters();
  }

  /** Adds an initialised environment that is kept warm (provisioned concurrency): idle, frozen when unused, never stopped for idleness. */
  addWarm(key: string, functionName: string, instance: Instance): void {
    const slot: Slot = { instance, key, functionName, idleTimers: [], pinned: true, releasedAt: ++this.releases };
    this.slots.set(instance, slot);
    instance.onDidChangeState(() => this.changed.fire());
    this.scheduleIdle(slot);
    this.changed.fire();
    this.wakeWaiters();
  }

  instances(): Instance[] {
    return [...this.slots.keys()];
  }

  /** Stops the instances whose key matches (all when no filter is given), busy ones included. */
  async stop(filter: (key: string) => boolean = () => true): Promise<void> {
    await Promise.all([...this.slots.values()].filter((slot) => filter(slot.key)).map((slot) => this.stopSlot(slot)));
  }

  /**
   * Replaces the instances whose key matches without failing an invocation: idle ones stop now; busy ones finish their
   * invocation on the code they run, then stop. Resolves (once the idle ones are gone) with how many are still busy.
   */
  async retire(filter: (key: string) => boolean): Promise<number> {
    const matching = [...this.slots.values()].filter((slot) => filter(slot.key));
    const busy = matching.filter((slot) => this.leased.has(slot.instance));
    for (const slot of busy) slot.retired = true;
    await Promise.all(matching.filter((slot) => !slot.retired).map((slot) => this.stopSlot(slot)));
    return busy.length;
  }

  /** Stops a slot's instance once; the slot stays in the pool (counted, never handed out) until the instance is stopped. */
  private stopSlot(slot: Slot): Promise<void> {
    if (this.slots.get(slot.instance) !== slot) return Promise.resolve();
    slot.stopping ??= (async () => {
      this.clearIdleTimers(slot);
      try {
        await slot.instance.stop();
      } finally {
        this.slots.delete(slot.instance);
        this.changed.fire();
      }
    })();
    return slot.stopping;
  }

  private async start(options: AcquireOptions): Promise<Instance> {
    let instance: Instance;
    this.starting.set(options.key, (this.starting.get(options.key) ?? 0) + 1);
    try {
      instance = await options.create();
    } catch (error) {
      this.markBusy(options.functionName, -1);
      this.wakeWaiters();
      throw error;
    } finally {
      const left = (this.starting.get(options.key) ?? 1) - 1;
      if (left === 0) this.starting.delete(options.key);
      else this.starting.set(options.key, left);
    }
    this.slots.set(instance, { instance, key: options.key, functionName: options.functionName, idleTimers: [], releasedAt: 0 });
    this.leased.set(instance, options.functionName);
    instance.onDidChangeState(() => this.changed.fire());
    this.changed.fire();
    return instance;
  }

  /**
   * Capacity changed: every queued acquire checks again. Waking only the first could hand the freed capacity to a
   * waiter of another function that still cannot proceed, leaving one that could asleep.
   */
  private wakeWaiters(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private findIdle(key: string): Slot | undefined {
    // The most recently used environment first, as Lambda tends to do: keeps the others cooling down.
    let best: Slot | undefined;
    for (const slot of this.slots.values()) {
      const state = slot.instance.state;
      if (slot.key === key && (state === 'idle' || state === 'frozen') && !slot.retired && !this.leased.has(slot.instance) && (best === undefined || slot.releasedAt > best.releasedAt)) {
        best = slot;
      }
    }
    if (best) this.leased.set(best.instance, best.functionName);
    return best;
  }

  private countFor(key: string): number {
    let n = this.starting.get(key) ?? 0;
    for (const slot of this.slots.values()) if (slot.key === key) n++;
    return n;
  }

  private markBusy(functionName: string, delta: number): void {
    this.busy.set(functionName, (this.busy.get(functionName) ?? 0) + delta);
    this.busyTotal += delta;
  }

  private scheduleIdle(slot: Slot): void {
    this.clearIdleTimers(slot);
    const freeze = setTimeout(() => void slot.instance.freeze(), this.idle.freezeMs);
    freeze.unref();
    slot.idleTimers.push(freeze);
    if (!slot.pinned) {
      const stop = setTimeout(() => void this.stopSlot(slot), this.idle.stopMs);
      stop.unref();
      slot.idleTimers.push(stop);
    }
  }

  private clearIdleTimers(slot: Slot): void {
    for (const timer of slot.idleTimers) clearTimeout(timer);
    slot.idleTimers = [];
  }
}

function throttle(reserved: boolean): ServiceError {
  return new ServiceError('TooManyRequestsException', 'Rate Exceeded.', {
    Reason: reserved ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'ConcurrentInvocationLimitExceeded',
  });
}
