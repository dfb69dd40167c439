// Loads a SAM / CloudFormation template into the functions and layers it declares (the entry point of this folder).
import { isWorkbenchError, WorkbenchError, type SourceEdit } from '../common/errors';
import { defaultProjectRoot } from '../common/projectRoot';
import type { FunctionSpec, LayerSpec } from './functionSpec';
import { readEventInvokeConfig } from './functionIntegrations';
import { LAMBDA_FUNCTION, readFunction, SAM_FUNCTION, type FunctionReadContext } from './functionReader';
import { IntrinsicResolver, Unresolved } from './intrinsicResolver';
import { applyLambdaResources, versionRef } from './lambdaResources';
import { notEmulatedResources } from './emulatedResources';
import { readLayers } from './layerReader';
import { PropertyReader } from './propertyReader';
import { isRecord, readTemplateDocument, type TemplateDocument } from './templateDocument';
import { parameterValues, type ParameterValues } from './templateParameters';

export interface TemplateModel {
  /** Absolute path of the template file. */
  path: string;
  functions: FunctionSpec[];
  layers: Record<string, LayerSpec>;
  /** Things that could not be resolved locally and were defaulted or left out. */
  warnings: string[];
  /** Edits that resolve some of the warnings, by the warning's text. */
  warningFixes: ReadonlyMap<string, SourceEdit>;
}

export interface LoadTemplateOptions {
  /** Values for template parameters (and pseudo parameters such as AWS::Region), like `sam --parameter-overrides`. */
  parameterOverrides?: Record<string, string>;
  /** When given, a function that cannot be read is recorded here and left out, so one pass finds every function's problem. */
  functionErrors?: WorkbenchError[];
  /** The template's text (an editor's unsaved content) instead of the file's. */
  text?: string;
  /** Nothing is written to disk (inline code stays in the template): validation as the user types. */
  readOnly?: boolean;
  /**
   * The folder every local path of the template (CodeUri, ContentUri, ...) must stay inside, symbolic links resolved;
   * by default defaultProjectRoot (the nearest folder holding .git, else the template's folder).
   */
  projectRoot?: string;
}

/**
 * Attaches AWS::Lambda::EventInvokeConfig resources to the function they name, for their Qualifier: $LATEST's settings, or
 * a version's or alias's (applied when the versions are published at load).
 */
function applyEventInvokeConfigs(doc: TemplateDocument, resolver: IntrinsicResolver, functions: FunctionSpec[], warnings: string[]): void {
  for (const [id, resource] of Object.entries(doc.resources)) {
    if (resource.type !== 'AWS::Lambda::EventInvokeConfig') continue;
    const target = resource.properties.FunctionName;
    const name = isRecord(target) && typeof target.Ref === 'string' ? target.Ref : resolver.resolve(target);
    const spec = functions.find((fn) => fn.logicalId === name || fn.functionName === name);
    if (!spec) {
      warnings.push(`${id} (AWS::Lambda::EventInvokeConfig) names no function of this template; it is ignored.`);
      continue;
    }
    const properties = resolver.resolve(resource.properties);
    const reader = new PropertyReader(doc, id, isRecord(properties) ? properties : {}, warnings);
    const qualifier = versionRef(resolver, resource.properties.Qualifier);
    if (!qualifier) {
      return reader.fail('Qualifier', `Qualifier of ${id} (AWS::Lambda::EventInvokeConfig) must be $LATEST, a version or an alias name.`,
        'Write Qualifier: $LATEST, an alias name, or !GetAtt <an AWS::Lambda::Version>.Version.');
    }
    const config = readEventInvokeConfig(reader, []) ?? {};
    if ('version' in qualifier && qualifier.version === '$LATEST') spec.eventInvokeConfig = { ...spec.eventInvokeConfig, ...config };
    else spec.qualifiedEventInvokeConfigs = [...(spec.qualifiedEventInvokeConfigs ?? []), { qualifier, config }];
  }
}

/** A parameter without Default needs a value, as CloudFormation requires: never a silent "" (a bucket named ""). */
function requireParameterValues(doc: TemplateDocument, parameters: ParameterValues): void {
  const missing = [...parameters.missing];
  if (missing.length === 0) return;
  throw new WorkbenchError('TEMPLATE_INVALID', `Parameters: [${missing.join(', ')}] must have values: ${missing.length === 1 ? 'it has' : 'they have'} no Default and no override.`, {
    location: doc.locate(['Parameters', missing[0]!]) ?? { file: doc.path },
    hint: `Pass ${missing.length === 1 ? 'a value' : 'values'} with --parameter-overrides ${missing.map((name) => `${name}=...`).join(' ')}, or give the parameter a Default.`,
  });
}

/** Reads, resolves and validates a template. Errors: TEMPLATE_NOT_FOUND, TEMPLATE_PARSE, TEMPLATE_INVALID (a path outside the project root among them). */
export async function loadTemplate(templatePath: string, options: LoadTemplateOptions = {}): Promise<TemplateModel> {
  const doc = await readTemplateDocument(templatePath, options.text);
  const warnings: string[] = [...doc.warnings];
  const parameters = parameterValues(doc, options.parameterOverrides ?? {}, warnings);
  requireParameterValues(doc, parameters);
  const resolver = IntrinsicResolver.forDocument(doc, parameters);
  const projectRoot = options.projectRoot ?? defaultProjectRoot(doc.path);
  const layers = readLayers(doc, resolver, warnings, projectRoot);
  const context: FunctionReadContext = { doc, projectRoot, resolver, layers, warnings, readOnly: options.readOnly ?? false };
  const functions: FunctionSpec[] = [];
  for (const [id, resource] of Object.entries(doc.resources)) {
    if (resource.type !== SAM_FUNCTION && resource.type !== LAMBDA_FUNCTION) continue;
    if (resource.condition !== undefined) {
      const enabled = resolver.condition(resource.condition);
      if (enabled === false) continue;
      if (enabled instanceof Unresolved) warnings.push(`${id} is included although its Condition cannot be evaluated: ${enabled.reason}.`);
    }
    try {
      functions.push(await readFunction(context, id, resource));
    } catch (error) {
      if (!options.functionErrors || !isWorkbenchError(error)) throw error;
      options.functionErrors.push(error);
    }
  }
  applyEventInvokeConfigs(doc, resolver, functions, warnings);
  applyLambdaResources(doc, resolver, functions, warnings);
  warnings.push(...notEmulatedResources(doc));
  return { path: doc.path, functions, layers, warnings, warningFixes: doc.warningFixes };
}
