// The local AWS services every AWS endpoint serves beside the Lambda API (`start` and the extension mount the same list).
import type { LocalQueues } from '../service/eventSources/localQueues';
import type { LocalTopics } from '../service/topics/localTopics';
import type { AwsService } from './awsEndpoint';
import { snsApi } from './sns/snsApi';
import { sqsApi } from './sqs/sqsApi';

/** What the local services serve: the workspace's queues and topics, read at each request (the extension replaces its service). */
export interface LocalServiceState {
  readonly queues: LocalQueues;
  readonly topics: LocalTopics;
}

/** SQS and SNS (and the next local services) over the state of the service `current` gives. */
export function localServiceApis(current: () => Promise<LocalServiceState>): AwsService[] {
  return [sqsApi(async () => (await current()).queues), snsApi(async () => (await current()).topics)];
}
