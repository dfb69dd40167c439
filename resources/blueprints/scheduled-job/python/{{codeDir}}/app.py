"""{{functionName}}: a nightly job; the EventBridge event's `time` (when the schedule fired) decides which UTC day to process."""
from datetime import datetime, timedelta, timezone


def previous_utc_day(fired_at):
    try:
        time = datetime.fromisoformat(fired_at.replace("Z", "+00:00")).astimezone(timezone.utc)
    except (AttributeError, ValueError) as error:
        raise ValueError(f"Invalid schedule time '{fired_at}'") from error
    end = time.replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=1)
    return {"start": start.isoformat().replace("+00:00", "Z"), "end": end.isoformat().replace("+00:00", "Z")}


def handler(event, context):
    if event.get("source") != "aws.events" or event.get("detail-type") != "Scheduled Event":
        raise ValueError('Expected an EventBridge "Scheduled Event"')
    window = previous_utc_day(event["time"])
    rule = (event.get("resources") or ["unknown"])[0]
    print(f"Processing {window['start']} .. {window['end']} (rule {rule})")
    return {"window": window, "firedAt": event["time"]}
