// The saved form of local SNS topics and subscriptions (<stateDir>/state/sns.json).

export type RecordOrigin = 'template' | 'api';

export interface TopicRecord {
  name: string;
  arn: string;
  /** Settable attributes as SNS keeps them (DisplayName, FifoTopic, ContentBasedDeduplication, Policy, ...). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  origin: RecordOrigin;
  /** FIFO topics number their messages. */
  sequence: number;
}

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  /** RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, ... */
  attributes: Record<string, string>;
  /** HTTP(S) subscriptions wait for ConfirmSubscription with their token; the others are confirmed at once. */
  confirmed: boolean;
  token?: string;
  origin: RecordOrigin;
}

export interface SavedTopics {
  topics: TopicRecord[];
  subscriptions: SubscriptionRecord[];
}
