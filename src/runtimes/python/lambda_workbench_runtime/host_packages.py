# Keeps the host's installed packages (site-packages, dist-packages, user site) off the handler's import path, as on Lambda.
import os
import sys
import sysconfig

# What was taken off sys.path: the debugger may still be imported from there (debugging.py).
HIDDEN = []


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
