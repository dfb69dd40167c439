// Delivers a stream mapping's on-failure record: to a function of the workspace, a local queue or a local SNS topic, or else to the log.
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../../common/errors';
import type { FunctionRegistry } from '../functionRegistry';
import type { LocalTopics } from '../topics/localTopics';
import type { LocalQueue } from './localQueue';
import type { StreamMapping } from './mappingConfig';
import type { EventSourceService, PollerContext } from './pollerContext';
import type { FailureSink } from './streamPoller';

export function failureDestination(
  service: EventSourceService,
  registry: FunctionRegistry,
  findQueue: (nameOrArn: string) => LocalQueue | undefined,
  context: PollerContext,
  topics?: LocalTopics,
): FailureSink {
  return async (mapping: StreamMapping, record: Record<string, unknown>) => {
    const body = JSON.stringify(record);
    const destination = mapping.onFailureDestination;
    const log = (text: string) => context.log(mapping.functionName, `${mapping.id}: ${text}`);
    if (destination === undefined) {
      return log(`records discarded (no DestinationConfig.OnFailure): ${body}`);
    }
    const functionName = /:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(destination)?.[1] ?? destination;
    if (registry.get(functionName)) {
      try {
        await service.invoke({ functionName, payload: Buffer.from(body), invocationType: 'Event' });
      } catch (error) {
        log(`could not send the on-failure record to ${functionName}: ${errorMessage(error)}; the record is: ${body}`);
      }
      return;
    }
    const queue = findQueue(destination);
    if (queue) {
      queue.send({ body, ...(queue.definition.fifo ? { messageGroupId: mapping.id, messageDeduplicationId: randomUUID() } : {}) });
      return;
    }
    if (topics && destination.startsWith('arn:aws:sns:')) {
      try {
        await topics.ready();
        // A topic that does not exist yet is made, so that nothing is lost (as if the stack had created it).
        const topic = topics.find(destination) ?? topics.create(destination.split(':').pop() as string);
        const fifo = topic.attributes.FifoTopic === 'true' ? { messageGroupId: mapping.id, messageDeduplicationId: randomUUID() } : {};
        await topics.publish(topic, { message: body, ...fifo });
      } catch (error) {
        log(`could not publish the on-failure record to ${destination}: ${errorMessage(error)}; the record is: ${body}`);
      }
      return;
    }
    log(`OnFailure destination ${destination} is not a function, queue or topic of this workspace; the record is: ${body}`);
  };
}
