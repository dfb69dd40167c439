// Delivers a stream mapping's on-failure record: to a function of the workspace, to a local queue, or else to the log.
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../../common/errors';
import type { FunctionRegistry } from '../functionRegistry';
import type { LocalQueue } from './localQueue';
import type { StreamMapping } from './mappingConfig';
import type { EventSourceService, PollerContext } from './pollerContext';
import type { FailureSink } from './streamPoller';

export function failureDestination(
  service: EventSourceService,
  registry: FunctionRegistry,
  findQueue: (nameOrArn: string) => LocalQueue | undefined,
  context: PollerContext,
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
    log(`OnFailure destination ${destination} is not a function or queue of this workspace; the record is: ${body}`);
  };
}
