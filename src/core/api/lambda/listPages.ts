// Lambda's Marker / MaxItems pagination of the List* actions: one page of items under the action's key, NextMarker when more follow.
import { ServiceError } from '../../service/invocation';

/** The page size of most List* actions (MaxItems may ask for fewer). */
const LIST_PAGE = 50;

type Input = Record<string, unknown>;

/** Marker / MaxItems pagination; the marker is an opaque token for the position of the next item. */
function paginate<T>(items: T[], input: Input, pageSize: number): { items: T[]; nextMarker?: string } {
  const marker = typeof input.Marker === 'string' ? input.Marker : undefined;
  let start = 0;
  if (marker !== undefined) {
    const decoded = Number(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw new ServiceError('InvalidParameterValueException', `Invalid marker: ${marker}`);
    start = decoded;
  }
  const size = Math.min(typeof input.MaxItems === 'number' ? input.MaxItems : pageSize, pageSize);
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextMarker: Buffer.from(String(end)).toString('base64url') } : {}) };
}

/** The page of `items` that the request's Marker and MaxItems select, each as `view` renders it, under `key`, with NextMarker. */
export async function listPage<T>(
  key: string,
  items: T[],
  input: Input,
  view: (item: T) => unknown,
  pageSize = LIST_PAGE,
): Promise<Record<string, unknown>> {
  const page = paginate(items, input, pageSize);
  return { [key]: await Promise.all(page.items.map(view)), ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}) };
}
