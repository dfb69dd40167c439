// The shipped sample event library (resources/events): catalog, payloads and the JSON schema of each event type.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../common/errors';
import { packageRoot } from '../common/packageAssets';
import { compileSchema, type JsonSchema } from './jsonSchema';

export interface SampleEventInfo {
  id: string;
  title: string;
  service: string;
}

let catalog: SampleEventInfo[] | undefined;
const schemas = new Map<string, JsonSchema>();

function eventsDir(): string {
  return join(packageRoot(), 'resources', 'events');
}

/** Every sample event type, in catalog order. */
export function listSampleEvents(): SampleEventInfo[] {
  catalog ??= JSON.parse(readFileSync(join(eventsDir(), 'catalog.json'), 'utf8')) as SampleEventInfo[];
  return catalog.map((entry) => ({ ...entry }));
}

function requireKnown(id: string): void {
  if (!listSampleEvents().some((entry) => entry.id === id)) {
    throw new WorkbenchError('EVENT_INVALID', `Unknown sample event type '${id}'`, {
      hint: `Known types: ${listSampleEvents().map((entry) => entry.id).join(', ')}.`,
    });
  }
}

/** The JSON text of a sample event, exactly as shipped. */
export function loadSampleEvent(id: string): string {
  requireKnown(id);
  return readFileSync(join(eventsDir(), `${id}.json`), 'utf8');
}

/** The JSON schema for an event type; compiled once (a keyword the validator does not know is an error). */
export function loadEventSchema(id: string): JsonSchema {
  requireKnown(id);
  let schema = schemas.get(id);
  if (!schema) {
    schema = JSON.parse(readFileSync(join(eventsDir(), 'schemas', `${id}.schema.json`), 'utf8')) as JsonSchema;
    compileSchema(schema, `${id}.schema.json`);
    schemas.set(id, schema);
  }
  return schema;
}
