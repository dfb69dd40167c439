// Constants shared by the engine and the runtime clients that run inside instances.

/**
 * Our runtime clients write this line (followed by the request id) to stdout and stderr right before they
 * post a result, so the engine can print END/REPORT after every line the handler wrote. Runtimes that do
 * not write it (official AWS images) are covered by a short quiet period instead.
 */
export const FLUSH_MARKER = '\u001bLWB-FLUSH ';

/** Set on instances started for debugging: the runtime client stops before calling the handler. */
export const BREAK_ON_HANDLER_ENV = 'LAMBDA_WORKBENCH_BREAK_ON_HANDLER';
