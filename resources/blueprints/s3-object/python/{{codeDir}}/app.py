"""{{functionName}}: handles S3 "object created" notifications; object keys arrive URL-encoded, with '+' for spaces."""
from urllib.parse import unquote_plus


def decode_key(key):
    return unquote_plus(key)


def handler(event, context):
    records = event.get("Records") if isinstance(event, dict) else None
    if not isinstance(records, list):
        raise ValueError("Expected an S3 event notification with a Records array")
    processed = []
    for record in records:
        key = decode_key(record["s3"]["object"]["key"])
        if key.endswith("/"):
            continue  # folder placeholder objects carry no data
        obj = {
            "bucket": record["s3"]["bucket"]["name"],
            "key": key,
            "size": record["s3"]["object"].get("size", 0),
            "eventName": record["eventName"],
        }
        print(f"New object s3://{obj['bucket']}/{obj['key']} ({obj['size']} bytes)")
        processed.append(obj)
    return {"processed": processed}
