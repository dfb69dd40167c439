// What the activation probe (inside the extension host) and the harness agree on: where results go, and their shape.

/** Environment variable naming the file the probe appends one JSON line to per activation. */
export const ACTIVATION_RESULTS_ENV = 'LWB_BENCH_ACTIVATION_RESULTS';

export interface ActivationResultLine {
  activationMs?: number;
  error?: string;
}
