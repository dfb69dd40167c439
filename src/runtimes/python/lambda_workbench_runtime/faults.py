# Runtime.* faults and the error bodies the Python runtime posts ({errorMessage, errorType, requestId, stackTrace}).
import os
import traceback

MARSHAL_ERROR = "Runtime.MarshalError"
UNMARSHAL_ERROR = "Runtime.UnmarshalError"
USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"


class FaultException(Exception):
    """An error the runtime itself reports (as opposed to one raised by the handler)."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


def make_error(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace or [],
    }


def user_frames(tb, runtime_dir):
    """The traceback's frames, without the leading ones that belong to this runtime client."""
    frames = traceback.extract_tb(tb)
    prefix = os.path.join(runtime_dir, "")
    for index, frame in enumerate(frames):
        if not frame.filename.startswith(prefix):
            return frames[index:]
    return frames


def error_from_exception(exc, runtime_dir, request_id=None):
    """The error body for any exception: faults keep their Runtime.* type, others are named by their class."""
    if isinstance(exc, FaultException):
        return make_error(exc.message, exc.error_type, exc.trace, request_id)
    frames = user_frames(exc.__traceback__, runtime_dir)
    return make_error(str(exc), type(exc).__name__, traceback.format_list(frames), request_id)


def xray_cause(exc, runtime_dir):
    """The Lambda-Runtime-Function-XRay-Error-Cause document for an error."""
    if isinstance(exc, FaultException):
        exceptions = [{"message": exc.message, "type": "LambdaValidationError", "stack": []}]
        paths = []
    else:
        frames = user_frames(exc.__traceback__, runtime_dir)
        stack = [{"label": f.name, "path": f.filename, "line": f.lineno} for f in frames]
        exceptions = [{"message": str(exc), "type": type(exc).__name__, "stack": stack}]
        paths = sorted({f.filename for f in frames})
    return {"working_directory": os.getcwd(), "exceptions": exceptions, "paths": paths}
