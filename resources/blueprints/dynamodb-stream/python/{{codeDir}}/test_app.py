"""Unit tests for {{functionName}}: python -m unittest discover -s {{codeDir}}"""
import copy
import json
import pathlib
import unittest
from decimal import Decimal

from app import describe_change, handler, unmarshall

SAMPLE_EVENT = json.loads((pathlib.Path(__file__).resolve().parent.parent / "events" / "{{codeDir}}.event.json").read_text())


class HandlerTest(unittest.TestCase):
    def test_describes_a_modify_with_old_and_new_images(self):
        change = describe_change(SAMPLE_EVENT["Records"][1])
        self.assertEqual(change["type"], "MODIFY")
        self.assertEqual(change["keys"], {"pk": "ORDER#ORD-1001", "sk": "META"})
        self.assertEqual(change["before"]["status"], "PLACED")
        self.assertEqual(change["after"]["status"], "SHIPPED")
        self.assertEqual(change["after"]["total"], Decimal("42.5"))

    def test_unmarshalls_nested_values(self):
        value = {"M": {"tags": {"SS": ["a", "b"]}, "l": {"L": [{"BOOL": True}, {"NULL": True}]}}}
        self.assertEqual(unmarshall(value), {"tags": ["a", "b"], "l": [True, None]})

    def test_a_clean_batch_reports_no_failures(self):
        self.assertEqual(handler(SAMPLE_EVENT, None), {"batchItemFailures": []})

    def test_the_first_failing_record_is_the_checkpoint(self):
        event = copy.deepcopy(SAMPLE_EVENT)
        event["Records"][1]["dynamodb"]["NewImage"] = {"status": {"X": "?"}}
        self.assertEqual(handler(event, None), {
            "batchItemFailures": [{"itemIdentifier": event["Records"][1]["dynamodb"]["SequenceNumber"]}],
        })


if __name__ == "__main__":
    unittest.main()
