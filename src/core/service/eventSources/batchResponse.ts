// Judges a batch invocation's result: success, failure, or a partial batch response (ReportBatchItemFailures, contract §5.3–5.4).
import type { InvokeResult } from '../invocation';

export type BatchOutcome =
  | { kind: 'success' }
  | { kind: 'failure'; reason: string }
  | { kind: 'partial'; failedIds: string[] };

/**
 * `batchIds` lists the item identifiers of the batch (SQS message ids): an identifier outside it fails the whole batch.
 * Streams pass undefined: their identifiers are sequence numbers, checked by the caller against the checkpoint.
 */
export function judgeBatchResponse(result: InvokeResult, reportBatchItemFailures: boolean, batchIds?: ReadonlySet<string>): BatchOutcome {
  if (result.functionError) return { kind: 'failure', reason: `the function failed (${result.errorType ?? 'Unhandled'})` };
  if (!reportBatchItemFailures) return { kind: 'success' };

  const text = result.payload.toString('utf8');
  // Complete success: an empty or null response.
  if (text.trim() === '') return { kind: 'success' };
  let response: unknown;
  try {
    response = JSON.parse(text);
  } catch {
    return { kind: 'failure', reason: 'the batch response is not valid JSON' };
  }
  if (response === null) return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { kind: 'failure', reason: 'the batch response is not an object of the form {"batchItemFailures": [...]}' };
  }
  const failures = (response as Record<string, unknown>).batchItemFailures;
  // Complete success: an empty or null batchItemFailures list.
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };

  const failedIds: string[] = [];
  for (const failure of failures) {
    if (typeof failure !== 'object' || failure === null || !('itemIdentifier' in failure)) {
      return { kind: 'failure', reason: `a batchItemFailures entry has no itemIdentifier key: ${JSON.stringify(failure)}` };
    }
    const id = (failure as { itemIdentifier: unknown }).itemIdentifier;
    if (typeof id !== 'string' || id === '') return { kind: 'failure', reason: `an itemIdentifier is empty or not a string: ${JSON.stringify(id)}` };
    if (batchIds && !batchIds.has(id)) return { kind: 'failure', reason: `itemIdentifier '${id}' is not in the batch` };
    failedIds.push(id);
  }
  return { kind: 'partial', failedIds };
}
