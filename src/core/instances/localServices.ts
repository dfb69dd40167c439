// Which AWS services a function's SDK calls reach locally: the endpoint variables the SDKs honour, local references, pass-through.
import { WorkbenchError } from '../common/errors';

/** The services the local endpoint serves, by the name `--pass-through` and the setting use, with their SDK endpoint variable. */
export const LOCAL_SERVICES: Readonly<Record<string, string>> = {
  lambda: 'AWS_ENDPOINT_URL_LAMBDA',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  eventbridge: 'AWS_ENDPOINT_URL_EVENTBRIDGE',
  sns: 'AWS_ENDPOINT_URL_SNS',
  kinesis: 'AWS_ENDPOINT_URL_KINESIS',
};

/** Services `--pass-through` can name: these, and the template's data services (DynamoDB, S3) when they are served. */
const PASS_THROUGH_NAMES = [...Object.keys(LOCAL_SERVICES), 'dynamodb', 's3'];

export interface LocalEndpointSettings {
  /** The AWS endpoint, http://127.0.0.1:PORT. */
  url: string;
  /** Services whose calls go to real AWS (names of LOCAL_SERVICES). */
  passThrough: readonly string[];
}

/** Checks pass-through names; USAGE names the services there are. */
export function parsePassThrough(names: readonly string[]): string[] {
  const result = names.flatMap((name) => name.split(',')).map((name) => name.trim().toLowerCase()).filter(Boolean);
  const unknown = result.find((name) => !PASS_THROUGH_NAMES.includes(name));
  if (unknown) {
    throw new WorkbenchError('USAGE', `'${unknown}' is not a service served locally; pass through any of: ${PASS_THROUGH_NAMES.join(', ')}.`);
  }
  return result;
}

/** AWS_ENDPOINT_URL_<SERVICE> for every locally served service that is not passed through. */
export function endpointVariables(settings: LocalEndpointSettings): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [service, variable] of Object.entries(LOCAL_SERVICES)) {
    if (!settings.passThrough.includes(service)) variables[variable] = settings.url;
  }
  return variables;
}

/**
 * A value as the function should see it locally: an SQS queue URL of AWS's form (what `!Ref Queue` gives) becomes the
 * local endpoint's URL of that queue, unless SQS is passed through.
 */
export function localizeReference(value: string, settings: LocalEndpointSettings): string {
  if (settings.passThrough.includes('sqs')) return value;
  return value.replace(/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/(\d{12}\/[^/\s]+)$/, `${settings.url}/$2`);
}
