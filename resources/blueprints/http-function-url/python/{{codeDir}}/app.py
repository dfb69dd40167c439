"""{{functionName}}: a JSON endpoint behind a function URL (payload format 2.0). GET greets, POST echoes the JSON body."""
import base64
import json


def _json(status_code, body, headers=None):
    return {
        "statusCode": status_code,
        "headers": {"content-type": "application/json", **(headers or {})},
        "body": json.dumps(body),
    }


def _read_body(event):
    raw = event.get("body") or ""
    return base64.b64decode(raw).decode("utf-8") if event.get("isBase64Encoded") else raw


def handler(event, context):
    method = event.get("requestContext", {}).get("http", {}).get("method", "GET")
    if method == "GET":
        name = (event.get("queryStringParameters") or {}).get("name", "world")
        return _json(200, {"message": f"Hello, {name}!", "path": event.get("rawPath")})
    if method == "POST":
        try:
            return _json(201, {"received": json.loads(_read_body(event))})
        except ValueError:
            return _json(400, {"error": "The request body must be valid JSON"})
    return _json(405, {"error": f"Method {method} is not allowed"}, {"allow": "GET, POST"})
