"""Unit tests for {{functionName}}: python -m unittest discover -s {{codeDir}}"""
import copy
import json
import pathlib
import unittest

from app import decode_key, handler

SAMPLE_EVENT = json.loads((pathlib.Path(__file__).resolve().parent.parent / "events" / "{{codeDir}}.event.json").read_text())


class HandlerTest(unittest.TestCase):
    def test_reports_the_new_object_with_its_decoded_key(self):
        self.assertEqual(handler(SAMPLE_EVENT, None)["processed"], [{
            "bucket": "amzn-s3-demo-bucket",
            "key": "uploads/invoices/2024-05 report.csv",
            "size": 1305107,
            "eventName": "ObjectCreated:Put",
        }])

    def test_decodes_percent_and_plus_encoded_keys(self):
        self.assertEqual(decode_key("uploads/caf%C3%A9+menu%2B1.pdf"), "uploads/café menu+1.pdf")

    def test_skips_folder_placeholders(self):
        event = copy.deepcopy(SAMPLE_EVENT)
        event["Records"][0]["s3"]["object"]["key"] = "uploads/new-folder/"
        self.assertEqual(handler(event, None)["processed"], [])

    def test_rejects_events_that_are_not_s3_notifications(self):
        with self.assertRaises(ValueError):
            handler({}, None)


if __name__ == "__main__":
    unittest.main()
