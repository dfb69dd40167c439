// S3 event notifications to functions: SAM `Events: Type: S3` and buckets' NotificationConfiguration.LambdaConfigurations, invoked asynchronously with S3's event.
import { randomBytes } from 'node:crypto';
import type { InvokeRequest } from '../service/invocation';
import type { FunctionSpec } from '../template/functionSpec';
import { filterRules, type BucketDefinition } from './dataResources';
import type { ObjectEvent } from './s3Api';

export interface S3Notification {
  /** The configuration id S3 puts into the event (s3.configurationId). */
  id: string;
  bucket: string;
  functionName: string;
  /** s3:ObjectCreated:*, s3:ObjectRemoved:Delete, ... */
  events: string[];
  rules: { name: string; value: string }[];
}

export interface NotificationContext {
  region: string;
  accountId: string;
  /** Size and ETag of a created object. */
  head(bucket: string, key: string): Promise<{ size: number; eTag: string } | undefined>;
  invoke(request: InvokeRequest): Promise<unknown>;
  onError(message: string): void;
}

/** The notifications of the functions' S3 events and of the buckets' LambdaConfigurations. */
export function readS3Notifications(specs: readonly FunctionSpec[], buckets: readonly BucketDefinition[], warnings: string[]): S3Notification[] {
  const notifications: S3Notification[] = [];
  for (const spec of specs) {
    for (const event of spec.events) {
      if (event.type !== 'S3') continue;
      const bucket = event.properties.Bucket;
      const events = typeof event.properties.Events === 'string' ? [event.properties.Events] : event.properties.Events;
      if (typeof bucket !== 'string' || !Array.isArray(events) || !events.every((name) => typeof name === 'string')) {
        warnings.push(`${spec.logicalId}.${event.id}: an S3 event needs Bucket (a !Ref to a bucket of the template) and Events; it is ignored.`);
        continue;
      }
      notifications.push({ id: `${spec.logicalId}${event.id}`, bucket, functionName: spec.functionName, events: events as string[], rules: filterRules(event.properties.Filter) });
    }
  }
  for (const bucket of buckets) {
    bucket.lambdaConfigurations.forEach((configuration, index) => {
      // arn:aws:lambda:region:account:function:name[:qualifier], or a bare name.
      const functionName = /:function:([^:]+)/.exec(configuration.functionArn)?.[1] ?? configuration.functionArn;
      notifications.push({ id: `${bucket.logicalId}Notification${index + 1}`, bucket: bucket.name, functionName, events: [configuration.event], rules: configuration.rules });
    });
  }
  return notifications;
}

export class S3Notifier {
  private sequence = BigInt(Date.now()) * 1_000_000n;

  constructor(
    private readonly notifications: readonly S3Notification[],
    private readonly context: NotificationContext,
  ) {}

  /** True when some notification listens to the bucket. */
  watches(bucket: string): boolean {
    return this.notifications.some((notification) => notification.bucket === bucket);
  }

  /** Invokes (Event) every function whose notification matches; the record is built once per event. */
  async notify(event: ObjectEvent): Promise<void> {
    const matching = this.notifications.filter((notification) => matches(notification, event));
    if (!matching.length) return;
    const object = event.eventName.startsWith('ObjectCreated:') ? await this.context.head(event.bucket, event.key) : undefined;
    if (event.eventName.startsWith('ObjectCreated:') && !object) return;
    const sequencer = (this.sequence++).toString(16).toUpperCase().padStart(18, '0');
    await Promise.all(matching.map(async (notification) => {
      const record = s3EventRecord(event, notification.id, object, sequencer, this.context);
      try {
        await this.context.invoke({ functionName: notification.functionName, invocationType: 'Event', payload: Buffer.from(JSON.stringify({ Records: [record] })) });
      } catch (error) {
        this.context.onError(`S3 notification ${notification.id} (${event.eventName} s3://${event.bucket}/${event.key}) could not invoke ${notification.functionName}: ${(error as Error).message}`);
      }
    }));
  }
}

function matches(notification: S3Notification, event: ObjectEvent): boolean {
  if (notification.bucket !== event.bucket) return false;
  const [kind] = event.eventName.split(':');
  const named = notification.events.some((name) => name === `s3:${event.eventName}` || name === `s3:${kind}:*`);
  return named && notification.rules.every((rule) => (rule.name === 'prefix' ? event.key.startsWith(rule.value) : rule.name === 'suffix' ? event.key.endsWith(rule.value) : true));
}

/** One record as S3 writes it (event version 2.1; the key URL-encoded, spaces as +; no size or eTag for removals). */
export function s3EventRecord(
  event: ObjectEvent,
  configurationId: string,
  object: { size: number; eTag: string } | undefined,
  sequencer: string,
  context: { region: string; accountId: string },
): Record<string, unknown> {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: context.region,
    eventTime: new Date().toISOString(),
    eventName: event.eventName,
    userIdentity: { principalId: `AWS:AIDA${context.accountId}LOCAL` },
    requestParameters: { sourceIPAddress: event.sourceIp.replace(/^::ffff:/, '') },
    responseElements: { 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(), 'x-amz-id-2': randomBytes(48).toString('base64') },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: event.bucket, ownerIdentity: { principalId: `A${context.accountId}LOCAL` }, arn: `arn:aws:s3:::${event.bucket}` },
      object: { key: eventKey(event.key), ...(object ? { size: object.size, eTag: object.eTag } : {}), sequencer },
    },
  };
}

/** S3 form-encodes keys in events: spaces become +, slashes stay. */
function eventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

