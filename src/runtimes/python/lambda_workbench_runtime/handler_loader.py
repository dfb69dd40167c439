# Resolves _HANDLER ("pkg/module.function") to the user's function, with the Python runtime's Runtime.* errors.
import importlib
import sys

from . import faults


def load_handler(handler):
    """Imports the handler's module and returns the function; raises FaultException the way Lambda reports it."""
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise faults.FaultException(faults.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, e))

    if module_name.split(".")[0] in sys.builtin_module_names:
        raise faults.FaultException(
            faults.BUILT_IN_MODULE_CONFLICT,
            "Cannot use built-in module {} as a handler module".format(module_name),
        )
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        raise faults.FaultException(
            faults.IMPORT_MODULE_ERROR, "Unable to import module '{}': {}".format(module_name, e)
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise faults.FaultException(
            faults.USER_CODE_SYNTAX_ERROR, "Syntax error in module '{}': {}".format(module_name, e), trace
        )

    try:
        return getattr(module, function_name)
    except AttributeError:
        raise faults.FaultException(
            faults.HANDLER_NOT_FOUND, "Handler '{}' missing on module '{}'".format(function_name, module_name)
        )
