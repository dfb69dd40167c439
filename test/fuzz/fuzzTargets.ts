// The table of HTTP servers the fuzz suite attacks: one entry per server, each with its routes, a probe and its error shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { eventBridgeApi } from '../../src/core/api/eventbridge/eventBridgeApi';
import { startFunctionUrls } from '../../src/core/api/functionUrls';
import { startInvokeApi } from '../../src/core/api/invokeApi';
import { sqsApi } from '../../src/core/api/sqs/sqsApi';
import { SQS_MODEL } from '../../src/core/api/sqs/sqsModel.generated';
import { EVENTS_MODEL } from '../../src/core/api/eventbridge/eventbridgeModel.generated';
import { KINESIS_MODEL } from '../../src/core/api/kinesis/kinesisModel.generated';
import { localServiceApis } from '../../src/core/api/localServiceApis';
import { SNS_MODEL } from '../../src/core/api/sns/snsModel.generated';
import { DYNALITE_OPERATIONS, DYNAMODB_TARGET_PREFIX } from '../../src/core/data/dynamoDbEngine';
import { tableStreams } from '../../src/core/data/dynamoDbStreamCapture';
import { startLocalData } from '../../src/core/data/localData';
import { startLocalGateway } from '../../src/core/gateway/localGateway';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { RuntimeApiServer } from '../../src/core/runtimeApi/runtimeApiServer';
import { EventSources } from '../../src/core/service/eventSources/eventSources';
import { startEventSourcesApi } from '../../src/core/service/eventSources/eventSourcesApi';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';
import type { RawAnswer } from './rawHttp';
import { localCodeRoots } from '../../src/core/api/lambda/localCodePaths';

export interface FuzzRoute {
  /** A path the server routes, with `{id}` where an identifier goes (fuzzed). */
  path: string;
  /** Methods the route serves; every other method must get a 4xx. */
  methods: string[];
  /** The route reads a JSON body. */
  json?: boolean;
  /** Largest body the route accepts (a bigger one must get a 4xx). */
  bodyLimit?: number;
}

/** An AWS protocol a server speaks besides its routes: requests told apart by X-Amz-Target (JSON) or Action= (query). */
export interface ProtocolFuzz {
  service: string;
  kind: 'json' | 'query';
  /** JSON protocol: the X-Amz-Target prefix and the content type its clients send. */
  targetPrefix?: string;
  contentType?: string;
  /** Operations of the service's model (and random names besides). */
  operations: string[];
  /** Input member names (JSON) or parameter names (query) the fuzzed inputs use, with random values. */
  members: string[];
  /** Values worth trying for any member (a real queue URL, names that exist). */
  values: string[];
  /** Paths requests go to (query clients post to a queue's URL). */
  paths: string[];
}

export interface RunningTarget {
  port: number;
  routes: FuzzRoute[];
  /** A request line and body the server answers with a 2xx: proves it still serves. */
  probe: { method: string; path: string; body?: string };
  /** A server for web pages (API Gateway, function URLs): foreign Origins are its CORS configuration's business. */
  servesPages?: boolean;
  /** The AWS protocols it serves on its routes, attacked by their own property. */
  protocols?: ProtocolFuzz[];
  /** Whether an error answer has the form this server's clients expect (AWS's, or the RIE's for the Runtime API). */
  isErrorShape(answer: RawAnswer): boolean;
  close(): Promise<void>;
}

export interface FuzzTarget {
  name: string;
  start(shared: SharedEngine): Promise<RunningTarget>;
}

const FUZZ_FIXTURE_DIR = path.resolve(__dirname, '../../../test/fixtures/fuzz');

/** One engine for every target: a service over the fuzz fixture and its event sources. */
export class SharedEngine {
  readonly stateDir = mkdtempSync(path.join(tmpdir(), 'lwb-fuzz-'));
  /** The fixture's folder and the state directory: where the Lambda API's local code paths may be. */
  readonly localCodeRoots = localCodeRoots([FUZZ_FIXTURE_DIR], this.stateDir);
  readonly registry: FunctionRegistry;
  readonly service: LambdaService;
  private sources?: EventSources;

