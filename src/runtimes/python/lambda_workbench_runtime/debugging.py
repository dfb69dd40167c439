# debugpy support: listen on a loopback port, keep the debugger out of runtime code, stop before the first handler call.
import os
import sys

from . import host_packages, protocol

# Where Debian's python3-debugpy installs debugpy (for /usr/bin/python3); used when the interpreter has none.
_DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"


class StartupError(Exception):
    """The instance was asked for debugging but cannot provide it; the message says what to fix."""


def _import_debugpy():
    try:
        import debugpy

        return debugpy
    except ImportError:
        pass
    # The interpreter's own packages are hidden from handlers (host_packages.py); the debugger may live there.
    for entry in host_packages.HIDDEN:
        if os.path.isdir(os.path.join(entry, "debugpy")) and entry not in sys.path:
            sys.path.append(entry)
            import debugpy

            return debugpy
    if os.path.isdir(os.path.join(_DEBIAN_DIST_PACKAGES, "debugpy")) and _DEBIAN_DIST_PACKAGES not in sys.path:
        # Appended last so the interpreter's own packages and the function's code always win.
        sys.path.append(_DEBIAN_DIST_PACKAGES)
        try:
            import debugpy

            return debugpy
        except ImportError:
            pass
    raise StartupError(
        "debugpy is not installed for {} (Python {}.{}). Install it with `apt-get install python3-debugpy` "
        "(Debian) or `python3 -m pip install debugpy`.".format(sys.executable, *sys.version_info[:2])
    )


def _parse_port(text):
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise StartupError("{}={!r} is not a TCP port (1-65535).".format(protocol.DEBUGPY_PORT_ENV, text))
    return port


class Debugger(object):
    """An attached-or-attachable debugpy session for this instance."""

    def __init__(self, debugpy, break_on_handler):
        self._debugpy = debugpy
        self._break_pending = break_on_handler

    def before_handler(self):
        """Called right before a handler call; the first time (when requested) the debugger stops on its first line."""
        if self._break_pending:
            self._break_pending = False
            # Runtime frames are not traced, so the pause lands on the next traced line: the handler's first one.
            self._debugpy.breakpoint()


def _exclude_runtime_code(runtime_dir):
    """Tells pydevd never to trace (nor stop in, nor step into) this runtime client's files."""
    import pydevd
    from _pydevd_bundle.pydevd_api import PyDevdAPI

    PyDevdAPI().set_dont_trace_start_end_patterns(pydevd.get_global_debugger(), (os.path.join(runtime_dir, ""),), ())


def start_if_requested(runtime_dir):
    """Starts debugpy when the engine asked for it (LAMBDA_WORKBENCH_DEBUGPY_PORT); returns a Debugger or None."""
    port_text = os.environ.get(protocol.DEBUGPY_PORT_ENV)
    if not port_text:
        return None
    port = _parse_port(port_text)
    debugpy = _import_debugpy()
    host = os.environ.get(protocol.DEBUGPY_HOST_ENV) or "127.0.0.1"
    try:
        debugpy.listen((host, port))
        _exclude_runtime_code(runtime_dir)
    except Exception as e:
        if "Address already in use" in str(e):
            raise StartupError(
                "this environment was started for debugging, but the debugger could not listen on {}:{}: another program "
                "uses that port, so the function was not run. Free that port or choose another one (the CLI's "
                "--debug-port; a new debug session picks another), then invoke again.".format(host, port)
            )
        raise StartupError(
            "debugpy from {} cannot debug Python {}.{} ({}: {}). Install a debugpy that supports this interpreter "
            "with `{} -m pip install debugpy`.".format(
                os.path.dirname(os.path.dirname(debugpy.__file__)), *sys.version_info[:2], type(e).__name__, e, sys.executable
            )
        )
    break_on_handler = os.environ.get(protocol.BREAK_ON_HANDLER_ENV) == "1"
    if break_on_handler:
        debugpy.wait_for_client()
    return Debugger(debugpy, break_on_handler)
