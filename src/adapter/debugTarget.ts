// Resolves the launch arguments to the function to debug: its spec, the registry holding it, and what to watch.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { isWorkbenchError, WorkbenchError } from '../core/common/errors';
import { FunctionRegistry } from '../core/service/functionRegistry';
import { defaultFunctionSpec, type FunctionSpec } from '../core/template/functionSpec';
import { reloadWatchPaths } from '../core/watch/hotReloader';
import type { LambdaLaunchArguments } from '../shared/launchConfig';

export interface DebugTarget {
  registry: FunctionRegistry;
  spec: FunctionSpec;
  /** The function's code directory and its template, watched for hot reload. */
  watchPaths: string[];
}

/** A function given by handler and runtime only, with Lambda's defaults for everything else. */
function bareHandlerSpec(handler: string, runtime: string, codeDir: string): FunctionSpec {
  const name = handler.replace(/[^A-Za-z0-9-_]/g, '-');
  return defaultFunctionSpec(name, 'Zip', { runtime, handler, codeDir });
}

/** A container image given in the launch configuration replaces the template's ImageUri. */
function withImage(spec: FunctionSpec, image: string | undefined): FunctionSpec {
  return image !== undefined && spec.packageType === 'Image' ? { ...spec, imageUri: image } : spec;
}

async function templateTarget(args: LambdaLaunchArguments & { function: string; template: string }): Promise<DebugTarget> {
  const template = path.resolve(args.template);
  const loaded = await FunctionRegistry.fromTemplates([template], undefined, args.projectRoot === undefined ? undefined : path.resolve(args.projectRoot)).catch((error: unknown) => {
    if (!isWorkbenchError(error, 'TEMPLATE_NOT_FOUND')) throw error;
    throw new WorkbenchError('TEMPLATE_NOT_FOUND', `Launch configuration: \`template\` names no template file: ${error.message}.`, {
      hint: 'Set `template` to the SAM or CloudFormation template that declares `function`, e.g. "${workspaceFolder}/template.yaml".',
      cause: error,
    });
  });
  const found = loaded.get(args.function);
  if (!found) {
    const names = loaded.list().map((spec) => spec.logicalId);
    throw new WorkbenchError('FUNCTION_NOT_FOUND', `Function "${args.function}" is not declared in ${template}.`, {
      hint: names.length > 0 ? `Set \`function\` to one of: ${names.join(', ')}.` : 'The template declares no function.',
    });
  }
  const spec = withImage(found, args.image);
  const registry = FunctionRegistry.fromSpecs(loaded.list().map((other) => (other === found ? spec : other)), loaded.warnings);
  return { registry, spec, watchPaths: reloadWatchPaths(spec, template) };
}

export async function resolveDebugTarget(args: LambdaLaunchArguments): Promise<DebugTarget> {
  if (args.function !== undefined && args.template !== undefined) {
    return templateTarget({ ...args, function: args.function, template: args.template });
  }
  if (args.handler !== undefined && args.runtime !== undefined) {
    const codeDir = path.resolve(args.codeDir ?? '.');
    if (!(await stat(codeDir).then((found) => found.isDirectory(), () => false))) {
      throw new WorkbenchError('USAGE', `Launch configuration: \`codeDir\` ${codeDir} is not a directory.`, {
        hint: 'Set `codeDir` to the folder holding the handler\'s file, e.g. "${workspaceFolder}/src".',
      });
    }
    const spec = bareHandlerSpec(args.handler, args.runtime, codeDir);
    return { registry: FunctionRegistry.fromSpecs([spec]), spec, watchPaths: reloadWatchPaths(spec, undefined) };
  }
  throw new WorkbenchError('USAGE', 'Launch configuration: set `function` and `template`, or `handler` and `runtime`.');
}
