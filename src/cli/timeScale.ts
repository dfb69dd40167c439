// `--time-scale FACTOR`: the service's waiting times (async retries and backoffs, queue visibility timeouts, batching windows) scaled, as the extension's setting does.
import { usage, type FlagSpec, type ParsedArgs } from './argParser';

export const TIME_SCALE_FLAG: FlagSpec = {
  name: 'time-scale',
  kind: 'string',
  valueName: 'factor',
  description: "Scale the service's waiting times, from 0.001 to 1 (default 1: Lambda's own). 0.01 makes the 1 and 2 minute async retries about a second.",
};

/** The factor of --time-scale, or undefined when it is not given. */
export function parseTimeScale(command: string, args: ParsedArgs): number | undefined {
  const value = args.strings.get(TIME_SCALE_FLAG.name);
  if (value === undefined) return undefined;
  const factor = Number(value);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(value) || !(factor >= 0.001 && factor <= 1)) {
    throw usage(command, `--time-scale must be a number from 0.001 to 1, not '${value}'.`);
  }
  return factor;
}
