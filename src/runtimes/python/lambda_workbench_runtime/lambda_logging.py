# Lambda-style output for Python handlers: unbuffered stdout/stderr, the root logger in Text or JSON format, error logs.
import json
import logging
import os
import sys
import time
import traceback
from datetime import datetime, timezone

from . import marshalling

_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"
_ERROR_LINE_SEPARATOR = "\r"
_NO_BREAK_SPACE = "\u00a0"

# LogRecord attributes that are not copied into JSON lines as extra fields.
_RESERVED_FIELDS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
    "processName", "process", "aws_request_id",
}

_state = {"request_id": None, "json": False}


class Unbuffered(object):
    """Wraps a text stream so every write reaches the engine at once."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def write(self, text):
        written = self.stream.write(text)
        self.stream.flush()
        return written

    def writelines(self, lines):
        self.stream.writelines(lines)
        self.stream.flush()


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _state["request_id"] or ""
        return True


class _StdoutHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per record: timestamp, level, message, logger, requestId (+ error fields and extras)."""

    def formatTime(self, record, datefmt=None):
        moment = datetime.fromtimestamp(record.created, tz=timezone.utc)
        return moment.strftime(_TIMESTAMP_FORMAT + ".%f")[:-3] + "Z"

    def format(self, record):
        record.levelno = min(50, max(0, record.levelno)) // 10 * 10
        record.levelname = logging.getLevelName(record.levelno)
        exc_info = record.exc_info
        result = {
            "timestamp": self.formatTime(record),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc_info[2]) if exc_info else None,
            "errorType": exc_info[0].__name__ if exc_info else None,
            "errorMessage": str(exc_info[1]) if exc_info else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": "{}:{}:{}".format(record.pathname, record.funcName, record.lineno) if exc_info else None,
        }
        result.update(
            (key, value) for key, value in record.__dict__.items() if key not in _RESERVED_FIELDS and key not in result
        )
        return json.dumps({k: v for k, v in result.items() if v is not None}, ensure_ascii=False) + "\n"


def _log_level_from_env(value):
    level = (value or "").upper()
    return "DEBUG" if level == "TRACE" else level


def setup():
    """Installs the unbuffered streams and the Lambda handler on the root logger (from AWS_LAMBDA_LOG_*)."""
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    _state["json"] = (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"

    logging.Formatter.converter = time.gmtime
    handler = _StdoutHandler()
    if _state["json"]:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", _TIMESTAMP_FORMAT
            )
        )
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    level = _log_level_from_env(os.environ.get("AWS_LAMBDA_LOG_LEVEL"))
    if level in logging._nameToLevel:
        root.setLevel(level)
    root.addHandler(handler)


def set_request_id(request_id):
    _state["request_id"] = request_id


def _indent_with_no_break_spaces(line):
    stripped = line.lstrip(" ")
    return _NO_BREAK_SPACE * (len(line) - len(stripped)) + stripped


def log_error(error):
    """Logs an error body the way the runtime does: one record, '[ERROR] Type: message' + traceback, or JSON."""
    if _state["json"]:
        record = {"timestamp": time.strftime(_TIMESTAMP_FORMAT, time.gmtime()), "level": "ERROR"}
        record.update(error)
        sys.stdout.write(marshalling.to_json(record) + "\n")
        return
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        description += (":" if error.get("errorType") else "") + " " + error["errorMessage"]
    lines = [description, "Traceback (most recent call last):"]
    for element in error.get("stackTrace") or []:
        if element == "":
            lines.append("")
        else:
            lines.extend(_indent_with_no_break_spaces(line) for line in element.splitlines())
    sys.stdout.write(_ERROR_LINE_SEPARATOR.join(lines) + "\n")
