"""{{functionName}}: processes an SQS batch and returns only the failed message ids, so the rest are deleted from the queue."""
import json


def process_message(record):
    order = json.loads(record["body"])
    if not isinstance(order.get("orderId"), str):
        raise ValueError("The message has no orderId")
    print(f"Processing order {order['orderId']}")


def handler(event, context):
    batch_item_failures = []
    for record in event["Records"]:
        try:
            process_message(record)
        except Exception as error:  # any failure marks only this message for retry
            print(f"Message {record['messageId']} failed: {error}")
            batch_item_failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": batch_item_failures}
