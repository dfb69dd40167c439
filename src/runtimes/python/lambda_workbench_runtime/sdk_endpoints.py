# Configured endpoints (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL) for a botocore too old to read them (before 1.31),
# so a handler's boto3 calls reach the local services the engine names in those variables, as a current SDK's do.
import functools
import importlib.abc
import importlib.util
import os
import sys

_SESSION_MODULE = "botocore.session"


def configured_endpoint_url(service_id, environ):
    """
    The endpoint the environment configures for a service, as botocore 1.31+ reads it: AWS_ENDPOINT_URL_<SERVICE ID> (the
    model's serviceId, spaces as underscores, upper case), then AWS_ENDPOINT_URL; none when
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true.
    """
    if environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    service_variable = "AWS_ENDPOINT_URL_" + str(service_id).replace(" ", "_").upper()
    return environ.get(service_variable) or environ.get("AWS_ENDPOINT_URL") or None


def _reads_configured_endpoints():
    """Whether the loaded botocore reads configured endpoints itself (it knows AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)."""
    configprovider = sys.modules.get("botocore.configprovider")
    return "ignore_configured_endpoint_urls" in getattr(configprovider, "BOTOCORE_DEFAUT_SESSION_VARIABLES", {})


def _patch_session(module):
    """Makes Session.create_client (boto3's clients and resources go through it) apply the configured endpoint."""
    if _reads_configured_endpoints():
        return
    # Imported here, with an old botocore only: every cold start would pay for it (a few ms), and botocore imports it anyway.
    import inspect

    original = module.Session.create_client
    signature = inspect.signature(original)

    @functools.wraps(original)
    def create_client(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        if bound.arguments.get("endpoint_url") is None:
            try:
                service_id = self.get_service_model(bound.arguments["service_name"], bound.arguments.get("api_version")).service_id
            except Exception:
                # An unknown service: the original call reports it as botocore does.
                service_id = None
            url = configured_endpoint_url(service_id, os.environ) if service_id else None
            if url:
                bound.arguments["endpoint_url"] = url
        return original(*bound.args, **bound.kwargs)

    module.Session.create_client = create_client


class _PatchingLoader(importlib.abc.Loader):
    """Loads a module with its own loader, then patches it, and leaves the module its own loader."""

    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        module.__loader__ = module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        self._patch(module)


class _BotocoreSessionFinder(importlib.abc.MetaPathFinder):
    """First on the meta path: finds botocore.session where the other finders do (bundled, layer or runtime copy)."""

    def __init__(self):
        self._finding = False

    def find_spec(self, fullname, path=None, target=None):
        if fullname != _SESSION_MODULE or self._finding:
            return None
        self._finding = True
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self._finding = False
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _PatchingLoader(spec.loader, _patch_session)
        return spec


def install():
    """Patches botocore when it is imported, if it is too old to read configured endpoints; nothing is imported now."""
    if _SESSION_MODULE in sys.modules:
        _patch_session(sys.modules[_SESSION_MODULE])
    else:
        sys.meta_path.insert(0, _BotocoreSessionFinder())