  private constructor(registry: FunctionRegistry) {
    this.registry = registry;
    this.service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir: this.stateDir });
  }

  static async start(): Promise<SharedEngine> {
    return new SharedEngine(await FunctionRegistry.fromTemplates([path.join(FUZZ_FIXTURE_DIR, 'template.yaml')]));
  }

  async eventSources(): Promise<EventSources> {
    this.sources ??= await EventSources.start(this.service, this.registry, { timeScale: 0.01 });
    return this.sources;
  }

  async dispose(): Promise<void> {
    await this.sources?.dispose();
    await this.service.dispose();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

const json = (answer: RawAnswer): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(answer.body.toString('utf8'));
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
};

/** AWS JSON errors: x-amzn-ErrorType names the exception, the body carries Type and message. */
const awsError = (answer: RawAnswer) => {
  if (!answer.headers['x-amzn-errortype'] || !answer.headers['x-amzn-requestid']) return false;
  const body = json(answer);
  return answer.body.length === 0 || (typeof body?.message === 'string' && (body.Type === 'User' || body.Type === 'Service'));
};

/** The JSON protocols' errors ({"__type", "message"} with x-amzn-ErrorType) and the query protocol's <ErrorResponse> XML. */
const protocolError = (answer: RawAnswer) => {
  if (!answer.headers['x-amzn-requestid']) return false;
  if (answer.body.length === 0) return true;
  if (/^text\/xml/.test(answer.headers['content-type'] ?? '')) return /^<\?xml[^>]*\?>\s*<ErrorResponse[\s>][\s\S]*<Code>[^<]+<\/Code>[\s\S]*<\/ErrorResponse>\s*$/.test(answer.body.toString());
  const body = json(answer);
  return typeof answer.headers['x-amzn-errortype'] === 'string' && typeof body?.__type === 'string' && typeof body.message === 'string';
};

/** DynamoDB's errors as dynalite writes them: {"__type", "message"} with a request id (a SerializationException has no message, as DynamoDB's). */
const dynamoDbError = (answer: RawAnswer) => {
  const body = json(answer);
  const message = body?.message ?? body?.Message;
  return Boolean(answer.headers['x-amzn-requestid']) && typeof body?.__type === 'string' && (message === undefined || typeof message === 'string');
};

/** S3's REST-XML errors: <Error><Code>...</Code>...</Error> (HEAD answers carry no body). */
const s3Error = (answer: RawAnswer) =>
  answer.body.length === 0 || /^<\?xml[^>]*\?>\s*<Error>[\s\S]*<Code>[^<]+<\/Code>[\s\S]*<\/Error>\s*$/.test(answer.body.toString());

const SIX_MB = 6 * 1024 * 1024;

/**
 * Every HTTP server we run. A server added to the product (the management API, API Gateway, local SQS/SNS) is one more
 * entry here: how to start it on the shared engine, its routes, a probe, and its error shape.
 */
