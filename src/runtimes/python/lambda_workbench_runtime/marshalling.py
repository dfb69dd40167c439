# JSON in and out of handlers, as the AWS Python runtime does it (Decimal as a number, Runtime.*MarshalError).
import decimal
import json
import math
import os
import re

from . import faults

# Decimals are written as exact number text. The stdlib encoder cannot emit raw text, so a Decimal first becomes a
# tagged string (the NUL makes it impossible to confuse with handler data) that is swapped for the number afterwards.
# 128 random bits, as uuid4().hex has, without importing uuid (and its platform probes) at every cold start.
_DECIMAL_TAG = "\u0000lwb-decimal-" + os.urandom(16).hex() + ":"
_ENCODED_DECIMAL = re.compile(re.escape(json.dumps(_DECIMAL_TAG)[:-1]) + r'([^"]*)"')


class _Encoder(json.JSONEncoder):
    def default(self, obj):
        if isinstance(obj, decimal.Decimal):
            return math.nan if obj.is_nan() else _DECIMAL_TAG + str(obj)
        return super().default(obj)


# The python3.12 runtime writes non-ASCII characters as is; the others escape them.
_ENCODER = _Encoder(ensure_ascii=os.environ.get("AWS_EXECUTION_ENV") != "AWS_Lambda_python3.12")


def to_json(obj):
    return _ENCODED_DECIMAL.sub(r"\1", _ENCODER.encode(obj))


def unmarshal_request(body, content_type):
    """The event passed to the handler: parsed JSON, or the raw bytes for other content types."""
    if content_type != "application/json":
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise faults.FaultException(faults.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(e))


def marshal_response(response):
    """The response body and its content type."""
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise faults.FaultException(faults.MARSHAL_ERROR, "Unable to marshal response: {}".format(e))
