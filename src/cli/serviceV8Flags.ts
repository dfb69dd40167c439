// V8 flags the `start` command sets when it runs, and their values when the CLI loads (for its code cache).

/**
 * The service keeps V8's young generation at its initial size (1 MB semi-spaces): under 16 clients it otherwise
 * grows to 16 MB semi-spaces, about 17 MB of RSS, for some 4 % less CPU per invocation. And it optimises its hot
 * functions sooner: with a quarter of V8's interrupt budget, TurboFan takes over the Invoke path after some hundreds of
 * invocations instead of about 3,000, which halve the CPU each one costs (docs/benchmarks.md). The runtimes keep V8's
 * default: 16 new environments compiling at once cost more than they gain.
 */
export const SERVICE_V8_FLAGS = '--semi-space-growth-factor=1 --interrupt-budget=16384';

/**
 * The same flags at V8's defaults (Node.js 20 to 22). V8 rejects a code cache made under other flags than the
 * loading process's, so the CLI's entry has the cache of a `start` made under these (src/cliEntry.ts). Setting the
 * flags in the entry instead, before the bundle loads, would cost more: every Node.js built-in module loaded after a
 * flag change is compiled without Node's own code cache (45 more of them before the first response).
 */
export const LOAD_TIME_V8_FLAGS = '--semi-space-growth-factor=2 --interrupt-budget=67584';

/** The command that runs under SERVICE_V8_FLAGS. */
export const SERVICE_COMMAND = 'start';
