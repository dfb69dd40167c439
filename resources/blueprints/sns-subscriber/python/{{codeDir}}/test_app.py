"""Unit tests for {{functionName}}: python -m unittest discover -s {{codeDir}}"""
import copy
import json
import pathlib
import unittest

from app import handler

SAMPLE_EVENT = json.loads((pathlib.Path(__file__).resolve().parent.parent / "events" / "{{codeDir}}.event.json").read_text())


class HandlerTest(unittest.TestCase):
    def test_parses_a_json_notification_and_its_event_type(self):
        self.assertEqual(handler(SAMPLE_EVENT, None), {"processed": [{
            "messageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
            "subject": "Order shipped",
            "eventType": "OrderShipped",
            "message": {"orderId": "ORD-1001", "status": "SHIPPED"},
        }]})

    def test_keeps_a_plain_text_message_as_text(self):
        event = copy.deepcopy(SAMPLE_EVENT)
        event["Records"][0]["Sns"]["Message"] = "plain text"
        event["Records"][0]["Sns"]["MessageAttributes"] = {}
        notification = handler(event, None)["processed"][0]
        self.assertEqual(notification["message"], "plain text")
        self.assertIsNone(notification["eventType"])


if __name__ == "__main__":
    unittest.main()
