// SQS message move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask): dead-letter queue redrives over the local queues.
import { randomUUID } from 'node:crypto';
import type { LocalQueue } from '../../service/eventSources/localQueue';
import type { LocalQueues } from '../../service/eventSources/localQueues';
import { ProtocolError } from '../protocolService';

/** ListMessageMoveTasks returns the most recent tasks of a queue, 10 at most. */
const LISTED_TASKS = 10;
const MAX_RATE = 500;

interface MoveTask {
  TaskHandle: string;
  Status: 'COMPLETED';
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove: number;
  /** Epoch milliseconds. */
  StartedTimestamp: number;
}

/** Each workspace's tasks (its LocalQueues), by source queue ARN, the newest first; the actions are made per request. */
const tasksOf = new WeakMap<LocalQueues, Map<string, MoveTask[]>>();

/**
 * A local queue moves its messages at once: a task is COMPLETED when StartMessageMoveTask answers (the rate is
 * accepted and kept, not applied), so there is never a RUNNING task to cancel. Tasks are kept while `start` runs.
 */
export class MessageMoveTasks {
  private readonly tasks: Map<string, MoveTask[]>;

  constructor(private readonly queues: LocalQueues) {
    let tasks = tasksOf.get(queues);
    if (!tasks) tasksOf.set(queues, (tasks = new Map()));
    this.tasks = tasks;
  }

  start(input: { SourceArn: string; DestinationArn?: string; MaxNumberOfMessagesPerSecond?: number }): { TaskHandle: string } {
    const source = this.queueAt(input.SourceArn, 'SourceArn');
    if (this.queues.deadLetterSources(source).length === 0) {
      throw new ProtocolError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
    }
    const destination = input.DestinationArn === undefined ? undefined : this.queueAt(input.DestinationArn, 'DestinationArn');
    const rate = input.MaxNumberOfMessagesPerSecond;
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE)) {
      throw new ProtocolError('InvalidParameterValue', `Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be an integer from 1 to ${MAX_RATE}.`);
    }
    const { moved, kept } = this.queues.redrive(source, destination);
    const task: MoveTask = {
      TaskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString('base64'),
      Status: 'COMPLETED',
      SourceArn: source.arn,
      ...(destination ? { DestinationArn: destination.arn } : {}),
      ...(rate !== undefined ? { MaxNumberOfMessagesPerSecond: rate } : {}),
      ApproximateNumberOfMessagesMoved: moved,
      ApproximateNumberOfMessagesToMove: moved + kept,
      StartedTimestamp: Date.now(),
    };
    this.tasks.set(source.arn, [task, ...(this.tasks.get(source.arn) ?? [])].slice(0, LISTED_TASKS));
    return { TaskHandle: task.TaskHandle };
  }

  list(input: { SourceArn: string; MaxResults?: number }): { Results: MoveTask[] } {
    const source = this.queueAt(input.SourceArn, 'SourceArn');
    const max = input.MaxResults ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > LISTED_TASKS) {
      throw new ProtocolError('InvalidParameterValue', `Value ${max} for parameter MaxResults is invalid. Reason: Must be an integer from 1 to ${LISTED_TASKS}.`);
    }
    return { Results: (this.tasks.get(source.arn) ?? []).slice(0, max) };
  }

  cancel(input: { TaskHandle: string }): never {
    const task = [...this.tasks.values()].flat().find((candidate) => candidate.TaskHandle === input.TaskHandle);
    if (!task) throw new ProtocolError('ResourceNotFoundException', 'The task handle does not name a message move task.');
    throw new ProtocolError('InvalidParameterValue', `Only a task whose status is RUNNING can be cancelled; this one is ${task.Status}.`);
  }

  private queueAt(arn: string, parameter: string): LocalQueue {
    const queue = arn.startsWith('arn:') ? this.queues.find(arn) : undefined;
    if (!queue) throw new ProtocolError('ResourceNotFoundException', `The resource that you specified for the ${parameter} parameter doesn't exist.`);
    return queue;
  }
}
