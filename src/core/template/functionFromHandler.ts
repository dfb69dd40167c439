// The FunctionSpec of a function given without a template (`--handler src/app.handler --runtime nodejs20.x`).
import * as path from 'node:path';
import { WorkbenchError } from '../common/errors';
import { defaultFunctionSpec, FUNCTION_DEFAULTS, type FunctionSpec } from './functionSpec';
import { validateFunction } from './validateFunction';

export interface HandlerFunctionOptions {
  handler: string;
  runtime: string;
  /** Folder the handler path is relative to; defaults to the current directory. */
  codeDir?: string;
  /** Function name; defaults to the handler's file and export, e.g. `app-handler` for src/app.handler. */
  name?: string;
  timeoutSeconds?: number;
  memorySizeMB?: number;
  environment?: Record<string, string>;
}

/** `src/app.handler` -> `app-handler`, a valid Lambda function name. */
function nameFromHandler(handler: string): string {
  const base = path.basename(handler).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return base || 'function';
}

const OPTION_OF_PROPERTY: Record<string, string> = {
  MemorySize: '--memory', Timeout: '--timeout', Runtime: '--runtime', Handler: '--handler',
};

export function functionFromHandler(options: HandlerFunctionOptions): FunctionSpec {
  const name = options.name ?? nameFromHandler(options.handler);
  const spec = defaultFunctionSpec(name, 'Zip', {
    runtime: options.runtime,
    handler: options.handler,
    codeDir: path.resolve(options.codeDir ?? '.'),
    timeoutSeconds: options.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds,
    memorySizeMB: options.memorySizeMB ?? FUNCTION_DEFAULTS.memorySizeMB,
    environment: { ...options.environment },
  });
  validateFunction(spec, (property, message, hint) => {
    const option = OPTION_OF_PROPERTY[property];
    throw new WorkbenchError('USAGE', option ? `${message.replace(/\.$/, '')} (option ${option}).` : message, hint ? { hint } : {});
  });
  return spec;
}
