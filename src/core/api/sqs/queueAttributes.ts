// SQS queue attributes: what Get/SetQueueAttributes and CreateQueue read and write, with SQS's ranges and error wording.
import type { LocalQueue } from '../../service/eventSources/localQueue';
import { MAX_MESSAGE_BYTES } from '../../service/eventSources/localQueue';
import type { QueueDefinition, RedrivePolicy } from '../../service/eventSources/templateResources';
import { ProtocolError } from '../protocolService';

/** Numeric attributes: the definition field and SQS's range. */
const NUMERIC: Record<string, { field: 'visibilityTimeoutSeconds' | 'delaySeconds' | 'maximumMessageSize' | 'messageRetentionSeconds' | 'receiveWaitSeconds'; min: number; max: number; fallback: number }> = {
  VisibilityTimeout: { field: 'visibilityTimeoutSeconds', min: 0, max: 43_200, fallback: 30 },
  DelaySeconds: { field: 'delaySeconds', min: 0, max: 900, fallback: 0 },
  MaximumMessageSize: { field: 'maximumMessageSize', min: 1024, max: MAX_MESSAGE_BYTES, fallback: MAX_MESSAGE_BYTES },
  MessageRetentionPeriod: { field: 'messageRetentionSeconds', min: 60, max: 1_209_600, fallback: 345_600 },
  ReceiveMessageWaitTimeSeconds: { field: 'receiveWaitSeconds', min: 0, max: 20, fallback: 0 },
};

/** Attributes SQS keeps and returns, which a local queue does not act on. */
const KEPT = ['Policy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'DeduplicationScope', 'FifoThroughputLimit'];
const FIFO_ONLY = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];
/** Read-only attributes GetQueueAttributes adds. */
const COMPUTED = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn'];

/**
 * A definition with `attributes` applied over `base`. `creating` allows FifoQueue. `findQueueArn` checks a redrive target.
 * Errors: InvalidAttributeName, InvalidAttributeValue, InvalidParameterValue (as SQS names them).
 */
export function applyAttributes(base: QueueDefinition, attributes: Record<string, string>, creating: boolean, deadLetterExists: (arn: string) => boolean): QueueDefinition {
  const next: QueueDefinition = { ...base, otherAttributes: { ...base.otherAttributes } };
  for (const [name, value] of Object.entries(attributes)) {
    const numeric = NUMERIC[name];
    if (numeric) {
      const number = Number(value);
      if (!/^\d+$/.test(value) || number < numeric.min || number > numeric.max) throw new ProtocolError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
      next[numeric.field] = number;
    } else if (name === 'FifoQueue') {
      if (!creating) throw new ProtocolError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      if (value !== 'true' && value !== 'false') throw new ProtocolError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
      next.fifo = value === 'true';
    } else if (name === 'ContentBasedDeduplication') {
      if (value !== 'true' && value !== 'false') throw new ProtocolError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
      next.contentBasedDeduplication = value === 'true';
    } else if (name === 'RedrivePolicy') {
      if (value === '') delete next.redrivePolicy;
      else next.redrivePolicy = redrivePolicy(value, deadLetterExists);
    } else if (KEPT.includes(name)) {
      (next.otherAttributes as Record<string, string>)[name] = value;
    } else {
      throw new ProtocolError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
  }
  if (!next.fifo) {
    const fifoOnly = FIFO_ONLY.find((name) => name in attributes);
    if (fifoOnly) throw new ProtocolError('InvalidAttributeName', `Unknown Attribute ${fifoOnly}.`);
  }
  return next;
}

function redrivePolicy(text: string, deadLetterExists: (arn: string) => boolean): RedrivePolicy {
  const invalid = (reason: string) => new ProtocolError('InvalidParameterValue', `Value ${text} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('Redrive policy is not a valid JSON map.');
  }
  const policy = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const target = policy.deadLetterTargetArn;
  const count = Number(policy.maxReceiveCount);
  if (typeof target !== 'string') throw invalid('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (policy.maxReceiveCount === undefined) throw invalid('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw invalid(`Invalid value for maxReceiveCount: ${String(policy.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  if (!deadLetterExists(target)) throw invalid('Dead letter target does not exist.');
  return { deadLetterTargetArn: target, maxReceiveCount: count };
}

/** Every attribute of the queue as GetQueueAttributes answers them, or only `names` ('All' for every one). */
export function queueAttributes(queue: LocalQueue, names: readonly string[]): Record<string, string> {
  const definition = queue.definition;
  const counts = queue.counts();
  const all: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModifiedTimestamp / 1000)),
    SqsManagedSseEnabled: 'true',
  };
  for (const [name, numeric] of Object.entries(NUMERIC)) all[name] = String(definition[numeric.field] ?? numeric.fallback);
  if (definition.redrivePolicy) all.RedrivePolicy = JSON.stringify(definition.redrivePolicy);
  if (definition.fifo) {
    all.FifoQueue = 'true';
    all.ContentBasedDeduplication = String(definition.contentBasedDeduplication);
    all.DeduplicationScope = 'queue';
    all.FifoThroughputLimit = 'perQueue';
  }
  Object.assign(all, definition.otherAttributes);
  if (names.includes('All')) return all;
  const known = new Set([...Object.keys(NUMERIC), ...KEPT, ...COMPUTED, 'RedrivePolicy', 'FifoQueue', 'ContentBasedDeduplication']);
  const unknown = names.find((name) => !known.has(name));
  if (unknown) throw new ProtocolError('InvalidAttributeName', `Unknown Attribute ${unknown}.`);
  return Object.fromEntries(names.flatMap((name) => (all[name] !== undefined ? [[name, all[name] as string]] : [])));
}
