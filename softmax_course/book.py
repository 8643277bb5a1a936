"""What a chapter needs to show its work: computed values quoted in the prose, package code shown."""

import ast
import inspect
import textwrap


def glue(name, value):
    """Make ``value`` available to the page's prose as ``{glue:text}`name```.

    In the book build, myst-nb stores the value in the notebook so that the prose
    quotes the number the code computed. Where myst-nb is not installed (Colab),
    this does nothing: the reader sees the value in the cell that computed it.
    Returns None, so a cell that ends with ``glue(...)`` shows no stray output.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value, display=False)


def show_source(function):
    """Print the source of ``function`` without its docstring, as a chapter shows package code.

    The docstring is found by parsing the source (any quotes, any length), and a
    method's source is dedented. Returns None, so the cell shows only the printed code.

    Raises
    ------
    TypeError
        If ``function`` has no Python source (a builtin, or a class or module).
    """
    if not inspect.isfunction(function) and not inspect.ismethod(function):
        raise TypeError(f"show_source expects a Python function, got {function!r}")
    source = textwrap.dedent(inspect.getsource(function))
    lines = source.splitlines()
    definition = ast.parse(source).body[0]
    is_function = isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef))
    if is_function and ast.get_docstring(definition) is not None:
        docstring = definition.body[0]
        if docstring.lineno > definition.lineno:  # not on the def's own line
            del lines[docstring.lineno - 1 : docstring.end_lineno]
    print("\n".join(lines).rstrip())
