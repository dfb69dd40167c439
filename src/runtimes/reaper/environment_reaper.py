# Starts one unsandboxed runtime as its child subreaper (Linux prctl), so what the handler starts ends with the environment.
#
# Every process the runtime leaves behind, daemons that called setsid and were orphaned included, is re-parented to this
# launcher instead of init. When the runtime exits (or is killed), or when the service that spawned the launcher dies
# (parent-death signal), the launcher kills every descendant, reaps them, and exits with the runtime's status
# (128 + N when signal N ended it, as bubblewrap reports). The runtime's command comes as JSON in COMMAND_ENV, so the
# launcher's own command line names no runtime. Standard library only; run with -I -S (no PYTHON* variables, no site).
import ctypes
import json
import os
import signal
import sys

COMMAND_ENV = 'LAMBDA_WORKBENCH_REAPED_COMMAND'
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
# Dispositions Python changes for itself that an exec would pass on to the runtime.
PYTHON_IGNORED_SIGNALS = (signal.SIGPIPE, signal.SIGXFSZ)


def prctl(option, value):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, value, 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


def descendants():
    """Every live descendant of this process, read from /proc/<pid>/task/<tid>/children."""
    found = []
    pending = [os.getpid()]
    while pending:
        pid = pending.pop()
        try:
            tasks = os.listdir(f'/proc/{pid}/task')
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f'/proc/{pid}/task/{task}/children', encoding='ascii') as children:
                    for child in children.read().split():
                        found.append(int(child))
                        pending.append(int(child))
            except OSError:
                pass
    return found


def end_environment(status):
    """Kills every descendant until none is left (the orphans of killed ones come here), then exits with `status`."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        for pid in descendants():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(status)


def exit_status(wait_status):
    code = os.waitstatus_to_exitcode(wait_status)
    return 128 - code if code < 0 else code


def main():
    parent = int(sys.argv[1])
    command = json.loads(os.environ.pop(COMMAND_ENV))
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    signal.signal(signal.SIGTERM, lambda *_: end_environment(128 + signal.SIGTERM))
    if os.getppid() != parent:
        # The service died before the parent-death signal was armed.
        end_environment(128 + signal.SIGTERM)
    runtime = os.fork()
    if runtime == 0:
        for number in PYTHON_IGNORED_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            os.execvp(command[0], command)
        except OSError as error:
            print(f'lambda-workbench: cannot start {command[0]}: {error.strerror}', file=sys.stderr, flush=True)
            os._exit(127)
    while True:
        pid, wait_status = os.waitpid(-1, 0)
        if pid == runtime:
            end_environment(exit_status(wait_status))


main()
