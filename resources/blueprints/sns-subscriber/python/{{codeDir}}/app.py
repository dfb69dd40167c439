"""{{functionName}}: handles SNS notifications; JSON messages are parsed, other messages are kept as text."""
import json


def _parse_message(message):
    try:
        return json.loads(message)
    except ValueError:
        return message


def handler(event, context):
    processed = []
    for record in event["Records"]:
        sns = record["Sns"]
        event_type = (sns.get("MessageAttributes") or {}).get("eventType", {}).get("Value")
        notification = {
            "messageId": sns["MessageId"],
            "subject": sns.get("Subject"),
            "eventType": event_type,
            "message": _parse_message(sns["Message"]),
        }
        print(f"Notification {sns['MessageId']} ({event_type or 'no eventType'}) from {sns['TopicArn']}")
        processed.append(notification)
    return {"processed": processed}
