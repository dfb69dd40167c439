"""{{functionName}}: handles DynamoDB stream records in order; on the first failure it reports that record's sequence
number so Lambda retries from there (records after it are retried too, preserving order)."""
import json
from decimal import Decimal


def unmarshall(value):
    (kind, inner), = value.items()
    if kind in ("S", "B", "BOOL"):
        return inner
    if kind == "N":
        return Decimal(inner)
    if kind == "NULL":
        return None
    if kind in ("SS", "BS"):
        return list(inner)
    if kind == "NS":
        return [Decimal(n) for n in inner]
    if kind == "L":
        return [unmarshall(item) for item in inner]
    if kind == "M":
        return unmarshall_image(inner)
    raise ValueError(f"Unsupported DynamoDB attribute type '{kind}'")


def unmarshall_image(image):
    return {name: unmarshall(value) for name, value in (image or {}).items()}


def describe_change(record):
    stream = record["dynamodb"]
    return {
        "type": record["eventName"],
        "keys": unmarshall_image(stream["Keys"]),
        "before": unmarshall_image(stream.get("OldImage")),
        "after": unmarshall_image(stream.get("NewImage")),
    }


def handler(event, context):
    for record in event["Records"]:
        sequence_number = record["dynamodb"]["SequenceNumber"]
        try:
            change = describe_change(record)
            print(f"{change['type']} {json.dumps(change['keys'], default=str)}")
        except Exception as error:  # report the checkpoint; Lambda retries from this record
            print(f"Record {sequence_number} failed: {error}")
            return {"batchItemFailures": [{"itemIdentifier": sequence_number}]}
    return {"batchItemFailures": []}
