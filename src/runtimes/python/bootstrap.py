# Python runtime client entry point: runs inside an instance (process or container) as `python3 bootstrap.py`.
import os
import sys

_RUNTIME_DIR = os.path.dirname(os.path.realpath(__file__))

# Explicit, so the import also works under `python3 -P` / PYTHONSAFEPATH.
sys.path.insert(0, _RUNTIME_DIR)
from lambda_workbench_runtime import host_packages, invoke_loop, sdk_endpoints  # noqa: E402

# User code must not see (or shadow) the runtime's own modules: drop the runtime directory, including the entry
# Python adds for the script's directory. invoke_loop puts LAMBDA_TASK_ROOT first instead.
sys.path[:] = [entry for entry in sys.path if os.path.realpath(entry or os.curdir) != _RUNTIME_DIR]
# Nor the host's installed packages: on Lambda a function imports its code, its layers and the runtime's own packages.
host_packages.hide()
# A botocore older than 1.31 (Debian's) ignores AWS_ENDPOINT_URL_<SERVICE>, which keeps the functions' SDK calls local.
sdk_endpoints.install()

if __name__ == "__main__":
    invoke_loop.run(_RUNTIME_DIR)