export const FUZZ_TARGETS: FuzzTarget[] = [
  {
    name: 'Invoke API',
    async start(shared) {
      const api = await startInvokeApi(shared.service, { port: 0, localCodeRoots: shared.localCodeRoots });
      return {
        port: api.port,
        routes: [
          { path: '/2015-03-31/functions/{id}/invocations', methods: ['POST'], json: true, bodyLimit: SIX_MB },
          { path: '/2015-03-31/functions/FuzzFunction/invocations', methods: ['POST'], json: true, bodyLimit: SIX_MB },
          { path: '/2015-03-31/functions/{id}', methods: ['GET'] },
          { path: '/2015-03-31/functions/{id}/configuration', methods: ['GET'] },
          { path: '/2015-03-31/functions', methods: ['GET'] },
        ],
        probe: { method: 'POST', path: '/2015-03-31/functions/FuzzFunction/invocations', body: '{"probe":true}' },
        isErrorShape: awsError,
        close: () => api.close(),
      };
    },
  },
  {
    name: 'function URL',
    async start(shared) {
      const urls = await startFunctionUrls(shared.service, { basePort: 0 });
      const port = Number(new URL(urls.endpoints[0]?.url ?? '').port);
      return {
        port,
        // Every path and method reaches the function; only what it cannot take (too large, unparsable) is refused.
        routes: [{ path: '/{id}', methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'], bodyLimit: SIX_MB }],
        probe: { method: 'GET', path: '/probe?mode=string' },
        servesPages: true,
        isErrorShape: (answer) => {
          if (!answer.headers['x-amzn-requestid']) return false;
          if (answer.status === 502) return answer.body.toString() === 'Internal Server Error';
          return answer.body.length === 0 || typeof json(answer)?.Message === 'string';
        },
        close: () => urls.close(),
      };
    },
  },
  {
    name: 'API Gateway',
    async start(shared) {
      const gateway = await startLocalGateway(shared.service, shared.registry, { port: 0 });
      if (!gateway) throw new Error('the fuzz fixture declares an HTTP API');
      return {
        port: gateway.server.port,
        routes: [
          { path: '/items/{id}', methods: ['*'], json: true, bodyLimit: 10 * 1024 * 1024 },
          // No route: every method is a 404.
          { path: '/nothing/{id}', methods: [] },
        ],
        probe: { method: 'GET', path: '/items/probe' },
        servesPages: true,
        isErrorShape: (answer) => answer.body.length === 0 || typeof json(answer)?.message === 'string',
        close: () => gateway.close(),
      };
    },
  },
  {
    name: 'Runtime API',
    async start() {
      const server = await RuntimeApiServer.start();
      return {
        port: server.port,
        // GET /next is left out: it long-polls until an invocation comes, by design.
        routes: [
          { path: '/2018-06-01/runtime/invocation/{id}/response', methods: ['POST'], bodyLimit: SIX_MB + 100 },
          { path: '/2018-06-01/runtime/invocation/{id}/error', methods: ['POST'] },
          { path: '/2018-06-01/runtime/init/error', methods: ['POST'] },
          { path: '/2018-06-01/ping', methods: ['GET'] },
        ],
        probe: { method: 'GET', path: '/2018-06-01/ping' },
        // As the RIE answers: JSON {errorMessage, errorType} for API errors, Go's plain-text lines for routing and parsing.
        isErrorShape: (answer) => {
          const body = json(answer);
          if (answer.body.length === 0) return true; // HEAD: headers only
          if (typeof body?.errorType === 'string' && typeof body.errorMessage === 'string') return true;
          const text = answer.body.toString();
          return /^text\/plain/.test(answer.headers['content-type'] ?? '') && (text === '' || /^\d{3} /.test(text));
        },
        close: () => server.close(),
      };
    },
  },
  {
    name: 'event sources endpoint',
    async start(shared) {
      const api = await startEventSourcesApi(await shared.eventSources(), { port: 0 });
      return {
        port: api.port,
        routes: [
          { path: '/queues/{id}/messages', methods: ['GET', 'POST'], json: true, bodyLimit: 8 * 1024 * 1024 },
          { path: '/queues/FuzzQueue/messages', methods: ['GET', 'POST'], json: true, bodyLimit: 8 * 1024 * 1024 },
          { path: '/streams/{id}/records', methods: ['POST'], json: true },
          { path: '/streams/{id}/changes', methods: ['POST'], json: true },
          { path: '/', methods: ['GET'] },
        ],
        probe: { method: 'GET', path: '/' },
        isErrorShape: (answer) => {
          const body = json(answer);
          return answer.body.length === 0 || (typeof body?.errorType === 'string' && typeof body.message === 'string');
        },
        close: () => api.close(),
      };
    },
  },
  {
    name: 'AWS endpoint: SQS and EventBridge',
    async start(shared) {
      const service = shared.service;
      const api = await startInvokeApi(service, { port: 0, localCodeRoots: shared.localCodeRoots, services: [sqsApi(async () => service.queues), eventBridgeApi(async () => service.eventBuses)] });
      await service.queues.ready();
      service.queues.create({ name: 'FuzzTarget' });
      const queueUrl = `${api.url}/123456789012/FuzzTarget`;
      const sqsMembers = ['QueueUrl', 'QueueName', 'MessageBody', 'Attributes', 'Entries', 'MaxNumberOfMessages', 'VisibilityTimeout', 'ReceiptHandle',
        'AttributeNames', 'MessageSystemAttributeNames', 'MessageAttributes', 'DelaySeconds', 'MessageGroupId', 'MessageDeduplicationId', 'tags', 'Id', 'NextToken', 'MaxResults'];
      return {
        port: api.port,
        routes: [
          { path: '/', methods: ['POST'], json: true },
          { path: '/123456789012/{id}', methods: ['POST'] },
        ],
        probe: { method: 'GET', path: '/?Action=ListQueues' },
        protocols: [
          {
            service: 'SQS', kind: 'json', targetPrefix: 'AmazonSQS', contentType: 'application/x-amz-json-1.0',
            operations: Object.keys(SQS_MODEL.operations), members: sqsMembers, values: [queueUrl, 'FuzzTarget', 'All'], paths: ['/'],
          },
          {
            service: 'SQS', kind: 'query', operations: Object.keys(SQS_MODEL.operations),
            members: ['QueueUrl', 'QueueName', 'MessageBody', 'Attribute.1.Name', 'Attribute.1.Value', 'Attribute.2.Name', 'SendMessageBatchRequestEntry.1.Id',
              'SendMessageBatchRequestEntry.1.MessageBody', 'DeleteMessageBatchRequestEntry.1.Id', 'MessageAttribute.1.Name', 'MessageAttribute.1.Value.DataType',
              'MessageAttribute.1.Value.StringValue', 'MessageAttribute.1.Value.BinaryValue', 'AttributeName.1', 'MaxNumberOfMessages', 'ReceiptHandle', 'DelaySeconds', 'Tag.1.Key'],
            values: [queueUrl, 'FuzzTarget', 'All', 'Binary', 'String', 'Number'], paths: ['/', '/123456789012/FuzzTarget', '/123456789012/nope', '/123456789012/'],
          },
          {
            service: 'EventBridge', kind: 'json', targetPrefix: 'AWSEvents', contentType: 'application/x-amz-json-1.1',
            operations: Object.keys(EVENTS_MODEL.operations),
            members: ['Entries', 'Name', 'EventPattern', 'Event', 'Rule', 'Targets', 'Ids', 'EventBusName', 'Limit', 'NextToken', 'NamePrefix', 'State', 'ScheduleExpression',
              'Description', 'TargetArn', 'Source', 'DetailType', 'Detail', 'Resources', 'Time', 'Id', 'Arn', 'Input', 'InputPath', 'InputTransformer', 'InputTemplate', 'InputPathsMap'],
            values: ['default', 'fuzz-rule', 'arn:aws:sqs:us-east-1:123456789012:FuzzTarget', 'arn:aws:lambda:us-east-1:123456789012:function:FuzzFunction', '$.detail', 'ENABLED'],
            paths: ['/'],
          },
        ],
        isErrorShape: (answer) => protocolError(answer) || awsError(answer),
        close: () => api.close(),
      };
    },
  },
  {
    name: 'AWS endpoint: SNS and Kinesis',
    async start(shared) {
      const service = shared.service;
      const sources = await shared.eventSources();
      // The local services as `start` mounts them: SQS, SNS and EventBridge over the service, Kinesis into the event sources' streams.
      const api = await startInvokeApi(service, {
        port: 0,
        localCodeRoots: shared.localCodeRoots,
        services: localServiceApis(async () => service, { sources: () => sources, account: service.queues }),
      });
      await service.topics.ready();
      const topicArn = service.topics.create('FuzzTopic').arn;
      return {
        port: api.port,
        routes: [
          { path: '/', methods: ['POST'], json: true },
          { path: '/?Action=GetTopicAttributes&TopicArn=arn:aws:sns:us-east-1:123456789012:{id}', methods: ['GET', 'POST'] },
        ],
        probe: { method: 'GET', path: '/?Action=ListTopics' },
        protocols: [
          {
            service: 'SNS', kind: 'query', operations: Object.keys(SNS_MODEL.operations),
            members: ['TopicArn', 'Name', 'Message', 'Subject', 'MessageStructure', 'Protocol', 'Endpoint', 'SubscriptionArn', 'Token', 'AttributeName', 'AttributeValue',
              'Attributes.entry.1.key', 'Attributes.entry.1.value', 'Tags.member.1.Key', 'Tags.member.1.Value', 'MessageAttributes.entry.1.Name',
              'MessageAttributes.entry.1.Value.DataType', 'MessageAttributes.entry.1.Value.StringValue', 'MessageAttributes.entry.1.Value.BinaryValue',
              'PublishBatchRequestEntries.member.1.Id', 'PublishBatchRequestEntries.member.1.Message', 'MessageGroupId', 'MessageDeduplicationId', 'NextToken', 'ReturnSubscriptionArn'],
            values: [topicArn, 'FuzzTopic', 'lambda', 'sqs', 'http', 'json', 'String', 'Binary', 'Number', 'String.Array', 'arn:aws:lambda:us-east-1:123456789012:function:FuzzFunction',
              'arn:aws:sqs:us-east-1:123456789012:FuzzTarget', `${topicArn}:00000000-0000-0000-0000-000000000000`, 'RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope'],
            paths: ['/'],
          },
          {
            service: 'Kinesis', kind: 'json', targetPrefix: 'Kinesis_20131202', contentType: 'application/x-amz-json-1.1',
            operations: Object.keys(KINESIS_MODEL.operations),
            members: ['StreamName', 'StreamARN', 'ShardCount', 'Data', 'PartitionKey', 'ExplicitHashKey', 'SequenceNumberForOrdering', 'Records', 'Limit', 'NextToken',
              'ExclusiveStartStreamName', 'ShardId', 'ShardIteratorType', 'StartingSequenceNumber', 'Timestamp', 'StreamModeDetails', 'MaxResults', 'ShardFilter'],
            values: ['FuzzStream', 'arn:aws:kinesis:us-east-1:123456789012:stream/FuzzStream', 'aGVsbG8=', 'not base64!', 'TRIM_HORIZON', 'shardId-000000000000', '340282366920938463463374607431768211456'],
            paths: ['/'],
          },
        ],
        isErrorShape: (answer) => protocolError(answer) || awsError(answer),
        close: () => api.close(),
      };
    },
  },
  {
    name: 'AWS endpoint: DynamoDB and S3',
    async start(shared) {
      const service = shared.service;
      const sources = await shared.eventSources();
      // As `start` mounts them: dynalite before the other services (X-Amz-Target), s3rver after them all (any remaining path).
      const data = await startLocalData(service, shared.registry, { stateDir: shared.stateDir, streams: tableStreams(() => sources) });
      if (!data?.fallback) throw new Error('the fuzz fixture declares a table and a bucket');
      const api = await startInvokeApi(service, {
        port: 0,
        localCodeRoots: shared.localCodeRoots,
        services: [...localServiceApis(async () => service, { sources: () => sources, account: service.queues }), ...data.services],
        fallback: data.fallback,
      }).catch(async (error: unknown) => {
        await data.close();
        throw error;
      });
      return {
        port: api.port,
        routes: [
          { path: '/fuzz-bucket/{id}', methods: ['GET', 'PUT', 'DELETE', 'HEAD', 'POST'] },
          { path: '/{id}', methods: ['GET', 'PUT', 'DELETE', 'HEAD', 'POST'] },
        ],
        // ListBuckets: the fuzzed DeleteBucket may remove fuzz-bucket.
        probe: { method: 'GET', path: '/' },
        protocols: [
          {
            service: 'DynamoDB', kind: 'json', targetPrefix: DYNAMODB_TARGET_PREFIX, contentType: 'application/x-amz-json-1.0',
            operations: [...DYNALITE_OPERATIONS, 'TransactWriteItems', 'ExecuteStatement'],
            members: ['TableName', 'Key', 'Item', 'KeyConditionExpression', 'FilterExpression', 'UpdateExpression', 'ConditionExpression', 'ProjectionExpression',
              'ExpressionAttributeNames', 'ExpressionAttributeValues', 'RequestItems', 'Limit', 'ExclusiveStartKey', 'KeySchema', 'AttributeDefinitions',
              'BillingMode', 'ReturnValues', 'IndexName', 'Select', 'ScanIndexForward', 'Segment', 'TotalSegments', 'StreamSpecification', 'ResourceArn', 'Tags'],
            values: ['FuzzTable', 'id', 'S', 'HASH', 'PAY_PER_REQUEST', 'ALL_NEW', '#k = :v', 'attribute_exists(id)', 'SET a = :v', 'arn:aws:dynamodb:us-east-1:123456789012:table/FuzzTable'],
            paths: ['/'],
          },
        ],
        isErrorShape: (answer) => dynamoDbError(answer) || s3Error(answer) || protocolError(answer) || awsError(answer),
        close: async () => {
          await api.close();
          await data.close();
        },
      };
    },
  },
];
