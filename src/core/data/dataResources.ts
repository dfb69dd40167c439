// Reads the DynamoDB tables (AWS::DynamoDB::Table, AWS::Serverless::SimpleTable) and S3 buckets (AWS::S3::Bucket) a template declares.
import { errorMessage } from '../common/errors';
import { ResourceValues, type StreamViewType } from '../service/eventSources/templateResources';
import { findUnresolved, IntrinsicResolver } from '../template/intrinsicResolver';
import { resourceAttribute } from '../template/resourceAttributes';
import { isRecord, readTemplateDocument } from '../template/templateDocument';
import { parameterValues } from '../template/templateParameters';

export interface TableDefinition {
  logicalId: string;
  name: string;
  arn: string;
  /** The DynamoDB CreateTable input that makes the table locally. */
  createTable: Record<string, unknown>;
  /** Set when the table has a stream (StreamSpecification). */
  streamViewType?: StreamViewType;
}

/** One LambdaConfiguration of a bucket's NotificationConfiguration. */
export interface BucketLambdaConfiguration {
  /** s3:ObjectCreated:*, s3:ObjectRemoved:Delete, ... */
  event: string;
  functionArn: string;
  /** Filter.S3Key.Rules as written (Name prefix / suffix, Value). */
  rules: { name: string; value: string }[];
}

export interface BucketDefinition {
  logicalId: string;
  name: string;
  arn: string;
  lambdaConfigurations: BucketLambdaConfiguration[];
}

export interface TemplateDataResources {
  tables: TableDefinition[];
  buckets: BucketDefinition[];
}

const SIMPLE_TABLE_TYPES: Record<string, string> = { String: 'S', Number: 'N', Binary: 'B' };
const STREAM_VIEW_TYPES: StreamViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

/** Reads every template once; what cannot be used locally is left out with a warning. */
export async function readTemplateDataResources(
  templatePaths: string[],
  parameterOverrides: Record<string, string>,
  warnings: string[],
): Promise<TemplateDataResources> {
  const result: TemplateDataResources = { tables: [], buckets: [] };
  for (const templatePath of templatePaths) {
    // A template deleted or broken since its functions were loaded: its resources are left out, the others are read.
    const doc = await readTemplateDocument(templatePath).catch((error: unknown) => void warnings.push(`${templatePath}: ${errorMessage(error)}`));
    if (!doc) continue;
    const resolver = IntrinsicResolver.forDocument(doc, parameterValues(doc, parameterOverrides, warnings));
    for (const [id, resource] of Object.entries(doc.resources)) {
      const read = new ResourceValues(id, resource, resolver, warnings);
      const name = resolver.physicalName(id);
      const arn = resourceAttribute(resource.type, name, 'Arn', resolver.arnContext) ?? name;
      if (resource.type === 'AWS::DynamoDB::Table') result.tables.push({ logicalId: id, name, arn, ...dynamoDbTable(id, name, read, warnings) });
      else if (resource.type === 'AWS::Serverless::SimpleTable') result.tables.push({ logicalId: id, name, arn, createTable: simpleTable(id, name, read, warnings) });
      else if (resource.type === 'AWS::S3::Bucket') result.buckets.push({ logicalId: id, name, arn, lambdaConfigurations: lambdaConfigurations(id, read, warnings) });
    }
  }
  return result;
}

