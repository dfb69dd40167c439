// Lambda event filtering (FilterCriteria): which records of a batch reach the function. A record passes when any pattern matches it.
import { matchesEventPattern, type EventPattern } from '../eventBridge/eventPattern';

/** The record as filters see it: an SQS body or a Kinesis data payload that is JSON is matched as JSON (as Lambda does). */
function filterView(event: object): Record<string, unknown> {
  const record = event as Record<string, unknown>;
  if (typeof record.body === 'string') return { ...record, body: jsonOrText(record.body) };
  const kinesis = record.kinesis as Record<string, unknown> | undefined;
  if (kinesis && typeof kinesis.data === 'string') {
    return { ...record, ...kinesis, data: jsonOrText(Buffer.from(kinesis.data, 'base64').toString('utf8')) };
  }
  return record;
}

/** Whether the record passes the mapping's filters (no filters: every record passes). Patterns are JSON objects. */
export function passesFilters(patterns: readonly string[] | undefined, record: object): boolean {
  if (!patterns || patterns.length === 0) return true;
  const view = filterView(record);
  return patterns.some((pattern) => matchesEventPattern(JSON.parse(pattern) as EventPattern, view));
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
