# The runtime's main loop: init (logging, debugger, handler import), then /next -> handler -> /response or /error.
import logging
import os
import sys

from . import debugging, faults, handler_loader, lambda_context, lambda_logging, marshalling, protocol, watchdog
from .runtime_api_client import RuntimeApiClient, RuntimeApiError, RuntimeChannelClient, channel_descriptors

_UNHANDLED_EXCEPTION_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare "
    "cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, "
    "runtime updates can be triggered by a function change, or can be applied automatically. To determine if the "
    "runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with a "
    "change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the "
    "previous runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)


def _update_trace_id(trace_id):
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)


def _handle(client, handler, invocation, debugger, runtime_dir):
    try:
        context = lambda_context.create_context(invocation)
        event = marshalling.unmarshal_request(invocation.body, invocation.content_type)
        if debugger is not None:
            debugger.before_handler()
        response = handler(event, context)
        body, content_type = marshalling.marshal_response(response)
    except Exception as e:
        error = faults.error_from_exception(e, runtime_dir, invocation.request_id)
        lambda_logging.log_error(error)
        protocol.write_flush_marker(invocation.request_id)
        client.post_error(invocation.request_id, error, faults.xray_cause(e, runtime_dir))
        return
    protocol.write_flush_marker(invocation.request_id)
    client.post_response(invocation.request_id, body, content_type)


def _init(client, runtime_dir):
    """Imports the handler; on failure reports the init error and ends the process, as Lambda's runtime does."""
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    sys.path.insert(0, task_root)
    try:
        return handler_loader.load_handler(os.environ.get("_HANDLER", ""))
    except Exception as e:
        error = faults.error_from_exception(e, runtime_dir)
        logging.warning(_UNHANDLED_EXCEPTION_WARNING)
        lambda_logging.log_error(error)
        protocol.write_flush_marker("")
        client.post_init_error(error, faults.xray_cause(e, runtime_dir))
        sys.exit(1)


def _fail(message):
    sys.stderr.write("[lambda-workbench] {}\n".format(message))
    sys.exit(1)


def run(runtime_dir):
    """Entry point. runtime_dir is where this runtime client's files are (kept out of tracebacks and the debugger)."""
    watchdog.watch_parent()
    lambda_logging.setup()
    runtime_api = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not runtime_api:
        _fail("AWS_LAMBDA_RUNTIME_API is not set: this runtime client runs inside a Lambda Workbench instance.")
    # Engine plumbing, not part of the function's environment.
    channel = channel_descriptors(os.environ.pop(protocol.RUNTIME_CHANNEL_ENV, ""))
    client = RuntimeChannelClient(*channel) if channel else RuntimeApiClient(runtime_api)
    try:
        debugger = debugging.start_if_requested(runtime_dir)
    except debugging.StartupError as e:
        _fail(e)
    try:
        handler = _init(client, runtime_dir)
        while True:
            invocation = client.next_invocation()
            lambda_logging.set_request_id(invocation.request_id)
            _update_trace_id(invocation.trace_id)
            _handle(client, handler, invocation, debugger, runtime_dir)
    except (OSError, RuntimeApiError) as e:
        _fail("lost the Runtime API at {}: {}".format(runtime_api, e))
