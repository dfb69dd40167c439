"""Unit tests for {{functionName}}: python -m unittest discover -s {{codeDir}}"""
import json
import pathlib
import unittest

from app import handler

SAMPLE_EVENT = json.loads((pathlib.Path(__file__).resolve().parent.parent / "events" / "{{codeDir}}.event.json").read_text())


class HandlerTest(unittest.TestCase):
    def test_a_fully_processed_batch_reports_no_failures(self):
        self.assertEqual(handler(SAMPLE_EVENT, None), {"batchItemFailures": []})

    def test_only_the_failed_messages_are_reported(self):
        first, second = SAMPLE_EVENT["Records"]
        event = {"Records": [first, {**second, "body": "not json"}, {**first, "messageId": "no-order", "body": "{}"}]}
        self.assertEqual(handler(event, None), {
            "batchItemFailures": [{"itemIdentifier": second["messageId"]}, {"itemIdentifier": "no-order"}],
        })


if __name__ == "__main__":
    unittest.main()
