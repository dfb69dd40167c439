// Reads the topics and subscriptions a template declares: AWS::SNS::Topic (with inline Subscription), AWS::SNS::Subscription, SAM `SNS` events.
import { IntrinsicResolver } from '../../template/intrinsicResolver';
import type { EventSourceSpec, FunctionSpec } from '../../template/functionSpec';
import { isRecord, readTemplateDocument } from '../../template/templateDocument';
import { parameterValues } from '../../template/templateParameters';
import { ResourceValues } from '../eventSources/templateResources';
import type { LocalTopics } from './localTopics';

export interface TemplateTopic {
  name: string;
  attributes: Record<string, string>;
}

export interface TemplateSubscription {
  topicArn: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
}

export interface TemplateTopics {
  topics: TemplateTopic[];
  subscriptions: TemplateSubscription[];
}

/** The topic resources and subscriptions of the templates, and those of the functions' SNS events. */
export async function readTemplateTopics(templatePaths: string[], functions: readonly FunctionSpec[], parameterOverrides: Record<string, string>, warnings: string[]): Promise<TemplateTopics> {
  const result: TemplateTopics = { topics: [], subscriptions: [] };
  for (const templatePath of templatePaths) {
    const doc = await readTemplateDocument(templatePath);
    const resolver = IntrinsicResolver.forDocument(doc, parameterValues(doc, parameterOverrides, warnings));
    for (const [id, resource] of Object.entries(doc.resources)) {
      const read = new ResourceValues(id, resource, resolver, warnings);
      if (resource.type === 'AWS::SNS::Topic') {
        const name = resolver.physicalName(id);
        const fifo = read.boolean('FifoTopic') ?? false;
        const attributes: Record<string, string> = {};
        const displayName = read.value('DisplayName');
        if (typeof displayName === 'string') attributes.DisplayName = displayName;
        if (fifo) attributes.FifoTopic = 'true';
        if (read.boolean('ContentBasedDeduplication')) attributes.ContentBasedDeduplication = 'true';
        result.topics.push({ name, attributes });
        const inline = read.value('Subscription');
        for (const entry of Array.isArray(inline) ? inline : []) {
          if (isRecord(entry) && typeof entry.Protocol === 'string' && typeof entry.Endpoint === 'string') {
            result.subscriptions.push({ topicArn: resolver.resolve({ Ref: id }) as string, protocol: entry.Protocol.toLowerCase(), endpoint: entry.Endpoint, attributes: {} });
          }
        }
      } else if (resource.type === 'AWS::SNS::Subscription') {
        const topicArn = read.value('TopicArn');
        const protocol = read.value('Protocol');
        const endpoint = read.value('Endpoint');
        if (typeof topicArn !== 'string' || typeof protocol !== 'string' || typeof endpoint !== 'string') {
          warnings.push(`${id}: TopicArn, Protocol and Endpoint are needed to subscribe locally; this subscription is skipped.`);
          continue;
        }
        const attributes: Record<string, string> = {};
        const raw = read.boolean('RawMessageDelivery');
        if (raw !== undefined) attributes.RawMessageDelivery = String(raw);
        Object.assign(attributes, filterAttributes(read.value('FilterPolicy'), read.value('FilterPolicyScope')));
        result.subscriptions.push({ topicArn, protocol: protocol.toLowerCase(), endpoint, attributes });
      }
    }
  }
  for (const spec of functions) {
    for (const event of spec.events) {
      if (event.type === 'SNS') result.subscriptions.push(...eventSubscriptions(spec, event, warnings));
    }
  }
  return result;
}

/**
 * The queue a SAM `SNS` event with SqsSubscription delivers through: `true` makes one named `<Function><Event>Queue` in the
 * topic's account and region, an object names its QueueArn. Undefined without SqsSubscription.
 */
export function snsSubscriptionQueueArn(spec: FunctionSpec, event: EventSourceSpec): string | undefined {
  const subscription = event.properties.SqsSubscription;
  if (subscription === undefined || subscription === false || subscription === 'false') return undefined;
  if (isRecord(subscription)) return typeof subscription.QueueArn === 'string' ? subscription.QueueArn : undefined;
  const topicArn = event.properties.Topic;
  const [, partition, , region, account] = typeof topicArn === 'string' ? topicArn.split(':') : [];
  return `arn:${partition ?? 'aws'}:sqs:${region ?? 'us-east-1'}:${account ?? '123456789012'}:${spec.logicalId}${event.id}Queue`;
}

/** A SAM `SNS` event subscribes the function, or with SqsSubscription a queue whose mapping feeds the function. */
function eventSubscriptions(spec: FunctionSpec, event: EventSourceSpec, warnings: string[]): TemplateSubscription[] {
  const topicArn = event.properties.Topic;
  if (typeof topicArn !== 'string' || !topicArn.startsWith('arn:')) {
    warnings.push(`Events.${event.id}.Properties.Topic of ${spec.logicalId} is missing or cannot be resolved locally; the function is not subscribed.`);
    return [];
  }
  const attributes = filterAttributes(event.properties.FilterPolicy, event.properties.FilterPolicyScope);
  const queueArn = snsSubscriptionQueueArn(spec, event);
  if (queueArn) return [{ topicArn, protocol: 'sqs', endpoint: queueArn, attributes }];
  const [, partition, , region, account] = topicArn.split(':');
  // SAM subscribes the alias of an AutoPublishAlias function.
  const qualifier = spec.autoPublishAlias ? `:${spec.autoPublishAlias}` : '';
  return [{ topicArn, protocol: 'lambda', endpoint: `arn:${partition}:lambda:${region}:${account}:function:${spec.functionName}${qualifier}`, attributes }];
}

/** FilterPolicy is an object in templates (a JSON string is taken as well). */
function filterAttributes(policy: unknown, scope: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (isRecord(policy)) attributes.FilterPolicy = JSON.stringify(policy);
  else if (typeof policy === 'string' && policy !== '') attributes.FilterPolicy = policy;
  if (typeof scope === 'string') attributes.FilterPolicyScope = scope;
  return attributes;
}

/** What applyTemplateTopics did: lines for a summary (a heading, each topic and its subscribers), and what could not be made. */
export interface AppliedTopics {
  summary: string[];
  warnings: string[];
}

/** Creates the templates' topics and subscriptions on `topics`. */
export async function applyTemplateTopics(topics: LocalTopics, functions: readonly FunctionSpec[], parameterOverrides: Record<string, string>): Promise<AppliedTopics> {
  const warnings: string[] = [];
  const templates = [...new Set(functions.flatMap((spec) => (spec.templatePath ? [spec.templatePath] : [])))];
  const declared = await readTemplateTopics(templates, functions, parameterOverrides, warnings);
  await topics.ready();
  warnings.push(...topics.applyTemplate(declared.topics, declared.subscriptions));
  const listed = topics.list();
  // The heading also stands above the warnings alone (start lists them under it).
  const summary = listed.length || warnings.length
    ? [
      'Topics (SNS on the Invoke API port):',
      ...listed.map((topic) => {
        const subscribers = topics.subscriptions(topic.arn).map((s) => `${s.protocol} ${s.endpoint.split(':').pop() ?? s.endpoint}${s.confirmed ? '' : ' (pending confirmation)'}`);
        return `  topic ${topic.name}${subscribers.length ? ` -> ${subscribers.join(', ')}` : ''}`;
      }),
    ]
    : [];
  return { summary, warnings };
}
