// What SNS delivers: the Lambda event record, the JSON envelope of SQS and HTTP subscribers, and SignatureVersion 1 signatures.
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { MessageAttributeValue } from '../eventSources/localQueue';

/** One published message, as every subscriber's delivery is made from it. */
export interface TopicMessage {
  messageId: string;
  topicArn: string;
  /** The text for each protocol (MessageStructure json), `default` for the others. */
  message: string;
  messagesByProtocol?: Record<string, string>;
  subject?: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  /** ISO 8601 with milliseconds. */
  timestamp: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
}

/** Where subscribers find the signing certificate and the unsubscribe link: the endpoint the message was published on. */
export interface DeliveryUrls {
  endpoint: string;
}

/** The message a protocol gets: its own entry of a MessageStructure json message, else `default`. */
export function messageFor(message: TopicMessage, protocol: string): string {
  return message.messagesByProtocol?.[protocol] ?? message.message;
}

/** The attributes as SNS writes them in events and envelopes: { name: { Type, Value } } (Binary: base64). */
export function envelopeAttributes(attributes: Record<string, MessageAttributeValue>): Record<string, { Type: string; Value: string }> {
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { Type: value.dataType, Value: value.stringValue ?? value.binaryValue ?? '' }]));
}

/** The size SNS counts against its 256 KB limit: the message, and each attribute's name, type and value. */
export function publishedSize(message: string, attributes: Record<string, MessageAttributeValue>): number {
  let size = Buffer.byteLength(message, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.dataType);
    size += value.binaryValue !== undefined ? Buffer.from(value.binaryValue, 'base64').length : Buffer.byteLength(value.stringValue ?? '');
  }
  return size;
}

/** Signs with a key made once per process: the fields are there, but no AWS certificate vouches for them (see docs/local-services.md). */
export class MessageSigner {
  private key: KeyObject | undefined;

  /** SignatureVersion 1: SHA1withRSA over "Name\nvalue\n" of the type's fields, in order. */
  sign(fields: Record<string, string | undefined>, names: readonly string[]): string {
    this.key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const text = names.filter((name) => fields[name] !== undefined).map((name) => `${name}\n${fields[name] as string}\n`).join('');
    return createSign('RSA-SHA1').update(text, 'utf8').sign(this.key, 'base64');
  }
}

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

export function signingCertUrl(urls: DeliveryUrls): string {
  return `${urls.endpoint}/SimpleNotificationService-lambda-workbench.pem`;
}

export function unsubscribeUrl(urls: DeliveryUrls, subscriptionArn: string): string {
  return `${urls.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}

/** The JSON document an SQS (not raw) or HTTP subscriber receives. */
export function notificationEnvelope(message: TopicMessage, protocol: string, subscriptionArn: string, urls: DeliveryUrls, signer: MessageSigner): Record<string, unknown> {
  const fields = {
    Type: 'Notification',
    MessageId: message.messageId,
    ...(message.sequenceNumber !== undefined ? { SequenceNumber: message.sequenceNumber } : {}),
    TopicArn: message.topicArn,
    ...(message.subject !== undefined ? { Subject: message.subject } : {}),
    Message: messageFor(message, protocol),
    Timestamp: message.timestamp,
  };
  const attributes = envelopeAttributes(message.messageAttributes);
  return {
    ...fields,
    SignatureVersion: '1',
    Signature: signer.sign(fields, NOTIFICATION_FIELDS),
    SigningCertURL: signingCertUrl(urls),
    UnsubscribeURL: unsubscribeUrl(urls, subscriptionArn),
    ...(Object.keys(attributes).length ? { MessageAttributes: attributes } : {}),
  };
}

/** The event Lambda receives from a subscription: one record, with SNS's field names (SigningCertUrl, UnsubscribeUrl). */
export function lambdaEvent(message: TopicMessage, subscriptionArn: string, urls: DeliveryUrls, signer: MessageSigner): Record<string, unknown> {
  const text = messageFor(message, 'lambda');
  const signed = { Type: 'Notification', MessageId: message.messageId, TopicArn: message.topicArn, Subject: message.subject, Message: text, Timestamp: message.timestamp };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: message.messageId,
          TopicArn: message.topicArn,
          Subject: message.subject ?? null,
          Message: text,
          Timestamp: message.timestamp,
          SignatureVersion: '1',
          Signature: signer.sign(signed, NOTIFICATION_FIELDS),
          SigningCertUrl: signingCertUrl(urls),
          UnsubscribeUrl: unsubscribeUrl(urls, subscriptionArn),
          MessageAttributes: envelopeAttributes(message.messageAttributes),
        },
      },
    ],
  };
}

/** The message an HTTP(S) endpoint gets when it is subscribed: it confirms by visiting SubscribeURL (ConfirmSubscription). */
export function subscriptionConfirmation(input: { messageId: string; topicArn: string; token: string; timestamp: string }, urls: DeliveryUrls, signer: MessageSigner): Record<string, unknown> {
  const subscribeUrl = `${urls.endpoint}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(input.topicArn)}&Token=${input.token}`;
  const fields = {
    Type: 'SubscriptionConfirmation',
    MessageId: input.messageId,
    Token: input.token,
    TopicArn: input.topicArn,
    Message: `You have chosen to subscribe to the topic ${input.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: subscribeUrl,
    Timestamp: input.timestamp,
  };
  return { ...fields, SignatureVersion: '1', Signature: signer.sign(fields, CONFIRMATION_FIELDS), SigningCertURL: signingCertUrl(urls) };
}
