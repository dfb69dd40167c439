// SNS mounted on the AWS endpoint: the query protocol (Action=..., SigV4 scope sns) that the SDKs and the AWS CLI speak.
import type { LocalTopics } from '../../service/topics/localTopics';
import type { AwsService } from '../awsEndpoint';
import { protocolService, type ProtocolAction } from '../protocolService';
import { snsActions } from './snsActions';
import { SNS_MODEL } from './snsModel.generated';

/** A PublishBatch of 256 KB, form-encoded (up to three bytes per byte), with the attributes around it. */
const BODY_LIMIT = 2 * 1024 * 1024;

/** The actions this endpoint serves, for `start --help` and the README. */
export function servedSnsActions(): string[] {
  return Object.keys(snsActions({} as LocalTopics)).sort();
}

/** `topics` gives the workspace's topics at each request (the extension's service is replaced when templates change). */
export function snsApi(topics: () => Promise<LocalTopics>): AwsService {
  const actions: Record<string, ProtocolAction> = Object.fromEntries(servedSnsActions().map((name) => [name, async (call) => {
    const current = await topics();
    await current.ready();
    return (snsActions(current)[name] as ProtocolAction)(call);
  }]));
  return protocolService({
    name: 'SNS (query 2010-03-31)',
    // Read at the first request of this service: esbuild.mjs defers the model's module until then (deferredModules).
    get model() {
      return SNS_MODEL;
    },
    signingName: 'sns',
    errorNamespace: 'com.amazonaws.sns',
    queryCompatible: false,
    commonErrors: {
      ValidationError: { status: 400 },
      InvalidAction: { status: 400 },
      MissingParameter: { status: 400 },
      RequestTooLong: { status: 400 },
      InternalFailure: { status: 500 },
    },
    validationErrorCode: 'ValidationError',
    missingMemberIsValidationError: true,
    bodyLimit: BODY_LIMIT,
    actions,
  });
}
