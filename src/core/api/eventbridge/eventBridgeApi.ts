// EventBridge mounted on the AWS endpoint: the JSON 1.1 protocol (X-Amz-Target: AWSEvents.*) of the SDKs and the AWS CLI.
import { LocalEventBuses } from '../../service/eventBridge/localEventBuses';
import { LocalQueues } from '../../service/eventSources/localQueues';
import type { AwsService } from '../awsEndpoint';
import { JSON_1_1_COMMON_ERRORS, protocolService, type ProtocolAction } from '../protocolService';
import { eventBridgeActions, PUT_EVENTS_LIMIT } from './eventBridgeActions';
import { EVENTS_MODEL } from './eventbridgeModel.generated';

/** Ten entries at the PutEvents limit, with room for the JSON around them. */
const BODY_LIMIT = 4 * PUT_EVENTS_LIMIT;

/** The actions this endpoint serves, for `start --help` and the README. */
export function servedEventBridgeActions(): string[] {
  const queues = new LocalQueues();
  return Object.keys(eventBridgeActions(new LocalEventBuses({ invoke: () => Promise.reject(new Error('unused')), queues, warn: () => undefined }))).sort();
}

/** `buses` gives the workspace's buses at each request (the extension's service is replaced when templates change). */
export function eventBridgeApi(buses: () => Promise<LocalEventBuses>): AwsService {
  const actions: Record<string, ProtocolAction> = Object.fromEntries(servedEventBridgeActions().map((name) => [name, async (call) => {
    const current = await buses();
    await current.ready();
    return (eventBridgeActions(current)[name] as ProtocolAction)(call);
  }]));
  return protocolService({
    name: 'EventBridge (JSON 1.1 AWSEvents)',
    // Read at the first request of this service: esbuild.mjs defers the model's module until then (deferredModules).
    get model() {
      return EVENTS_MODEL;
    },
    jsonTargetPrefix: 'AWSEvents',
    signingName: 'events',
    queryCompatible: false,
    commonErrors: JSON_1_1_COMMON_ERRORS,
    validationErrorCode: 'ValidationException',
    missingMemberIsValidationError: true,
    bodyLimit: BODY_LIMIT,
    actions,
  });
}
