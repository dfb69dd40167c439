// Constants shared by the engine and the runtime clients that run inside instances.

/**
 * Our runtime clients write this line (followed by the request id) to stdout and stderr right before they
 * post a result, so the engine can print END/REPORT after every line the handler wrote. Runtimes that do
 * not write it (official AWS images) are covered by a short quiet period instead.
 */
export const FLUSH_MARKER = '\u001bLWB-FLUSH ';

/**
 * Set by the engine on our runtime clients it starts: when nothing was written to stdout or stderr since the last flush
 * markers, a result is posted with QUIET_RESULT_HEADER instead of markers, and the engine ends the invocation without
 * waiting for output. Runtimes started without it (tests driving a bare Runtime API) always write the markers.
 */
export const QUIET_RESULTS_ENV = 'LAMBDA_WORKBENCH_QUIET_RESULTS';

/** Request header of a result post: nothing was written since the last flush markers (value "1"). */
export const QUIET_RESULT_HEADER = 'Lambda-Workbench-Quiet';

/** Set on instances started for debugging: the runtime client stops before calling the handler. */
export const BREAK_ON_HANDLER_ENV = 'LAMBDA_WORKBENCH_BREAK_ON_HANDLER';

/** Set on Python instances started for debugging: the loopback port debugpy listens on. */
export const DEBUGPY_PORT_ENV = 'LAMBDA_WORKBENCH_DEBUGPY_PORT';

/** The address debugpy listens on (default 127.0.0.1); 0.0.0.0 only inside a bridge-networked container, published on the host's loopback. */
export const DEBUGPY_HOST_ENV = 'LAMBDA_WORKBENCH_DEBUGPY_HOST';

/** Set on Node.js instances whose code imports AWS SDK packages it does not bundle: the node_modules folder that holds them
 *  (on NODE_PATH for require; our runtime client resolves ES module imports of `@aws-sdk/*` there too, as Lambda does). */
export const SDK_MODULES_ENV = 'LAMBDA_WORKBENCH_SDK_MODULES';

/** Set on Python instances: the host's site folder(s) holding boto3 (os.pathsep list), found by the runtime client after the
 *  code and layers when the interpreter has no boto3 of its own, as Lambda's Python runtimes provide it. */
export const PYTHON_SDK_ENV = 'LAMBDA_WORKBENCH_PYTHON_SDK';
