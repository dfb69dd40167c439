// Kinesis mounted on the AWS endpoint: the JSON 1.1 protocol (X-Amz-Target: Kinesis_20131202.*), into the streams the event source mappings read.
import type { EventSources } from '../../service/eventSources/eventSources';
import type { AwsService } from '../awsEndpoint';
import { JSON_1_1_COMMON_ERRORS, protocolService } from '../protocolService';
import { kinesisActions } from './kinesisActions';
import { KINESIS_MODEL } from './kinesisModel.generated';

/** A PutRecords of 5 MiB of records, base64 in JSON. */
const BODY_LIMIT = 8 * 1024 * 1024;

export interface KinesisAccount {
  region: string;
  accountId: string;
}

/** The actions this endpoint serves, for `start --help` and the README. */
export function servedKinesisActions(): string[] {
  return Object.keys(kinesisActions(() => undefined, { region: 'us-east-1', accountId: '123456789012' })).sort();
}

/** `sources` gives the running event sources (none yet while `start` is starting: every stream is then unknown). */
export function kinesisApi(sources: () => EventSources | undefined, account: KinesisAccount): AwsService {
  return protocolService({
    name: 'Kinesis (JSON 1.1 Kinesis_20131202)',
    // Read at the first request of this service: esbuild.mjs defers the model's module until then (deferredModules).
    get model() {
      return KINESIS_MODEL;
    },
    jsonTargetPrefix: 'Kinesis_20131202',
    signingName: 'kinesis',
    errorNamespace: 'com.amazonaws.kinesis.v20131202',
    queryCompatible: false,
    commonErrors: JSON_1_1_COMMON_ERRORS,
    validationErrorCode: 'ValidationException',
    missingMemberIsValidationError: true,
    bodyLimit: BODY_LIMIT,
    actions: kinesisActions(sources, account),
  });
}
