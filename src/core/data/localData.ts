// The template's DynamoDB tables and S3 buckets, locally: engines under the state folder, their AWS endpoint services, stream capture and S3 notifications.
import * as path from 'node:path';
import type { AwsService } from '../api/awsEndpoint';
import { errorMessage } from '../common/errors';
import type { FunctionRegistry } from '../service/functionRegistry';
import type { InvokeRequest } from '../service/invocation';
import { stateRoot } from '../state/stateStore';
import { readTemplateDataResources, type BucketDefinition, type TableDefinition, type TemplateDataResources } from './dataResources';
import { dynamoDbApi } from './dynamoDbApi';
import { DynamoDbEngine, DynamoDbError } from './dynamoDbEngine';
import { StreamCapture, type StreamSink } from './dynamoDbStreamCapture';
import { s3Api } from './s3Api';
import { S3Engine } from './s3Engine';
import { readS3Notifications, S3Notifier, type S3Notification } from './s3Notifications';

export interface LocalDataOptions {
  /** The workspace's state folder: tables and objects persist under <stateDir>/state (cleared by `state reset`). */
  stateDir: string;
  region?: string;
  accountId?: string;
  parameterOverrides?: Record<string, string>;
  /** The local table streams that writes through the endpoint feed (tables with StreamSpecification). */
  streams?: StreamSink;
  /** Problems after start (a notification that could not invoke its function). */
  onWarning?: (message: string) => void;
}

export interface LocalData {
  tables: TableDefinition[];
  buckets: BucketDefinition[];
  dynamoDb?: DynamoDbEngine;
  s3?: S3Engine;
  /** Mount before Lambda (X-Amz-Target DynamoDB_20120810.*). */
  services: AwsService[];
  /** Mount after every other service: S3's path-style requests take any remaining path. */
  fallback?: AwsService;
  /** Things in the template that are ignored or defaulted locally. */
  warnings: string[];
  /** The variables that point the functions' AWS SDKs at the endpoint. */
  environment(endpointUrl: string): Record<string, string>;
  /** Lines for the user: the tables and buckets on the endpoint. */
  summary(endpointUrl: string): string[];
  close(): Promise<void>;
}

/** Where the local tables and objects of a workspace live. */
export function dataDirectories(stateDir: string): { dynamoDb: string; s3: string } {
  const root = stateRoot(stateDir);
  return { dynamoDb: path.join(root, 'dynamodb'), s3: path.join(root, 's3') };
}

/** The tables, buckets and S3 notifications the registry's templates declare. */
export async function readLocalDataResources(registry: FunctionRegistry, parameterOverrides: Record<string, string>, warnings: string[]): Promise<TemplateDataResources & { notifications: S3Notification[] }> {
  const specs = registry.list();
  const templates = [...new Set(specs.flatMap((spec) => (spec.templatePath ? [spec.templatePath] : [])))];
  const resources = await readTemplateDataResources(templates, parameterOverrides, warnings);
  return { ...resources, notifications: readS3Notifications(specs, resources.buckets, warnings) };
}

/** Opens the workspace's tables and creates the template's that do not exist yet (the others keep their items). */
export async function openDynamoDb(stateDir: string, tables: readonly TableDefinition[], warnings: string[]): Promise<DynamoDbEngine> {
  const engine = await DynamoDbEngine.start(dataDirectories(stateDir).dynamoDb);
  try {
    const existing = new Set(await engine.tableNames());
    for (const table of tables) {
      if (existing.has(table.name)) continue;
      try {
        await engine.call('CreateTable', table.createTable);
      } catch (error) {
        if (!(error instanceof DynamoDbError)) throw error;
        warnings.push(`${table.logicalId}: table '${table.name}' cannot be created locally: ${error.message}.`);
      }
    }
  } catch (error) {
    await engine.close();
    throw error;
  }
  return engine;
}

/** Opens the workspace's buckets and creates the template's that do not exist yet. */
export async function openS3(stateDir: string, buckets: readonly BucketDefinition[], warnings: string[]): Promise<S3Engine> {
  const engine = await S3Engine.start(dataDirectories(stateDir).s3);
  for (const bucket of buckets) {
    await engine.ensureBucket(bucket.name).catch((error: unknown) => warnings.push(`${bucket.logicalId}: bucket '${bucket.name}' cannot be created locally: ${errorMessage(error)}.`));
  }
  return engine;
}

/** Undefined when the templates declare no table, bucket or S3 event. */
export async function startLocalData(
  service: { invoke(request: InvokeRequest): Promise<unknown> },
  registry: FunctionRegistry,
  options: LocalDataOptions,
): Promise<LocalData | undefined> {
  const warnings: string[] = [];
  const { tables, buckets, notifications } = await readLocalDataResources(registry, options.parameterOverrides ?? {}, warnings);
  if (!tables.length && !buckets.length && !notifications.length) return undefined;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  let dynamoDb: DynamoDbEngine | undefined;
  let s3: S3Engine | undefined;
  const close = async () => {
    await dynamoDb?.close();
    await s3?.close();
  };
  try {
    const services: AwsService[] = [];
    let fallback: AwsService | undefined;
    if (tables.length) {
      dynamoDb = await openDynamoDb(options.stateDir, tables, warnings);
      const streams = options.streams ?? { has: () => false, put: () => undefined };
      services.push(dynamoDbApi(dynamoDb, new StreamCapture(dynamoDb, streams)));
    }
    if (buckets.length || notifications.length) {
      const engine = await openS3(options.stateDir, buckets, warnings);
      s3 = engine;
      const notifier = new S3Notifier(notifications, {
        region,
        accountId,
        head: (bucket, key) => engine.head(bucket, key),
        invoke: (request) => service.invoke(request),
        onError: (message) => options.onWarning?.(message),
      });
      fallback = s3Api(engine, (event) => void notifier.notify(event));
    }
    return {
      tables,
      buckets,
      services,
      warnings,
      ...(dynamoDb ? { dynamoDb } : {}),
      ...(s3 ? { s3 } : {}),
      ...(fallback ? { fallback } : {}),
      environment: (url) => ({ ...(dynamoDb ? { AWS_ENDPOINT_URL_DYNAMODB: url } : {}), ...(s3 ? { AWS_ENDPOINT_URL_S3: url } : {}) }),
      summary: (url) => [
        ...(tables.length ? [`DynamoDB on ${url} (AWS_ENDPOINT_URL_DYNAMODB):`, ...tables.map((table) => `  table ${table.name}${table.streamViewType ? `  stream ${table.streamViewType}` : ''}`)] : []),
        ...(s3 ? [`S3 on ${url} (AWS_ENDPOINT_URL_S3, path-style):`, ...buckets.map((bucket) => `  bucket ${bucket.name}`)] : []),
        ...notifications.map((notification) => `  s3://${notification.bucket} ${notification.events.join(', ')} -> ${notification.functionName}`),
        ...warnings.map((warning) => `  warning: ${warning}`),
      ],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
