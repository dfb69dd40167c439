// Resolves _HANDLER ("dir/module.fn.nested") to the user's function, as the AWS Node runtime client (v3) does; runs inside an instance.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  HandlerNotFound,
  ImportModuleError,
  MalformedHandlerName,
  MalformedStreamingHandler,
  UserCodeSyntaxError,
  wrapped,
} from './errors';
import { HttpResponseStream } from './responseStream';
import { allowSdkImports } from './sdkImportHook';

export type UserHandler = (event: unknown, second: unknown, third: unknown) => unknown;

export interface HandlerMetadata {
  streaming: boolean;
  isAsync: boolean;
  argsNum: number;
}

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';

const userRequire = createRequire(__filename);

/** Installs globalThis.awslambda before user code loads, unless AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA is 1/true. */
export function installAwsLambdaGlobal(env: NodeJS.ProcessEnv): void {
  const disabled = env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (disabled === '1' || disabled === 'true') return;
  (globalThis as Record<string, unknown>).awslambda = {
    streamifyResponse(handler: Record<symbol, unknown>, options?: { highWaterMark?: unknown }) {
      handler[HANDLER_STREAMING] = STREAM_RESPONSE;
      if (typeof options?.highWaterMark === 'number') handler[HANDLER_HIGH_WATER_MARK] = Math.trunc(options.highWaterMark);
      return handler;
    },
    HttpResponseStream,
  };
}

/** Loads the module and returns the handler; throws the Runtime.* errors of the contract (§3.4). */
export async function loadHandler(appRoot: string, fullHandler: string): Promise<UserHandler> {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const match = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (match === null) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, functionPath] = match;

  const userModule = await loadUserModule(appRoot, moduleRoot, moduleName);
  const handler = functionPath.split('.').reduce<unknown>(
    (nested, key) => (nested ? (nested as Record<string, unknown>)[key] : nested), userModule);
  if (!handler) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
  return handler as UserHandler;
}

export function handlerMetadata(handler: UserHandler): HandlerMetadata {
  const marker = (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING];
  let streaming = false;
  if (marker !== undefined && marker !== null && marker !== false) {
    if (marker !== STREAM_RESPONSE) throw new MalformedStreamingHandler('Only response streaming is supported.');
    streaming = true;
  }
  return { streaming, isAsync: handler.constructor.name === 'AsyncFunction', argsNum: handler.length };
}

async function loadUserModule(appRoot: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  try {
    return await tryLoad(appRoot, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) throw wrapped(UserCodeSyntaxError, error);
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'MODULE_NOT_FOUND') throw wrapped(ImportModuleError, error);
    throw error;
  }
}

/**
 * Lookup order: the extensionless file (require); `.js` via require unless the nearest package.json says
 * "type": "module"; then `.js` via import (type module), `.mjs` via import, `.cjs` via require; finally Node's own
 * resolution from the app root and the module root.
 */
async function tryLoad(appRoot: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  if (existsSync(base)) {
    const extensionless: unknown = userRequire(base);
    if (extensionless) return extensionless;
  }
  const typeModule = existsSync(base + '.js') && isTypeModule(path.dirname(base + '.js'));
  if (!typeModule && existsSync(base + '.js')) {
    const loaded: unknown = userRequire(base + '.js');
    if (loaded) return loaded;
  }
  if (typeModule) return importFile(base + '.js');
  if (existsSync(base + '.mjs')) return importFile(base + '.mjs');
  if (existsSync(base + '.cjs')) {
    const loaded: unknown = userRequire(base + '.cjs');
    if (loaded) return loaded;
  }
  return userRequire(userRequire.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

function importFile(file: string): Promise<unknown> {
  allowSdkImports();
  return import(pathToFileURL(file).href);
}

/** The nearest package.json upward (stopping at node_modules or the root) decides; unreadable ones count as not module. */
function isTypeModule(folder: string): boolean {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') return false;
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown } | null)?.type === 'module';
      } catch (error) {
        console.warn(`${manifest} cannot be read, it will be ignored for ES module detection purposes.`, error);
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}
