// Reads an exit status that a wrapper reports for its child (a container engine, bubblewrap): 128 + N when signal N ended it.
import { constants } from 'node:os';

/**
 * The status the first signal a runtime does not use for itself yields (SIGINT). Runtimes exit with 128 and 129 on
 * purpose (the Node runtime client after an unhandled rejection or exception), so only 130 and up are read as signals.
 */
const FIRST_SIGNAL_STATUS = 128 + constants.signals.SIGINT;

/** How a wrapped runtime ended: the signal's name for 130 and up, else the status itself. */
export function wrappedExit(status: number | null): { code: number | null; signal: string | null } {
  const signal = status !== null && status >= FIRST_SIGNAL_STATUS
    ? Object.entries(constants.signals).find(([, value]) => value === status - 128)?.[0]
    : undefined;
  return signal ? { code: null, signal } : { code: status, signal: null };
}
