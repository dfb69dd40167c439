// Recognises which AWS service produced an event payload, by the fields that service always sends.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const child = (value: unknown, key: string): unknown => (isObject(value) ? value[key] : undefined);

/** Event types of the `Records` array, keyed by the record's eventSource (or EventSource for SNS). */
const RECORD_SOURCES: Record<string, string> = {
  'aws:s3': 's3-put',
  'aws:sqs': 'sqs',
  'aws:sns': 'sns',
  'aws:dynamodb': 'dynamodb-stream',
  'aws:kinesis': 'kinesis',
  'aws:ses': 'ses',
};

const COGNITO_TRIGGERS: Record<string, string> = {
  PreSignUp_: 'cognito-pre-signup',
  PostConfirmation_: 'cognito-post-confirmation',
};

function detectRecords(records: unknown[]): string | undefined {
  const first = records[0];
  if (isObject(child(first, 'cf'))) {
    return child(child(child(first, 'cf'), 'config'), 'eventType') === 'viewer-request' ? 'cloudfront-viewer-request' : undefined;
  }
  const source = child(first, 'eventSource') ?? child(first, 'EventSource');
  return typeof source === 'string' ? RECORD_SOURCES[source] : undefined;
}

/** The sample event id whose shape the payload has, or undefined when it matches none. */
export function detectEventType(json: unknown): string | undefined {
  if (!isObject(json)) return undefined;
  const records = json.Records;
  if (Array.isArray(records) && records.length > 0) return detectRecords(records);
  if (isObject(json.awslogs)) return 'cloudwatch-logs';
  if (typeof json.deliveryStreamArn === 'string' && Array.isArray(json.records)) return 'firehose';
  if (typeof json.triggerSource === 'string' && typeof json.userPoolId === 'string') {
    const trigger = json.triggerSource;
    return Object.entries(COGNITO_TRIGGERS).find(([prefix]) => trigger.startsWith(prefix))?.[1];
  }
  if (typeof json['detail-type'] === 'string' && typeof json.source === 'string') {
    return json['detail-type'] === 'Scheduled Event' && json.source === 'aws.events' ? 'scheduled' : 'eventbridge';
  }
  const requestContext = json.requestContext;
  if (isObject(child(requestContext, 'elb'))) return 'alb';
  if (json.version === '2.0' && isObject(requestContext)) {
    const domain = requestContext.domainName;
    return typeof domain === 'string' && domain.includes('.lambda-url.') ? 'function-url' : 'apigateway-http';
  }
  if (typeof json.httpMethod === 'string' && typeof json.resource === 'string') return 'apigateway-rest';
  return undefined;
}
