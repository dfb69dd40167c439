"""Unit tests for {{functionName}}: python -m unittest discover -s etl; S3 is replaced by an in-memory store."""
import json
import pathlib
import unittest

from app import previous_utc_day, run, transform

SAMPLE_EVENT = json.loads((pathlib.Path(__file__).resolve().parent.parent / "events" / "nightly.event.json").read_text())


class MemoryStorage:
    def __init__(self, objects):
        self.objects = dict(objects)

    def list(self, prefix):
        return [key for key in self.objects if key.startswith(prefix)]

    def read(self, key):
        return self.objects[key]

    def write(self, key, text):
        self.objects[key] = text


class EtlTest(unittest.TestCase):
    def test_aggregates_per_customer_and_counts_bad_lines(self):
        lines = ['{"customerId":"A","amount":10.1}', '{"customerId":"B","amount":50}', '{"customerId":"A","amount":5.2}', "oops", '{"amount":1}', ""]
        self.assertEqual(transform(lines), {
            "customers": [{"customerId": "B", "orders": 1, "total": 50}, {"customerId": "A", "orders": 2, "total": 15.3}],
            "rejected": 2,
        })

    def test_processes_the_previous_day_and_writes_its_report(self):
        storage = MemoryStorage({
            "raw/2024-05-14/a.jsonl": '{"customerId":"A","amount":10}\n{"customerId":"B","amount":3}\n',
            "raw/2024-05-14/b.jsonl": '{"customerId":"A","amount":2}\n',
            "raw/2024-05-15/c.jsonl": '{"customerId":"C","amount":99}\n',
        })
        self.assertEqual(run(SAMPLE_EVENT, storage), {"day": "2024-05-14", "inputs": 2, "customers": 2, "rejected": 0})
        report = json.loads(storage.objects["reports/2024-05-14.json"])
        self.assertEqual(report["customers"], [{"customerId": "A", "orders": 2, "total": 12}, {"customerId": "B", "orders": 1, "total": 3}])

    def test_the_day_before_a_year_boundary(self):
        self.assertEqual(previous_utc_day("2025-01-01T01:30:00Z"), "2024-12-31")


if __name__ == "__main__":
    unittest.main()
