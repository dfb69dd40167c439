"""Unit tests for {{functionName}}: python -m unittest discover -s {{codeDir}}"""
import json
import pathlib
import unittest

from app import handler

SAMPLE_EVENT = json.loads((pathlib.Path(__file__).resolve().parent.parent / "events" / "{{codeDir}}.event.json").read_text())


class HandlerTest(unittest.TestCase):
    def test_greets_the_name_from_the_sample_event(self):
        self.assertEqual(handler(SAMPLE_EVENT, None), {"message": f"Hello, {SAMPLE_EVENT['name']}!"})

    def test_greets_the_world_without_a_name(self):
        self.assertEqual(handler({}, None), {"message": "Hello, world!"})
        self.assertEqual(handler({"name": "   "}, None), {"message": "Hello, world!"})


if __name__ == "__main__":
    unittest.main()
