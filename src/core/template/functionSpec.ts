// The typed description of one Lambda function, produced from a template (or a bare handler) and consumed by the engine.
import type { SourceLocation } from '../common/errors';

export type Architecture = 'x86_64' | 'arm64';
export type LogFormat = 'Text' | 'JSON';

/** SAM `Metadata: BuildMethod: esbuild` with its BuildProperties. */
export interface EsbuildBuildSpec {
  entryPoints: string[];
  sourcemap: boolean;
  target?: string;
  format?: 'cjs' | 'esm';
  external: string[];
  minify: boolean;
  /** Extra esbuild options SAM passes through (Loader, MainFields, Banner...), kept verbatim. */
  extra: Record<string, unknown>;
}

export interface LayerSpec {
  /** Logical id or ARN as written in the template. */
  ref: string;
  /** Local content directory (ContentUri), when the layer is defined in the same template. */
  contentDir?: string;
  compatibleRuntimes?: string[];
  /** The zipped size of a layer version published through the Lambda API (Layers[].CodeSize). */
  codeSize?: number;
  /** Where the template names the layer by ARN (an ARN that is not known locally is an error there). */
  location?: SourceLocation;
}

/** One trigger from the SAM `Events` section, kept typed enough for event source mappings and URLs. */
export interface EventSourceSpec {
  id: string;
  type: string; // Api, HttpApi, SQS, Kinesis, DynamoDB, S3, SNS, Schedule, EventBridgeRule, ...
  properties: Record<string, unknown>;
  /** The alias it invokes (an AWS::Lambda::EventSourceMapping whose FunctionName is an alias). */
  qualifier?: string;
}

export interface FunctionUrlSpec {
  authType: 'NONE' | 'AWS_IAM';
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
  cors?: Record<string, unknown>;
  /** The alias an AWS::Lambda::Url targets (SAM's FunctionUrlConfig: the AutoPublishAlias). */
  qualifier?: string;
}

/** A version an alias names: a literal ($LATEST, 3) or an AWS::Lambda::Version resource of the template. */
export type VersionRef = { version: string } | { versionResource: string };

/** An AWS::Lambda::Alias resource. */
export interface TemplateAliasSpec {
  name: string;
  version: VersionRef;
  description?: string;
  weights?: Array<{ version: VersionRef; weight: number }>;
}

export interface EventInvokeConfigSpec {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
}

/** An EventInvokeConfig of a published version or an alias: AWS::Lambda::EventInvokeConfig's Qualifier, or SAM's on the AutoPublishAlias. */
export interface QualifiedEventInvokeConfigSpec {
  /** An alias name or a version number, or the template's AWS::Lambda::Version resource (the version it publishes). */
  qualifier: VersionRef;
  config: EventInvokeConfigSpec;
}

export interface FunctionSpec {
  /** Logical id in the template, or the name given on the command line. */
  logicalId: string;
  /** FunctionName property when it resolves to a string, else the logical id. */
  functionName: string;
  /** Absolute path of the template that declares it; undefined for `--handler` functions. */
  templatePath?: string;
  /** The folder the template's local paths were kept inside at load, for readers that come back to the template (DefinitionUri). */
  projectRoot?: string;
  /** Where the resource is declared, for diagnostics and "Open handler". */
  location?: SourceLocation;
  /** Where the template names the code (CodeUri, Code), for errors about it. */
  codeLocation?: SourceLocation;

  packageType: 'Zip' | 'Image';
  /** e.g. nodejs20.x, python3.12, provided.al2023; undefined for images. */
  runtime?: string;
  /** e.g. src/app.handler; undefined for images unless ImageConfig.Command sets it. */
  handler?: string;
  /** Absolute directory holding the function code as written (CodeUri); the build output may differ. */
  codeDir: string;
  /** For PackageType Image: the image to run. */
  imageUri?: string;
  imageConfig?: { command?: string[]; entryPoint?: string[]; workingDirectory?: string };

  timeoutSeconds: number;
  memorySizeMB: number;
  ephemeralStorageMB: number;
  architecture: Architecture;
  environment: Record<string, string>;
  layers: LayerSpec[];
  reservedConcurrency?: number;
  provisionedConcurrency?: number;
  autoPublishAlias?: string;
  events: EventSourceSpec[];
  logging: { format: LogFormat; applicationLogLevel?: string; systemLogLevel?: string; logGroup?: string };
  functionUrl?: FunctionUrlSpec;
  /** AWS::Lambda::Version resources: each publishes the code and configuration at load. */
  versions?: Array<{ logicalId: string; description?: string }>;
  /** AWS::Lambda::Alias resources, set at load. */
  aliases?: TemplateAliasSpec[];
  /** $LATEST's asynchronous invocation settings (the template's, or the version's or alias's at invocation). */
  eventInvokeConfig?: EventInvokeConfigSpec;
  /** The template's asynchronous invocation settings of versions and aliases, applied to them at load. */
  qualifiedEventInvokeConfigs?: QualifiedEventInvokeConfigSpec[];
  deadLetterTarget?: string;
  tracing?: 'Active' | 'PassThrough';
  /** Present when the function is built with esbuild before it runs. */
  build?: EsbuildBuildSpec;
}

/** Lambda defaults for properties a template leaves out. */
export const FUNCTION_DEFAULTS = {
  timeoutSeconds: 3,
  memorySizeMB: 128,
  ephemeralStorageMB: 512,
  architecture: 'x86_64' as Architecture,
} as const;

/** A function with Lambda's defaults for everything `overrides` leaves out (bare handlers, API-made functions). */
export function defaultFunctionSpec(name: string, packageType: FunctionSpec['packageType'], overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    logicalId: name,
    functionName: name,
    packageType,
    codeDir: '',
    ...FUNCTION_DEFAULTS,
    environment: {},
    layers: [],
    events: [],
    logging: { format: 'Text' },
    ...overrides,
  };
}

/** Lambda limits that configuration is validated against. */
export const FUNCTION_LIMITS = {
  minMemoryMB: 128,
  maxMemoryMB: 10240,
  maxTimeoutSeconds: 900,
  maxLayers: 5,
} as const;
