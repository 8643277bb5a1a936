"""Autograded exercises check the student's own code, not the package's.

A coding exercise asks the student to write a function the package already has
(``onehot.one_hot``, ``calibration.expected_calibration_error``, ...), and the chapter
imports the package, so a one-line answer that calls the package's function would pass
every test. An exercise's test cell therefore wraps the student's function first::

    one_hot_rows = grading.own_work(one_hot_rows, onehot.one_hot)

and then tests it as before. While the wrapped function runs, each package function
named is disabled, whatever name the student reached it by (an alias, an import of its
own, a copy of the function, a reloaded module): calling it raises
:class:`NotOwnWorkError`, which says which function the exercise asks the student to
write. Outside the call nothing changes, so the test's own reference values and the rest
of the notebook still use the package.
"""

import functools
import sys
import threading

_lock = threading.RLock()


class NotOwnWorkError(AssertionError):
    """A student's function called the package function the exercise asks them to write."""


def _refuse(*args, **kwargs):
    import softmax_course.grading as grading  # runs with the disabled function's globals

    raise grading.NotOwnWorkError(grading._message)


_message = ""


def _qualified_name(function):
    """The name a reader would import it by: ``scipy.special.log_softmax``, not its private module's path."""
    public = []
    for part in function.__module__.split("."):
        if part.startswith("_"):
            break
        public.append(part)
    return ".".join(public + [function.__qualname__])


def own_work(student_function, *package_functions):
    """``student_function``, wrapped so that ``package_functions`` are disabled while it runs.

    Parameters
    ----------
    student_function : callable
        The student's answer. Wrapping an already wrapped function wraps the original
        again, so re-running a test cell does not stack wrappers.
    *package_functions : Python functions
        The package's versions of what the exercise asks for (at least one). They must
        be plain functions (not builtins, not closures), since each is disabled by
        swapping its code object.

    Returns
    -------
    callable
        Calls ``student_function`` with the same arguments and returns its result;
        a call of any of ``package_functions`` during it raises :class:`NotOwnWorkError`.

    Raises
    ------
    TypeError
        If ``student_function`` is not callable, no package function is given, or one of
        them is not a plain Python function.
    """
    if not callable(student_function):
        raise TypeError(f"own_work expects the student's function first, got {student_function!r}")
    if not package_functions:
        raise TypeError("own_work needs at least one package function to disable")
    for function in package_functions:
        if not hasattr(function, "__code__") or function.__code__.co_freevars:
            raise TypeError(f"own_work can only disable plain Python functions, got {function!r}")
    original = getattr(student_function, "__wrapped_student__", student_function)
    names = ", ".join(f"`{_qualified_name(f)}`" for f in package_functions)
    message = (
        f"this exercise asks you to write the function yourself: while your "
        f"`{getattr(original, '__name__', 'function')}` runs, {names} "
        f"{'is' if len(package_functions) == 1 else 'are'} switched off, and your code called "
        f"{'it' if len(package_functions) == 1 else 'one of them'}"
    )

    # A copy of a package function (types.FunctionType of its code) or a fresh one from importlib.reload
    # escapes the code swap below; a profile hook catches it by where its code was written.
    origins = {(f.__code__.co_filename, f.__code__.co_qualname) for f in package_functions}

    def profile(frame, event, arg):
        if event == "call" and (frame.f_code.co_filename, frame.f_code.co_qualname) in origins:
            raise NotOwnWorkError(message)

    @functools.wraps(original)
    def checked(*args, **kwargs):
        global _message
        with _lock:
            saved = [(function, function.__code__) for function in package_functions]
            saved_message, _message = _message, message
            saved_profile = sys.getprofile()
            try:
                for function, _ in saved:
                    function.__code__ = _refuse.__code__
                sys.setprofile(profile)
                return original(*args, **kwargs)
            finally:
                sys.setprofile(saved_profile)
                for function, code in saved:
                    function.__code__ = code
                _message = saved_message

    checked.__wrapped_student__ = original
    return checked
