// {{functionName}}: handles SNS notifications; JSON messages are parsed, other messages are kept as text.
function parseMessage(message) {
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
}

export const handler = async (event) => {
  const processed = event.Records.map(({ Sns: sns }) => {
    const notification = {
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
