// {{functionName}}: handles SNS notifications; JSON messages are parsed, other messages are kept as text.

/** The parts of an SNS event record this handler reads. */
export interface SnsRecord {
  Sns: {
    MessageId: string;
    TopicArn: string;
    Subject?: string | null;
    Message: string;
    MessageAttributes?: Record<string, { Type: string; Value: string }>;
  };
}

export interface SnsEvent {
  Records: SnsRecord[];
}

export interface Notification {
  messageId: string;
  subject: string | null;
  eventType: string | null;
  message: unknown;
}

function parseMessage(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
}

export const handler = async (event: SnsEvent): Promise<{ processed: Notification[] }> => {
  const processed = event.Records.map(({ Sns: sns }) => {
    const notification: Notification = {
      messageId: sns.MessageId,
      subject: sns.Subject ?? null,
      eventType: sns.MessageAttributes?.eventType?.Value ?? null,
      message: parseMessage(sns.Message),
    };
    console.log(`Notification ${notification.messageId} (${notification.eventType ?? 'no eventType'}) from ${sns.TopicArn}`);
    return notification;
  });
  return { processed };
};
