"""Unit tests for {{functionName}}: python -m unittest discover -s {{codeDir}}"""
import base64
import copy
import json
import pathlib
import unittest

from app import handler

SAMPLE_EVENT = json.loads((pathlib.Path(__file__).resolve().parent.parent / "events" / "{{codeDir}}.event.json").read_text())


def request(method, body=None, is_base64=False):
    event = copy.deepcopy(SAMPLE_EVENT)
    event["requestContext"]["http"]["method"] = method
    event["body"] = body
    event["isBase64Encoded"] = is_base64
    return event


class HandlerTest(unittest.TestCase):
    def test_get_greets_the_name_from_the_query_string(self):
        response = handler(SAMPLE_EVENT, None)
        self.assertEqual(response["statusCode"], 200)
        self.assertEqual(json.loads(response["body"]), {"message": "Hello, Ada!", "path": "/greet"})

    def test_post_echoes_json_plain_or_base64(self):
        self.assertEqual(json.loads(handler(request("POST", '{"id": 7}'), None)["body"]), {"received": {"id": 7}})
        encoded = base64.b64encode(b'{"id": 8}').decode()
        self.assertEqual(json.loads(handler(request("POST", encoded, True), None)["body"]), {"received": {"id": 8}})

    def test_post_without_json_is_a_400(self):
        self.assertEqual(handler(request("POST", "not json"), None)["statusCode"], 400)

    def test_other_methods_are_a_405(self):
        response = handler(request("DELETE"), None)
        self.assertEqual(response["statusCode"], 405)
        self.assertEqual(response["headers"]["allow"], "GET, POST")


if __name__ == "__main__":
    unittest.main()