/** CreateTable from the resource's properties (CloudFormation writes them as the API takes them, numbers maybe as text). */
function dynamoDbTable(id: string, name: string, read: ResourceValues, warnings: string[]): Pick<TableDefinition, 'createTable' | 'streamViewType'> {
  const keySchema = read.value('KeySchema');
  const attributes = read.value('AttributeDefinitions');
  const createTable: Record<string, unknown> = { TableName: name, KeySchema: keySchema, AttributeDefinitions: attributes };
  const throughput = capacity(read.value('ProvisionedThroughput'));
  const billingMode = read.value('BillingMode');
  if (billingMode === 'PAY_PER_REQUEST' || !throughput) {
    if (billingMode !== 'PAY_PER_REQUEST') warnings.push(`${id}: neither BillingMode PAY_PER_REQUEST nor ProvisionedThroughput is set (CloudFormation needs one); the local table is on demand.`);
    createTable.BillingMode = 'PAY_PER_REQUEST';
  } else {
    createTable.BillingMode = 'PROVISIONED';
    createTable.ProvisionedThroughput = throughput;
  }
  const onDemand = createTable.BillingMode === 'PAY_PER_REQUEST';
  const globalIndexes = read.value('GlobalSecondaryIndexes');
  if (Array.isArray(globalIndexes) && globalIndexes.length) {
    createTable.GlobalSecondaryIndexes = globalIndexes.filter(isRecord).map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      // dynalite, as DynamoDB, refuses index capacity on an on-demand table and needs it on a provisioned one.
      ...(onDemand ? {} : { ProvisionedThroughput: capacity(index.ProvisionedThroughput) ?? createTable.ProvisionedThroughput }),
    }));
  }
  const localIndexes = read.value('LocalSecondaryIndexes');
  if (Array.isArray(localIndexes) && localIndexes.length) {
    createTable.LocalSecondaryIndexes = localIndexes.filter(isRecord).map((index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection }));
  }
  const viewType = read.value(['StreamSpecification', 'StreamViewType']);
  if (viewType === undefined) return { createTable };
  const streamViewType = STREAM_VIEW_TYPES.find((type) => type === viewType) ?? 'NEW_AND_OLD_IMAGES';
  return { createTable, streamViewType };
}

/** SAM's SimpleTable: one hash key (PrimaryKey, default id of type String), on demand unless ProvisionedThroughput is set. */
function simpleTable(id: string, name: string, read: ResourceValues, warnings: string[]): Record<string, unknown> {
  const primaryKey = read.value('PrimaryKey');
  const keyName = isRecord(primaryKey) && typeof primaryKey.Name === 'string' ? primaryKey.Name : 'id';
  const keyType = isRecord(primaryKey) && typeof primaryKey.Type === 'string' ? primaryKey.Type : 'String';
  const attributeType = SIMPLE_TABLE_TYPES[keyType];
  if (!attributeType) warnings.push(`${id}: PrimaryKey.Type must be String, Number or Binary, got '${keyType}'; String is used.`);
  const throughput = capacity(read.value('ProvisionedThroughput'));
  return {
    TableName: name,
    KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: keyName, AttributeType: attributeType ?? 'S' }],
    ...(throughput ? { BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput } : { BillingMode: 'PAY_PER_REQUEST' }),
  };
}

function capacity(value: unknown): { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined {
  if (!isRecord(value)) return undefined;
  const read = Number(value.ReadCapacityUnits);
  const write = Number(value.WriteCapacityUnits);
  return Number.isInteger(read) && Number.isInteger(write) && read > 0 && write > 0 ? { ReadCapacityUnits: read, WriteCapacityUnits: write } : undefined;
}

function lambdaConfigurations(id: string, read: ResourceValues, warnings: string[]): BucketLambdaConfiguration[] {
  const configurations = read.value(['NotificationConfiguration', 'LambdaConfigurations']);
  if (!Array.isArray(configurations)) return [];
  return configurations.flatMap((configuration, index) => {
    const event = isRecord(configuration) ? configuration.Event : undefined;
    const functionArn = isRecord(configuration) ? configuration.Function : undefined;
    if (typeof event !== 'string' || typeof functionArn !== 'string' || findUnresolved(configuration)) {
      warnings.push(`${id}: NotificationConfiguration.LambdaConfigurations[${index}] needs an Event and a Function ARN of this template; it is ignored.`);
      return [];
    }
    return [{ event, functionArn, rules: filterRules(isRecord(configuration) ? configuration.Filter : undefined) }];
  });
}

/** Filter.S3Key.Rules: [{Name: prefix | suffix, Value}] (the names are case-insensitive, as S3 takes them). */
export function filterRules(filter: unknown): { name: string; value: string }[] {
  const rules = isRecord(filter) && isRecord(filter.S3Key) ? filter.S3Key.Rules : undefined;
  if (!Array.isArray(rules)) return [];
  return rules.filter(isRecord).map((rule) => ({ name: String(rule.Name).toLowerCase(), value: String(rule.Value ?? '') }));
}
