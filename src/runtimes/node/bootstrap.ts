// Entry point of our Node.js runtime client, started by the engine inside an instance as `node bootstrap.js` (cwd = code dir).
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BREAK_ON_HANDLER_ENV, QUIET_RESULTS_ENV, SDK_MODULES_ENV } from '../../shared/runtimeProtocol';
import { beforeExitListener } from './beforeExitListener';
import { UnhandledPromiseRejection } from './errors';
import { createHandlerCall } from './handlerCall';
import { handlerMetadata, installAwsLambdaGlobal, loadHandler } from './handlerLoader';
import { exitUnlessInspectorListens } from './inspectorCheck';
import { logError, patchConsole } from './logPatch';
import { OutputWatch } from './outputWatch';
import { watchParent } from './parentWatchdog';
import { trackStdio } from './stdio';
import { type ErrorCallbacks, Runtime } from './runtime';
import { apiUnreachable, RuntimeClient } from './runtimeClient';
import { ChannelTransport } from './channelTransport';
import { channelDescriptors, RUNTIME_CHANNEL_ENV } from '../../shared/runtimeChannel';

const CALLBACK_WARNING = 'AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. ' +
  'You will need to update this function to use an async handler to use Node.js 24 or later. For more information and to ' +
  'provide feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. ' +
  'To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.';

function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) {
    process.stderr.write(`Lambda Workbench runtime: the environment variable ${name} is not set; ` +
      'this bootstrap must be started by the Lambda Workbench engine.\n');
    process.exit(1);
  }
  return value;
}

/** ES module imports of `@aws-sdk/*` fall back to the runtime's SDK (sdkModuleHooks.ts); require finds it on NODE_PATH. */
function resolveSdkImports(env: NodeJS.ProcessEnv): void {
  const modulesDir = env[SDK_MODULES_ENV];
  delete env[SDK_MODULES_ENV];
  const hooks = path.join(__dirname, 'sdkModuleHooks.mjs');
  // module.register exists from Node.js 18.19 and 20.6; it waits forever for a hooks module that is not there.
  if (!modulesDir || typeof register !== 'function' || !existsSync(hooks)) return;
  register(pathToFileURL(hooks).href, { data: { modulesDir } });
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  // Before anything reads process.stdout or process.stderr: the runtime's own lines do not make them (stdio.ts).
  trackStdio();
  exitUnlessInspectorListens();
  watchParent();
  resolveSdkImports(env);
  patchConsole(env);
  // Engine plumbing, not part of the function's environment.
  const quietResults = env[QUIET_RESULTS_ENV] === '1';
  delete env[QUIET_RESULTS_ENV];
  const channelFds = channelDescriptors(env[RUNTIME_CHANNEL_ENV] ?? '');
  delete env[RUNTIME_CHANNEL_ENV];
  const channel = channelFds ? new ChannelTransport(channelFds.read, channelFds.write, apiUnreachable) : undefined;
  const client = new RuntimeClient(requiredEnv(env, 'AWS_LAMBDA_RUNTIME_API'), quietResults ? new OutputWatch() : undefined, channel);
  const handlerString = requiredEnv(env, '_HANDLER');
  const appRoot = env.LAMBDA_TASK_ROOT || process.cwd();

  // Until the first invocation starts, uncaught errors are init errors: post /init/error, then exit 129 / 128.
  const errorCallbacks: ErrorCallbacks = {
    uncaughtException: (error) => client.postInitError(error, () => process.exit(129)),
    unhandledRejection: (error) => client.postInitError(error, () => process.exit(128)),
  };
  process.on('uncaughtException', (error) => {
    logError('Uncaught Exception', error);
    errorCallbacks.uncaughtException(error);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const error = new UnhandledPromiseRejection(reason, promise);
    logError('Unhandled Promise Rejection', error);
    errorCallbacks.unhandledRejection(error);
  });
  beforeExitListener.reset();
  process.on('beforeExit', beforeExitListener.invoke);

  installAwsLambdaGlobal(env);
  let runtime: Runtime;
  try {
    const handler = await loadHandler(appRoot, handlerString);
    const metadata = handlerMetadata(handler);
    if (env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING === undefined && metadata.argsNum === 3 && !metadata.isAsync && !metadata.streaming) {
      console.warn(CALLBACK_WARNING);
    }
    runtime = new Runtime(client, handler, metadata, errorCallbacks, createHandlerCall(env[BREAK_ON_HANDLER_ENV] === '1'), env);
  } catch (error) {
    logError('Uncaught Exception', error);
    errorCallbacks.uncaughtException(error);
    return;
  }
  runtime.scheduleIteration();
}

void main(process.env);
