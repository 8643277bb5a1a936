"""Quote a computed value in a chapter's prose, in the book and in Colab alike."""


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

    Returns None, so the cell shows only the printed code.
    """
    import inspect

    source = inspect.getsource(function)
    docstring = inspect.getdoc(function)
    if docstring and '"""' in source:
        head, _, rest = source.partition('"""')
        _, _, body = rest.partition('"""')
        source = head.rstrip() + body
    print(source.rstrip())
