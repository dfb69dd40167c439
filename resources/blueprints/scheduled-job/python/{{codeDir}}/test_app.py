"""Unit tests for {{functionName}}: python -m unittest discover -s {{codeDir}}"""
import json
import pathlib
import unittest

from app import handler, previous_utc_day

SAMPLE_EVENT = json.loads((pathlib.Path(__file__).resolve().parent.parent / "events" / "{{codeDir}}.event.json").read_text())


class HandlerTest(unittest.TestCase):
    def test_processes_the_day_before_the_scheduled_time(self):
        self.assertEqual(handler(SAMPLE_EVENT, None), {
            "window": {"start": "2024-05-14T00:00:00Z", "end": "2024-05-15T00:00:00Z"},
            "firedAt": "2024-05-15T02:00:00Z",
        })

    def test_crosses_year_boundaries(self):
        self.assertEqual(previous_utc_day("2025-01-01T02:00:00Z"), {"start": "2024-12-31T00:00:00Z", "end": "2025-01-01T00:00:00Z"})

    def test_rejects_other_events(self):
        with self.assertRaises(ValueError):
            handler({**SAMPLE_EVENT, "source": "com.example"}, None)
        with self.assertRaises(ValueError):
            previous_utc_day("yesterday")


if __name__ == "__main__":
    unittest.main()
