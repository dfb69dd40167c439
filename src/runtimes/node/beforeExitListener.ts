// The single 'beforeExit' action of the runtime (post a deferred result once the event loop is empty); runs inside an instance.

const NO_OP = (): void => undefined;
let listener: () => void = NO_OP;

export const beforeExitListener = {
  /** Registered once on process 'beforeExit'. */
  invoke: (): void => listener(),
  reset: (): void => { listener = NO_OP; },
  set: (action: () => void): void => { listener = action; },
};
