// The environment variables an execution environment gets, as on AWS (contract §3.1): customer values first, platform values win.
import { randomBytes } from 'node:crypto';
import type { FunctionSpec } from '../template/functionSpec';
import { endpointVariables, localizeReference, type LocalEndpointSettings } from './localServices';

export interface EnvironmentContext {
  region: string;
  accountId: string;
  version: string;
  runtimeApiHostPort: string;
  initializationType: 'on-demand' | 'provisioned-concurrency';
  /** Directory the code runs from (LAMBDA_TASK_ROOT): /var/task in containers, the code dir for processes. */
  taskRoot: string;
  runtimeDir: string;
  /** Overrides from the user (CLI --env-vars, launch config env), applied over the template's variables. */
  overrides?: Record<string, string>;
  logFormat?: 'Text' | 'JSON';
  /** The local AWS endpoint the function's SDK calls go to (service by service), when one is served. */
  localEndpoint?: LocalEndpointSettings;
  /** Credentials for services passed through to AWS (the user's), instead of the local placeholders. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** `2019/06/07/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c` */
function logStreamName(version: string, now = new Date()): string {
  const d = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${d}/[${version}]${randomBytes(16).toString('hex')}`;
}

export function lambdaEnvironment(spec: FunctionSpec, ctx: EnvironmentContext): Record<string, string> {
  const customer: Record<string, string> = { ...spec.environment, ...ctx.overrides };
  const local = ctx.localEndpoint;
  if (local) for (const [name, value] of Object.entries(customer)) customer[name] = localizeReference(value, local);
  const logFormat = ctx.logFormat ?? spec.logging.format;
  const env: Record<string, string> = {
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    // The SDKs' service-specific endpoints (AWS_ENDPOINT_URL_SQS, ...): a function's own values win.
    ...(local ? endpointVariables(local) : {}),
    ...customer,
    AWS_REGION: ctx.region,
    AWS_DEFAULT_REGION: ctx.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySizeMB),
    AWS_LAMBDA_FUNCTION_VERSION: ctx.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: ctx.initializationType,
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logging.logGroup ?? `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(ctx.version),
    AWS_LAMBDA_RUNTIME_API: ctx.runtimeApiHostPort,
    LAMBDA_TASK_ROOT: ctx.taskRoot,
    LAMBDA_RUNTIME_DIR: ctx.runtimeDir,
    // Lambda's bootstrap runs the runtime from the task root, exec'd from a shell at level 0.
    PWD: ctx.taskRoot,
    SHLVL: '0',
    // Local credentials: a placeholder set unless the user passed their own through the environment overrides, or
    // services go to AWS with the user's.
    AWS_ACCESS_KEY_ID: customer.AWS_ACCESS_KEY_ID ?? ctx.credentials?.accessKeyId ?? 'local-access-key',
    AWS_SECRET_ACCESS_KEY: customer.AWS_SECRET_ACCESS_KEY ?? ctx.credentials?.secretAccessKey ?? 'local-secret-key',
  };
  const sessionToken = customer.AWS_SESSION_TOKEN ?? (ctx.credentials ? ctx.credentials.sessionToken : 'local-session-token');
  if (sessionToken !== undefined) env.AWS_SESSION_TOKEN = sessionToken;
  if (spec.handler !== undefined) env._HANDLER = spec.handler;
  if (spec.runtime && !spec.runtime.startsWith('provided')) env.AWS_EXECUTION_ENV = `AWS_Lambda_${spec.runtime}`;
  if (logFormat === 'JSON') {
    env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    env.AWS_LAMBDA_LOG_LEVEL = spec.logging.applicationLogLevel ?? 'INFO';
  }
  return env;
}
