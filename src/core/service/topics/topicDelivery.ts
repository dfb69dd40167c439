// Delivers one published message to one subscription: an Event invocation (lambda), a queue message (sqs, raw or enveloped), an HTTP POST.
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../../common/errors';
import type { LocalQueues } from '../eventSources/localQueues';
import { lambdaEvent, messageFor, notificationEnvelope, subscriptionConfirmation, type DeliveryUrls, type MessageSigner, type TopicMessage } from './snsMessage';
import type { SubscriptionRecord } from './topicRecords';

/** Where subscriptions deliver to. */
export interface TopicTargets {
  queues: LocalQueues;
  /** An Event invocation of a subscribed function (name, name:qualifier or ARN); resolves once Lambda accepted it. */
  invokeEvent(functionArn: string, payload: Buffer): Promise<void>;
}

/** HTTP(S) deliveries: three attempts, a second and then two apart, each given 15 s (SNS's default policy retries longer). */
const HTTP_ATTEMPT_DELAYS_MS = [0, 1_000, 2_000];
const HTTP_TIMEOUT_MS = 15_000;

export class TopicDelivery {
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly targets: TopicTargets,
    private readonly signer: MessageSigner,
    private readonly report: (subscription: SubscriptionRecord, error?: string) => void,
  ) {}

  /** Lambda and SQS deliveries are done (accepted) when this resolves; HTTP ones go on in the background. */
  async deliver(subscription: SubscriptionRecord, message: TopicMessage, urls: DeliveryUrls): Promise<void> {
    const raw = subscription.attributes.RawMessageDelivery === 'true';
    try {
      switch (subscription.protocol) {
        case 'lambda':
          await this.targets.invokeEvent(subscription.endpoint, Buffer.from(JSON.stringify(lambdaEvent(message, subscription.arn, urls, this.signer))));
          break;
        case 'sqs':
          await this.toQueue(subscription, message, urls, raw);
          break;
        default:
          this.background(this.post(subscription, raw ? messageFor(message, subscription.protocol) : JSON.stringify(notificationEnvelope(message, subscription.protocol, subscription.arn, urls, this.signer)), {
            'x-amz-sns-message-type': 'Notification',
            'x-amz-sns-message-id': message.messageId,
            'x-amz-sns-topic-arn': message.topicArn,
            'x-amz-sns-subscription-arn': subscription.arn,
            ...(raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
          }));
          return;
      }
      this.report(subscription);
    } catch (error) {
      this.report(subscription, errorMessage(error));
    }
  }

  /** The SubscriptionConfirmation an HTTP(S) endpoint gets when subscribed. */
  confirm(subscription: SubscriptionRecord, token: string, urls: DeliveryUrls): void {
    const messageId = randomUUID();
    const body = subscriptionConfirmation({ messageId, topicArn: subscription.topicArn, token, timestamp: new Date().toISOString() }, urls, this.signer);
    this.background(this.post(subscription, JSON.stringify(body), {
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': subscription.topicArn,
    }));
  }

  /** Stops retries and waits for the deliveries under way. */
  async dispose(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.inFlight);
  }

  private async toQueue(subscription: SubscriptionRecord, message: TopicMessage, urls: DeliveryUrls, raw: boolean): Promise<void> {
    // The queues restored from the state directory must be loaded first, or their saved messages would be overwritten.
    await this.targets.queues.ready();
    const queue = this.targets.queues.find(subscription.endpoint);
    if (!queue) throw new Error(`the queue ${subscription.endpoint} does not exist`);
    const body = raw ? messageFor(message, 'sqs') : JSON.stringify(notificationEnvelope(message, 'sqs', subscription.arn, urls, this.signer));
    const fifo = queue.definition.fifo
      ? { messageGroupId: message.messageGroupId ?? subscription.topicArn, messageDeduplicationId: message.messageDeduplicationId ?? message.messageId }
      : {};
    // Raw delivery carries the message attributes as the queue message's attributes (SQS takes at most 10).
    queue.send({ body, messageAttributes: raw ? message.messageAttributes : {}, ...fifo });
  }

  private background(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async post(subscription: SubscriptionRecord, body: string, headers: Record<string, string>): Promise<void> {
    let failure = '';
    for (const delay of HTTP_ATTEMPT_DELAYS_MS) {
      if (delay > 0 && !(await this.wait(delay))) return;
      try {
        const response = await fetch(subscription.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=UTF-8', 'user-agent': 'Amazon Simple Notification Service Agent', ...headers },
          body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(HTTP_TIMEOUT_MS)]),
        });
        await response.arrayBuffer();
        // SNS counts 2xx (and 3xx after following) as delivered; anything else is retried.
        if (response.ok) return this.report(subscription);
        failure = `HTTP ${response.status}`;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        failure = errorMessage(error);
      }
    }
    this.report(subscription, `${failure} after ${HTTP_ATTEMPT_DELAYS_MS.length} attempts`);
  }

  /** False when disposed meanwhile. */
  private wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(true), ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(false);
      }, { once: true });
    });
  }
}
