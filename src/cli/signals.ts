// SIGINT/SIGTERM as a promise, so a command can stop its service (and every instance) before the process exits.

export interface SignalWait {
  /** Resolves with the first SIGINT or SIGTERM received. */
  received: Promise<NodeJS.Signals>;
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
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
