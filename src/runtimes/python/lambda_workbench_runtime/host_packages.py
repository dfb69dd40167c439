# Keeps the host's installed packages (site-packages, dist-packages, user site) off the handler's import path, as on Lambda,
# except the AWS SDK for Python that Lambda's Python runtimes provide.
import importlib.abc
import importlib.machinery
import os
import sys
import sysconfig

from . import protocol

# What was taken off sys.path: the debugger may still be imported from there (debugging.py).
HIDDEN = []
# Where the engine found boto3 on the host (PYTHON_SDK_ENV), for an interpreter that has none of its own.
HOST_SDK = []

# The packages of Lambda's Python runtimes besides the standard library: boto3 and what it imports.
RUNTIME_SDK = frozenset(("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3"))


class RuntimeSdkFinder(importlib.abc.MetaPathFinder):
    """
    Finds the runtime's SDK packages among the host's hidden ones, after the code and layers (which may bring their own).
    What the host's SDK itself imports from there (Debian's botocore uses the system's requests) is found for it too, and
    for nothing else: the handler's own imports of other host packages still fail, as on Lambda.
    """

    def __init__(self):
        self._sdk = set(RUNTIME_SDK)
        self._search_path = None

    def find_spec(self, fullname, path=None, target=None):
        if path is not None or (fullname not in RUNTIME_SDK and not self._imported_by_sdk()):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, self._sdk_search_path())
        if spec is not None:
            self._sdk.add(fullname)
        return spec

    def _sdk_search_path(self):
        """
        The interpreter's own packages when they hold boto3, else the host's SDK folder the engine named: one SDK, with
        the dependencies it was installed with, never an SDK of one place over dependencies of another.
        """
        if self._search_path is None:
            has_boto3 = any(os.path.isdir(os.path.join(entry or os.curdir, "boto3")) for entry in HIDDEN)
            self._search_path = HIDDEN if has_boto3 or not HOST_SDK else HOST_SDK
        return self._search_path

    def _imported_by_sdk(self):
        """Whether the module running the import statement (the first frame outside the import machinery) is the SDK's."""
        frame = sys._getframe(2)
        while frame is not None and (frame.f_code.co_filename.startswith("<frozen") or frame.f_globals.get("__name__") == __name__):
            frame = frame.f_back
        importer = frame.f_globals.get("__name__", "") if frame is not None else ""
        return importer.split(".")[0] in self._sdk


def _standard_library_dirs():
    paths = sysconfig.get_paths()
    dirs = {paths.get("stdlib"), paths.get("platstdlib"), sysconfig.get_config_var("DESTSHARED")}
    dirs.update(os.path.join(directory, "lib-dynload") for directory in list(dirs) if directory)
    return {os.path.realpath(directory) for directory in dirs if directory}


def hide():
    """Leaves on sys.path only the standard library and what PYTHONPATH names (the code, its layers, the runtime's own)."""
    standard = _standard_library_dirs()
    named = {os.path.realpath(entry) for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry}
    # The standard library may also come as a zip beside its folder (python311.zip).
    zip_dirs = {os.path.dirname(directory) for directory in standard}
    kept = []
    for entry in sys.path:
        real = os.path.realpath(entry or os.curdir)
        if real in standard or real in named or (real.endswith(".zip") and os.path.dirname(real) in zip_dirs):
            kept.append(entry)
        else:
            HIDDEN.append(entry)
    sys.path[:] = kept
    # The engine's variable, not the function's: handlers do not see it.
    HOST_SDK.extend(entry for entry in os.environ.pop(protocol.PYTHON_SDK_ENV, "").split(os.pathsep) if entry)
    # Last on the meta path: the code and the layers come first, as on Lambda.
    sys.meta_path.append(RuntimeSdkFinder())
