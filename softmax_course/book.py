"""What a chapter needs to show its work: computed values quoted in the prose, package code shown."""

import ast
import importlib.util
import inspect
import textwrap

# myst-nb's glue format (what myst_nb.glue writes, with display=False): a display output whose MIME types carry this
# prefix, its metadata naming the value. Written here, not imported: myst_nb.glue's module imports nbformat and so,
# through jsonschema, a URI grammar that takes most of a second to compile in every chapter's kernel.
# tests/test_book.py holds it to what myst_nb.glue writes.
GLUE_PREFIX = "application/papermill.record/"


def glue(name, value):
    """Make ``value`` available to the page's prose as ``{glue:text}`name```.

    In the book build, myst-nb reads the value from the notebook's outputs so that the prose
    quotes the number the code computed. Where myst-nb is not installed (Colab),
    this does nothing: the reader sees the value in the cell that computed it.
    Returns None, so a cell that ends with ``glue(...)`` shows no stray output.
    """
    if importlib.util.find_spec("myst_nb") is None:
        return
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + mime: data for mime, data in bundle.items()}, raw=True, metadata=metadata)


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
