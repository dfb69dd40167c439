// Where the CLI's functions come from: a template (--template, or ./template.yaml|yml|json) or a bare --handler, plus user overrides.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { WorkbenchError } from '../core/common/errors';
import { defaultProjectRoot } from '../core/common/projectRoot';
import { FunctionRegistry } from '../core/service/functionRegistry';
import { functionFromHandler } from '../core/template';
import type { FunctionSpec } from '../core/template/functionSpec';
import { usage, type FlagSpec, type ParsedArgs } from './argParser';

const DEFAULT_TEMPLATES = ['template.yaml', 'template.yml', 'template.json'];

export const TEMPLATE_FLAG: FlagSpec = {
  name: 'template',
  kind: 'string',
  valueName: 'path',
  description: 'SAM or CloudFormation template (default: ./template.yaml, .yml or .json).',
};

export const PROJECT_ROOT_FLAG: FlagSpec = {
  name: 'project-root',
  kind: 'string',
  valueName: 'dir',
  description: "Folder the template's code and layer paths (and the Lambda API's local code paths) must stay inside "
    + '(default: the nearest folder above the template holding .git, else the current directory when it holds the template, else the template\'s folder).',
};

export const FUNCTION_SOURCE_FLAGS: readonly FlagSpec[] = [
  TEMPLATE_FLAG,
  PROJECT_ROOT_FLAG,
  { name: 'handler', kind: 'string', valueName: 'file.export', description: 'Run a handler with no template, e.g. src/app.handler (needs --runtime).' },
  { name: 'runtime', kind: 'string', valueName: 'runtime', description: 'Runtime of --handler, e.g. nodejs20.x.' },
  { name: 'code-dir', kind: 'string', valueName: 'dir', description: 'Directory the --handler path is relative to (default: the current directory).' },
  { name: 'env-vars', kind: 'string', valueName: 'file.json', description: 'Environment variables in SAM format: {"Parameters": {...}, "<LogicalId>": {...}}.' },
  { name: 'parameter-overrides', kind: 'list', valueName: 'Key=Value', description: 'Template parameter values.' },
  { name: 'log-format', kind: 'string', description: "Log format (default: the template's LoggingConfig, else text).", choices: ['text', 'json'] },
];

export interface FunctionSource {
  registry: FunctionRegistry;
  /** Absolute template path; undefined for --handler functions. */
  templatePath?: string;
  /** Where builds and instance state go: .lambda-workbench beside the template, or in the current directory. */
  stateDir: string;
  /** The folder local paths must stay inside (the template's, and those Lambda API callers give; see projectRootOf). */
  projectRoot: string;
}

/** --project-root, else the template's defaultProjectRoot seen from the current directory, else (no template) the current directory. */
export function projectRootOf(args: ParsedArgs, templatePath: string | undefined): string {
  const given = args.strings.get('project-root');
  if (given !== undefined) {
    const root = resolve(given);
    if (!existsSync(root)) throw new WorkbenchError('USAGE', `--project-root ${given}: ${root} does not exist.`, { hint: 'Pass a folder that holds the template and its code.' });
    return root;
  }
  return templatePath === undefined ? process.cwd() : defaultProjectRoot(templatePath, process.cwd());
}

/** `functionName` names the --handler function (the `invoke` argument); other commands give none. */
export async function loadFunctionSource(command: string, args: ParsedArgs, functionName?: string): Promise<FunctionSource> {
  const handler = args.strings.get('handler');
  let registry: FunctionRegistry;
  let templatePath: string | undefined;
  let baseDir: string;
  if (handler !== undefined) {
    if (args.strings.has('template')) throw usage(command, '--handler and --template cannot be used together.');
    if (args.lists.has('parameter-overrides')) throw usage(command, '--parameter-overrides needs a template.');
    const runtime = args.strings.get('runtime');
    if (runtime === undefined) throw usage(command, '--handler needs --runtime, e.g. --runtime nodejs20.x.');
    // State goes to the current directory (the workspace), not into the code.
    baseDir = process.cwd();
    registry = FunctionRegistry.fromSpecs([
      functionFromHandler({ handler, runtime, codeDir: resolve(args.strings.get('code-dir') ?? '.'), ...(functionName !== undefined ? { name: functionName } : {}) }),
    ]);
  } else {
    for (const flag of ['runtime', 'code-dir']) {
      if (args.strings.has(flag)) throw usage(command, `--${flag} only applies to --handler.`);
    }
    templatePath = findTemplate(command, args.strings.get('template'));
    baseDir = dirname(templatePath);
    registry = await FunctionRegistry.fromTemplates([templatePath], parameterOverrides(command, args.lists.get('parameter-overrides')), projectRootOf(args, templatePath));
  }
  const source: FunctionSource = { registry, stateDir: resolve(baseDir, '.lambda-workbench'), projectRoot: projectRootOf(args, templatePath) };
  if (templatePath !== undefined) source.templatePath = templatePath;
  return source;
}

/** The template a command works on (--template, or ./template.yaml|yml|json), without reading it. */
export function templatePathArg(command: string, args: ParsedArgs): string {
  return findTemplate(command, args.strings.get('template'));
}

/** The state directory of the template's workspace (--template, or ./template.yaml), without reading the template. */
export function templateStateDir(command: string, args: ParsedArgs): string {
  return resolve(dirname(templatePathArg(command, args)), '.lambda-workbench');
}

/** The function `name` names, or a FUNCTION_NOT_FOUND error listing the functions that exist. */
export function requireFunction(source: FunctionSource, name: string): FunctionSpec {
  const spec = source.registry.get(name);
  if (spec) return spec;
  const names = source.registry.list().map((s) => s.logicalId).sort();
  const known = names.length > 0 ? `Functions in this template: ${names.join(', ')}.` : 'The template declares no functions.';
  throw new WorkbenchError('FUNCTION_NOT_FOUND', `Function '${name}' not found. ${known}`, {
    ...(source.templatePath ? { location: { file: source.templatePath } } : {}),
  });
}

function findTemplate(command: string, given: string | undefined): string {
  if (given !== undefined) {
    const path = resolve(given);
    if (!existsSync(path)) {
      throw new WorkbenchError('TEMPLATE_NOT_FOUND', `Template not found: ${path}.`, { hint: 'Check the --template path.' });
    }
    return path;
  }
  const found = DEFAULT_TEMPLATES.map((name) => resolve(name)).find((path) => existsSync(path));
  if (found === undefined) {
    throw usage(command, `no template given and none of ${DEFAULT_TEMPLATES.join(', ')} in ${process.cwd()}; pass --template <path> or --handler.`);
  }
  return found;
}

export function parameterOverrides(command: string, pairs: string[] | undefined): Record<string, string> | undefined {
  if (pairs === undefined) return undefined;
  const overrides: Record<string, string> = {};
  for (const pair of pairs) {
    // SAM also accepts ParameterKey=K,ParameterValue=V.
    const samForm = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(pair);
    const eq = pair.indexOf('=');
    if (samForm) overrides[samForm[1]] = samForm[2];
    else if (eq > 0) overrides[pair.slice(0, eq)] = pair.slice(eq + 1);
    else throw usage(command, `--parameter-overrides expects Key=Value, not '${pair}'.`);
  }
  return overrides;
}
