# HTTP client for the Lambda Runtime API (2018-06-01): one keep-alive connection for /next and every result post.
import http.client
import json
import sys

from . import marshalling

_BASE = "/2018-06-01/runtime"
_MAX_XRAY_CAUSE_BYTES = 1024 * 1024


class Invocation(object):
    """One event from /next, with the headers the context is built from."""

    def __init__(self, body, headers):
        self.body = body
        self.request_id = headers.get("Lambda-Runtime-Aws-Request-Id") or ""
        self.deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self.trace_id = headers.get("Lambda-Runtime-Trace-Id")
        self.client_context = headers.get("Lambda-Runtime-Client-Context")
        self.cognito_identity = headers.get("Lambda-Runtime-Cognito-Identity")
        self.content_type = headers.get("Content-Type")


class RuntimeApiError(Exception):
    """The Runtime API answered something this client cannot continue from."""


class RuntimeApiClient(object):
    def __init__(self, host_port):
        self._connection = http.client.HTTPConnection(host_port)

    def _request(self, method, path, body=None, headers=None):
        """Sends one request, reconnecting once if the server closed the idle keep-alive connection."""
        try:
            return self._send(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self._connection.close()
            return self._send(method, path, body, headers)

    def _send(self, method, path, body, headers):
        self._connection.request(method, path, body=body, headers=headers or {})
        response = self._connection.getresponse()
        return response, response.read()

    def next_invocation(self):
        response, body = self._request("GET", _BASE + "/invocation/next")
        if response.status != 200:
            raise RuntimeApiError(
                "Runtime API /next answered {}: {}".format(response.status, body.decode("utf-8", "replace"))
            )
        return Invocation(body, response.headers)

    def post_response(self, request_id, body, content_type):
        path = "{}/invocation/{}/response".format(_BASE, request_id)
        self._post(path, body, {"Content-Type": content_type})

    def post_error(self, request_id, error, xray_cause):
        path = "{}/invocation/{}/error".format(_BASE, request_id)
        self._post(path, _error_body(error), _error_headers(error, xray_cause))

    def post_init_error(self, error, xray_cause):
        self._post(_BASE + "/init/error", _error_body(error), _error_headers(error, xray_cause))

    def _post(self, path, body, headers):
        response, answer = self._request("POST", path, body, headers)
        # 413 is reported to the caller by the engine (Function.ResponseSizeTooLarge); anything else is a bug.
        if response.status != 202 and response.status != 413:
            sys.stderr.write(
                "[lambda-workbench] Runtime API answered {} to POST {}: {}\n".format(
                    response.status, path, answer.decode("utf-8", "replace")
                )
            )


def _error_body(error):
    return marshalling.to_json(error).encode("utf-8")


def _error_headers(error, xray_cause):
    headers = {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error["errorType"]}
    cause = json.dumps(xray_cause)
    if len(cause.encode("utf-8")) < _MAX_XRAY_CAUSE_BYTES:
        headers["Lambda-Runtime-Function-XRay-Error-Cause"] = cause
    return headers
