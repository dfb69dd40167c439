# Ends the runtime when the engine that started it is gone (its parent changed: the service was killed), so no runtime lingers.
import os
import sys
import threading
import time

_CHECK_SECONDS = 1.0


def watch_parent():
    """Checks the parent from a daemon thread (it runs while a handler runs); started by init or as a container's first process, nothing to watch."""
    parent = os.getppid()
    if parent <= 1:
        return

    def watch():
        while True:
            time.sleep(_CHECK_SECONDS)
            if os.getppid() != parent:
                sys.stderr.write(
                    "[lambda-workbench] the engine that started this runtime (pid {}) is gone; exiting.\n".format(parent)
                )
                sys.stderr.flush()
                os._exit(1)

    thread = threading.Thread(target=watch, name="lambda-workbench-watchdog", daemon=True)
    # debugpy does not list its own daemon threads: this one is not the user's either.
    thread.is_pydev_daemon_thread = True
    thread.start()
