// Turns one AWS::Serverless::Function or AWS::Lambda::Function resource into a validated FunctionSpec.
import { WorkbenchError } from '../common/errors';
import { nodeOptionsWithSourceMaps, readBuildMetadata } from './esbuildMetadata';
import { readFunctionCode } from './functionCode';
import { readDeadLetterTarget, readEventInvokeConfig, readEvents, readFunctionUrl, readLogging, readTracing } from './functionIntegrations';
import { FUNCTION_DEFAULTS, type Architecture, type FunctionSpec, type LayerSpec } from './functionSpec';
import { Unresolved, type IntrinsicResolver } from './intrinsicResolver';
import { readFunctionLayers } from './layerReader';
import { PropertyReader } from './propertyReader';
import type { TemplatePathContext } from './templatePaths';
import { withFunctionGlobals } from './samGlobals';
import { isRecord, type TemplateDocument, type TemplateResource } from './templateDocument';
import { unemulatedPropertyWarnings } from './unemulatedProperties';
import { validateFunction } from './validateFunction';

export const SAM_FUNCTION = 'AWS::Serverless::Function';
export const LAMBDA_FUNCTION = 'AWS::Lambda::Function';

export interface FunctionReadContext {
  doc: TemplateDocument;
  /** The folder every local path of the template must stay inside. */
  projectRoot: string;
  resolver: IntrinsicResolver;
  layers: Record<string, LayerSpec>;
  warnings: string[];
  /** Nothing is written (inline code stays off the disk). */
  readOnly?: boolean;
}

/** Environment values are stringified the way SAM does: booleans and numbers as text, anything else as "". */
function readEnvironment(reader: PropertyReader): Record<string, string> {
  const variables = reader.get(['Environment', 'Variables']);
  if (variables === undefined || variables === null) return {};
  if (!isRecord(variables)) return reader.fail(['Environment', 'Variables'], `Environment.Variables of ${reader.logicalId} must be a mapping.`);
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (value instanceof Unresolved) {
      reader.warn(`Environment variable ${name} of ${reader.logicalId} is set to "": ${value.reason}.`);
      environment[name] = '';
    } else {
      environment[name] = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
    }
  }
  return environment;
}

