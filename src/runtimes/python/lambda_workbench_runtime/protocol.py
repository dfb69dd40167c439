# Constants shared with the engine; mirrors src/shared/runtimeProtocol.ts (a unit test keeps them in sync).
import sys

# Written with the request id to stdout and stderr right before each result is posted, so the engine can
# print END/REPORT after every line the handler wrote.
FLUSH_MARKER = "\u001bLWB-FLUSH "

# Set on instances started for debugging: stop before the first handler call.
BREAK_ON_HANDLER_ENV = "LAMBDA_WORKBENCH_BREAK_ON_HANDLER"

# Loopback port debugpy listens on, when the instance is started for debugging.
DEBUGPY_PORT_ENV = "LAMBDA_WORKBENCH_DEBUGPY_PORT"

# Address debugpy listens on (default 127.0.0.1); 0.0.0.0 only inside a bridge-networked container.
DEBUGPY_HOST_ENV = "LAMBDA_WORKBENCH_DEBUGPY_HOST"

# The descriptor of the runtime channel, when the engine gives one (process backend); see src/shared/runtimeChannel.ts.
RUNTIME_CHANNEL_ENV = "LAMBDA_WORKBENCH_RUNTIME_CHANNEL"

# The host's folder(s) holding boto3 and what it imports, for interpreters that have none of their own (os.pathsep list).
PYTHON_SDK_ENV = "LAMBDA_WORKBENCH_PYTHON_SDK"


def write_flush_marker(request_id):
    """Marks the end of one request's output on both streams and pushes everything out."""
    line = FLUSH_MARKER + request_id + "\n"
    for stream in (sys.stdout, sys.stderr):
        stream.write(line)
        stream.flush()
