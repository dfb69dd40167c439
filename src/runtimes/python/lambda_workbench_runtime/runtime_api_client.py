# Clients of the Lambda Runtime API (2018-06-01): one keep-alive HTTP connection for /next and every result post, or the
# runtime channel (frames on an inherited socket, or two FIFOs in a container; src/shared/runtimeChannel.ts) when the engine gives one.
import functools
import json
import os
import socket
import struct
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
        # Imported by this client only: with the runtime channel an environment does not load http.client (about 6 MB).
        import http.client

        self._http = http.client
        self._connection = http.client.HTTPConnection(host_port)

    def _request(self, method, path, body=None, headers=None):
        """
        Sends one request, reconnecting once if the server closed the idle keep-alive connection; an answer that is
        not HTTP is a RuntimeApiError.
        """
        try:
            try:
                return self._send(method, path, body, headers)
            except (self._http.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._connection.close()
                return self._send(method, path, body, headers)
        except self._http.HTTPException as e:
            raise RuntimeApiError(str(e)) from e

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


# Frame kinds and prefix of the runtime channel; mirror src/shared/runtimeChannel.ts.
_NEXT = 0x6E
_RESPONSE = 0x72
_ERROR = 0x65
_INIT_ERROR = 0x69
_INVOCATION = 0x76
_PREFIX = struct.Struct(">BBII")
_JSON_TYPE = "application/json"


class _LowerCaseHeaders(dict):
    """The invocation frame's headers (lower-case names, as node:http gives them), looked up by any case."""

    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)


def channel_descriptors(value):
    """The runtime channel's descriptors from its variable: "3" (one socket both ways) or "3,4" (read, write: a container's FIFOs)."""
    parts = value.split(",")
    if not 1 <= len(parts) <= 2 or not all(part.isdigit() for part in parts):
        return None
    return int(parts[0]), int(parts[-1])


class RuntimeChannelClient(object):
    """The same calls as RuntimeApiClient, as frames on the runtime channel's descriptors (no answer is awaited)."""

    def __init__(self, read_fd, write_fd):
        # Inherited from the engine, so inheritable: the processes the function starts (os.system, close_fds=False) must not get them.
        for fd in {read_fd, write_fd}:
            os.set_inheritable(fd, False)
        if read_fd == write_fd:
            self._socket = socket.socket(fileno=read_fd)
            self._reader = self._socket.makefile("rb")
            self._write = self._socket.sendall
        else:
            self._reader = os.fdopen(read_fd, "rb")
            self._write = functools.partial(_write_all, write_fd)

    def next_invocation(self):
        self._send(_NEXT, "", b"")
        kind, head, body = self._read_frame()
        if kind != _INVOCATION:
            raise RuntimeApiError("the runtime channel sent a frame of kind {} instead of an invocation".format(kind))
        return Invocation(body, _LowerCaseHeaders(json.loads(head)))

    def post_response(self, request_id, body, content_type):
        # The head carries the content type after the id when it is not JSON (bytes: application/unknown).
        self._send(_RESPONSE, request_id if content_type == _JSON_TYPE else request_id + "\n" + content_type, body)

    def post_error(self, request_id, error, xray_cause):
        self._send(_ERROR, request_id, _error_body(error))

    def post_init_error(self, error, xray_cause):
        self._send(_INIT_ERROR, error["errorType"], _error_body(error))

    def _send(self, kind, head, body):
        head_bytes = head.encode("utf-8")
        self._write(_PREFIX.pack(kind, 0, len(head_bytes), len(body)) + head_bytes + body)

    def _read_frame(self):
        kind, _flags, head_length, body_length = _PREFIX.unpack(self._read_exactly(_PREFIX.size))
        head = self._read_exactly(head_length).decode("utf-8")
        return kind, head, self._read_exactly(body_length)

    def _read_exactly(self, length):
        data = self._reader.read(length)
        if len(data) != length:
            raise RuntimeApiError("the engine closed the runtime channel")
        return data


def _error_body(error):
    return marshalling.to_json(error).encode("utf-8")


def _error_headers(error, xray_cause):
    headers = {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error["errorType"]}
    cause = json.dumps(xray_cause)
    if len(cause.encode("utf-8")) < _MAX_XRAY_CAUSE_BYTES:
        headers["Lambda-Runtime-Function-XRay-Error-Cause"] = cause
    return headers


def _write_all(fd, data):
    """A whole frame on a blocking descriptor that is not a socket (a FIFO): os.write may take part of it."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