/** Lambda's function names (and CloudFormation's logical ids, which are alphanumeric) name folders: nothing else gets through. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

function readFunctionName(reader: PropertyReader): string {
  if (!LOGICAL_ID.test(reader.logicalId)) {
    throw new WorkbenchError('TEMPLATE_INVALID', `The logical id '${reader.logicalId}' is not alphanumeric: CloudFormation requires logical ids of letters and digits (A-Za-z0-9).`,
      { location: reader.resourceLocation, hint: 'Rename the resource to letters and digits only.' });
  }
  const name = reader.get('FunctionName');
  if (typeof name !== 'string' || name === '') return reader.logicalId;
  if (!FUNCTION_NAME.test(name)) {
    reader.fail('FunctionName', `FunctionName of ${reader.logicalId} is '${name}', but Lambda function names are 1 to 64 letters, digits, hyphens and underscores.`);
  }
  return name;
}

export async function readFunction(context: FunctionReadContext, logicalId: string, resource: TemplateResource): Promise<FunctionSpec> {
  const { doc, resolver } = context;
  const isSam = resource.type === SAM_FUNCTION;
  const raw = isSam ? withFunctionGlobals(doc.root, resource.properties) : resource.properties;
  const { Layers: rawLayers, ...rest } = raw;
  const resolved = resolver.resolve(rest);
  const reader = new PropertyReader(doc, logicalId, isRecord(resolved) ? resolved : {}, context.warnings);
  for (const warning of unemulatedPropertyWarnings(reader)) reader.warn(warning);
  const runtime = reader.text('Runtime');
  const handler = reader.text('Handler');
  const paths: TemplatePathContext = { templateDir: doc.dir, projectRoot: context.projectRoot };
  const functionName = readFunctionName(reader);
  const code = await readFunctionCode({ reader, isSam, ...paths, runtime, metadata: resource.metadata, readOnly: context.readOnly ?? false });
  const environment = readEnvironment(reader);
  const metadata = resolver.resolve(resource.metadata);
  const build = code.packageType === 'Zip'
    ? readBuildMetadata({
      logicalId,
      metadata: isRecord(metadata) ? metadata : {},
      handler,
      codeDir: code.codeDir,
      projectRoot: context.projectRoot,
      nodeOptions: environment.NODE_OPTIONS,
      locate: (key) => doc.locate(['Resources', logicalId, 'Metadata', ...(key === 'BuildMethod' || !key ? ['BuildMethod'] : ['BuildProperties', key])])
        ?? reader.resourceLocation,
    })
    : undefined;
  if (build?.sourcemap) environment.NODE_OPTIONS = nodeOptionsWithSourceMaps(environment.NODE_OPTIONS);
  const imageHandler = code.imageConfig?.command?.[0];
  const reserved = reader.integer('ReservedConcurrentExecutions');
  const provisioned = reader.integer(['ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions']);
  if (reserved !== undefined && provisioned !== undefined && provisioned > reserved) {
    reader.fail(
      ['ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions'],
      `${reader.label(['ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions'])} is ${provisioned}, above its ReservedConcurrentExecutions of ${reserved}: Lambda refuses provisioned concurrency greater than the reserved concurrency.`,
      'Lower ProvisionedConcurrentExecutions or raise ReservedConcurrentExecutions.',
    );
  }
  const autoPublishAlias = reader.text('AutoPublishAlias');
  const functionUrl = isSam ? readFunctionUrl(reader) : undefined;
  const eventInvokeConfig = isSam ? readEventInvokeConfig(reader) : undefined;
  const deadLetterTarget = readDeadLetterTarget(reader, isSam);
  const tracing = readTracing(reader, isSam);
  const spec: FunctionSpec = {
    logicalId,
    functionName,
    templatePath: doc.path,
    projectRoot: context.projectRoot,
    location: reader.resourceLocation,
    ...code,
    ...(runtime && code.packageType === 'Zip' ? { runtime } : {}),
    ...(handler && code.packageType === 'Zip' ? { handler } : imageHandler ? { handler: imageHandler } : {}),
    timeoutSeconds: reader.integer('Timeout') ?? FUNCTION_DEFAULTS.timeoutSeconds,
    memorySizeMB: reader.integer('MemorySize') ?? FUNCTION_DEFAULTS.memorySizeMB,
    ephemeralStorageMB: reader.integer(['EphemeralStorage', 'Size']) ?? FUNCTION_DEFAULTS.ephemeralStorageMB,
    architecture: (reader.textList('Architectures')?.[0] ?? FUNCTION_DEFAULTS.architecture) as Architecture,
    environment,
    layers: readFunctionLayers(rawLayers, reader, resolver, context.layers),
    ...(reserved !== undefined ? { reservedConcurrency: reserved } : {}),
    ...(provisioned !== undefined ? { provisionedConcurrency: provisioned } : {}),
    ...(autoPublishAlias ? { autoPublishAlias } : {}),
    events: isSam ? readEvents(reader) : [],
    logging: readLogging(reader),
    ...(functionUrl ? { functionUrl } : {}),
    // SAM attaches EventInvokeConfig to the AutoPublishAlias when there is one (its Qualifier), else to $LATEST.
    ...(eventInvokeConfig && autoPublishAlias ? { qualifiedEventInvokeConfigs: [{ qualifier: { version: autoPublishAlias }, config: eventInvokeConfig }] } : {}),
    ...(eventInvokeConfig && !autoPublishAlias ? { eventInvokeConfig } : {}),
    ...(deadLetterTarget ? { deadLetterTarget } : {}),
    ...(tracing ? { tracing } : {}),
    ...(build ? { build } : {}),
  };
  validateFunction(
    spec,
    (property, message, hint, fix) => reader.fail(property, message, hint, fix ? reader.replaceValue(fix.path ?? property, fix.value) : undefined),
    (property, message) => {
      const at = reader.location(property);
      reader.warn(at.line !== undefined ? `${at.file}:${at.line}: ${message}` : message);
    },
  );
  return spec;
}
