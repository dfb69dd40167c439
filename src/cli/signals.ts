// SIGINT/SIGTERM as a promise, so a command can stop its service (and every instance) before the process exits.
import { WorkbenchError } from '../core/common/errors';

export interface SignalWait {
  /** Resolves with the first SIGINT or SIGTERM received. */
  received: Promise<NodeJS.Signals>;
  /**
   * `work`, or CANCELLED ("Interrupted by SIGINT; <whose> instances were stopped.") when a signal comes first; the
   * command's `finally` then disposes its service, which stops them.
   */
  orInterrupted<T>(work: Promise<T>, whose: string): Promise<T>;
  /** Removes the handlers (default signal behaviour returns). */
  dispose(): void;
}

export function waitForTerminationSignal(): SignalWait {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    received,
    orInterrupted: (work, whose) => Promise.race([
      work,
      received.then((signal): never => {
        throw new WorkbenchError('CANCELLED', `Interrupted by ${signal}; ${whose} instances were stopped.`);
      }),
    ]),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
