// SQS mounted on the AWS endpoint: the JSON protocol (X-Amz-Target: AmazonSQS.*) of current SDKs and CLI v2, and the query protocol (Action=...).
import { LocalQueues } from '../../service/eventSources/localQueues';
import type { AwsService } from '../awsEndpoint';
import { protocolService, type ProtocolAction } from '../protocolService';
import { sqsActions } from './sqsActions';
import { SQS_MODEL } from './sqsModel.generated';

/** A SendMessageBatch of ten 1 MiB entries, with room for the JSON or form encoding around them. */
const BODY_LIMIT = 16 * 1024 * 1024;

/** The actions this endpoint serves, for `start --help` and the README. */
export function servedSqsActions(): string[] {
  return Object.keys(sqsActions(new LocalQueues())).sort();
}

/** `queues` gives the workspace's queues at each request (the extension's service is replaced when templates change). */
export function sqsApi(queues: () => Promise<LocalQueues>): AwsService {
  const actions: Record<string, ProtocolAction> = Object.fromEntries(servedSqsActions().map((name) => [name, async (call) => {
    const current = await queues();
    await current.ready();
    return (sqsActions(current)[name] as ProtocolAction)(call);
  }]));
  return protocolService({
    name: 'SQS (JSON 1.0 AmazonSQS, query 2012-11-05)',
    // Read at the first request of this service: esbuild.mjs defers the model's module until then (deferredModules).
    get model() {
      return SQS_MODEL;
    },
    jsonTargetPrefix: 'AmazonSQS',
    signingName: 'sqs',
    errorNamespace: 'com.amazonaws.sqs',
    queryCompatible: true,
    commonErrors: {
      InvalidParameterValue: { status: 400 },
      InvalidAttributeValue: { status: 400 },
      MissingParameter: { status: 400 },
      InvalidAction: { status: 400 },
      UnknownOperationException: { status: 400 },
      SerializationException: { status: 400 },
      RequestTooLong: { status: 400 },
      InternalFailure: { status: 500 },
    },
    validationErrorCode: 'InvalidParameterValue',
    bodyLimit: BODY_LIMIT,
    actions,
    // Query clients address a queue by posting to its URL: /<account>/<name>.
    implicitInput: (request, origin) => (/^\/\d{12}\/[^/]+$/.test(request.path) ? { QueueUrl: `${origin}${request.path}` } : {}),
  });
}
