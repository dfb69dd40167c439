"""{{functionName}}: nightly ETL. Extract raw/<day>/*.jsonl from S3, aggregate sales per customer, load reports/<day>.json."""
import json
import os
from datetime import datetime, timedelta, timezone


def previous_utc_day(fired_at):
    """The UTC day (YYYY-MM-DD) before the moment the schedule fired."""
    try:
        time = datetime.fromisoformat(fired_at.replace("Z", "+00:00")).astimezone(timezone.utc)
    except (AttributeError, ValueError) as error:
        raise ValueError(f"Invalid schedule time '{fired_at}'") from error
    return (time.date() - timedelta(days=1)).isoformat()


def transform(lines):
    """Aggregates JSON-lines sales per customer; malformed lines are counted in `rejected`."""
    customers = {}
    rejected = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            sale = json.loads(line)
        except ValueError:
            rejected += 1
            continue
        if not isinstance(sale, dict) or not isinstance(sale.get("customerId"), str) \
                or not isinstance(sale.get("amount"), (int, float)):
            rejected += 1
            continue
        totals = customers.setdefault(sale["customerId"], {"customerId": sale["customerId"], "orders": 0, "total": 0})
        totals["orders"] += 1
        totals["total"] = round(totals["total"] + sale["amount"], 2)
    return {"customers": sorted(customers.values(), key=lambda c: -c["total"]), "rejected": rejected}


class S3Storage:
    """S3 access through boto3, which the Lambda Python runtime includes."""

    def __init__(self, bucket):
        import boto3  # imported here so unit tests run without boto3
        self._bucket = bucket
        self._s3 = boto3.client("s3")

    def list(self, prefix):
        pages = self._s3.get_paginator("list_objects_v2").paginate(Bucket=self._bucket, Prefix=prefix)
        return [obj["Key"] for page in pages for obj in page.get("Contents", [])]

    def read(self, key):
        return self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read().decode("utf-8")

    def write(self, key, text):
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=text.encode("utf-8"), ContentType="application/json")


def run(event, storage):
    """The job, with its storage passed in so tests run against memory instead of S3."""
    day = previous_utc_day(event["time"])
    keys = [key for key in storage.list(f"raw/{day}/") if key.endswith(".jsonl")]
    lines = [line for key in keys for line in storage.read(key).split("\n")]
    report = transform(lines)
    storage.write(f"reports/{day}.json", json.dumps({"day": day, "inputs": len(keys), **report}, indent=2))
    print(f"Report for {day}: {len(keys)} file(s), {len(report['customers'])} customer(s), {report['rejected']} rejected line(s)")
    return {"day": day, "inputs": len(keys), "customers": len(report["customers"]), "rejected": report["rejected"]}


_storage = None


def handler(event, context):
    global _storage
    _storage = _storage or S3Storage(os.environ["DATA_BUCKET"])
    return run(event, _storage)
