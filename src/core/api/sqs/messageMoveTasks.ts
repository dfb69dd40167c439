// SQS message move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask): dead-letter queue redrives over the local queues.
import { randomUUID } from 'node:crypto';
import type { LocalQueue } from '../../service/eventSources/localQueue';
import type { LocalQueues } from '../../service/eventSources/localQueues';
import { ProtocolError } from '../protocolService';

/** ListMessageMoveTasks returns the most recent tasks of a queue, 10 at most. */
const LISTED_TASKS = 10;
const MAX_RATE = 500;
const SECOND_MS = 1000;

interface MoveTask {
  TaskHandle: string;
  Status: 'RUNNING' | 'COMPLETED' | 'CANCELLED';
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove: number;
  /** Epoch milliseconds. */
  StartedTimestamp: number;
}

/** A task and, while it runs, the timer of its next second's messages. */
interface TaskEntry {
  task: MoveTask;
  timer?: NodeJS.Timeout;
}

/** Each workspace's tasks (its LocalQueues), by source queue ARN, the newest first; the actions are made per request. */
const tasksOf = new WeakMap<LocalQueues, Map<string, TaskEntry[]>>();

/**
 * Without MaxNumberOfMessagesPerSecond a local queue moves its messages at once (SQS's "system optimized" rate has no
 * floor to keep here): the task is COMPLETED when StartMessageMoveTask answers. With one, the task moves that many
 * messages a second (scaled by the queues' time scale), the first second's at once, and is RUNNING until the messages it
 * counted at its start are moved: ListMessageMoveTasks shows its progress and CancelMessageMoveTask stops it. One task
 * runs per source queue at a time. Tasks are kept while `start` runs.
 */
export class MessageMoveTasks {
  private readonly tasks: Map<string, TaskEntry[]>;

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
    const entries = this.tasks.get(source.arn) ?? [];
    if (entries.some((entry) => entry.task.Status === 'RUNNING')) {
      throw new ProtocolError('UnsupportedOperation', 'Only one active message movement task is supported per queue at any given time.');
    }
    const entry: TaskEntry = {
      task: {
        TaskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString('base64'),
        Status: 'RUNNING',
        SourceArn: source.arn,
        ...(destination ? { DestinationArn: destination.arn } : {}),
        ...(rate !== undefined ? { MaxNumberOfMessagesPerSecond: rate } : {}),
        ApproximateNumberOfMessagesMoved: 0,
        ApproximateNumberOfMessagesToMove: source.redrivableCount(),
        StartedTimestamp: Date.now(),
      },
    };
    this.tasks.set(source.arn, [entry, ...entries].slice(0, LISTED_TASKS));
    this.moveSecond(entry, source, destination);
    return { TaskHandle: entry.task.TaskHandle };
  }

  list(input: { SourceArn: string; MaxResults?: number }): { Results: MoveTask[] } {
    const source = this.queueAt(input.SourceArn, 'SourceArn');
    const max = input.MaxResults ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > LISTED_TASKS) {
      throw new ProtocolError('InvalidParameterValue', `Value ${max} for parameter MaxResults is invalid. Reason: Must be an integer from 1 to ${LISTED_TASKS}.`);
    }
    return { Results: (this.tasks.get(source.arn) ?? []).slice(0, max).map((entry) => ({ ...entry.task })) };
  }

  /** Stops a RUNNING task; the messages it moved stay moved. */
  cancel(input: { TaskHandle: string }): { ApproximateNumberOfMessagesMoved: number } {
    const entry = [...this.tasks.values()].flat().find((candidate) => candidate.task.TaskHandle === input.TaskHandle);
    if (!entry) throw new ProtocolError('ResourceNotFoundException', 'The task handle does not name a message move task.');
    if (entry.task.Status !== 'RUNNING') {
      throw new ProtocolError('UnsupportedOperation', `Only a task whose status is RUNNING can be cancelled; this one is ${entry.task.Status}.`);
    }
    this.end(entry, 'CANCELLED');
    return { ApproximateNumberOfMessagesMoved: entry.task.ApproximateNumberOfMessagesMoved };
  }

  /** Moves one second's messages (all of them without a rate), then waits a second for the next, until the count is reached. */
  private moveSecond(entry: TaskEntry, source: LocalQueue, destination: LocalQueue | undefined): void {
    entry.timer = undefined;
    const { task } = entry;
    if (task.Status !== 'RUNNING' || !this.queues.open) return;
    const left = task.ApproximateNumberOfMessagesToMove - task.ApproximateNumberOfMessagesMoved;
    const { moved } = this.queues.redrive(source, destination, Math.min(left, task.MaxNumberOfMessagesPerSecond ?? Infinity));
    task.ApproximateNumberOfMessagesMoved += moved;
    // One pass without a rate; with one, a second that moved nothing (what is left has no source queue any more, or was
    // received meanwhile) ends the task.
    const done = task.MaxNumberOfMessagesPerSecond === undefined || moved === 0 || task.ApproximateNumberOfMessagesMoved >= task.ApproximateNumberOfMessagesToMove;
    if (done) {
      this.end(entry, 'COMPLETED');
      return;
    }
    entry.timer = setTimeout(() => this.moveSecond(entry, source, destination), SECOND_MS * this.queues.timeScale);
    entry.timer.unref();
  }

  private end(entry: TaskEntry, status: 'COMPLETED' | 'CANCELLED'): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.task.Status = status;
  }

  private queueAt(arn: string, parameter: string): LocalQueue {
    const queue = arn.startsWith('arn:') ? this.queues.find(arn) : undefined;
    if (!queue) throw new ProtocolError('ResourceNotFoundException', `The resource that you specified for the ${parameter} parameter doesn't exist.`);
    return queue;
  }
}
