"""Unit tests of softmax_course.book: glue outside a book build, and show_source."""

import functools
import sys

import numpy as np
import pytest

from softmax_course import book, softmax


def undocumented(x):
    return x + 1


def documented(x):
    """One line."""
    return 2 * x


def long_docstring(x):
    '''Several lines, in single quotes,

    with a """ inside.
    '''
    text = """a string in the body stays"""
    return text, x


@functools.lru_cache(maxsize=None)
def decorated(x):
    """Decorated."""
    return x


class Holder:
    def method(self):
        """A method."""
        return self


def shown(capsys, function):
    assert book.show_source(function) is None
    return capsys.readouterr().out


def test_the_docstring_is_left_out_and_the_code_kept(capsys):
    assert shown(capsys, documented) == "def documented(x):\n    return 2 * x\n"


def test_a_function_without_docstring_is_shown_whole(capsys):
    assert shown(capsys, undocumented) == "def undocumented(x):\n    return x + 1\n"


def test_any_quotes_and_strings_in_the_body_are_handled(capsys):
    out = shown(capsys, long_docstring)
    assert out == 'def long_docstring(x):\n    text = """a string in the body stays"""\n    return text, x\n'


def test_decorators_are_kept_and_methods_dedented(capsys):
    out = shown(capsys, decorated.__wrapped__)
    assert out == "@functools.lru_cache(maxsize=None)\ndef decorated(x):\n    return x\n"
    assert shown(capsys, Holder().method) == "def method(self):\n    return self\n"


def test_package_code_is_shown_as_in_the_chapters(capsys):
    out = shown(capsys, softmax.logsumexp)
    assert out.startswith("def logsumexp(logits):\n    logits = ")
    assert "Parameters" not in out and "row_max" in out


@pytest.mark.parametrize("bad", [len, Holder, 3])
def test_something_that_is_not_a_python_function_raises(bad):
    with pytest.raises(TypeError, match="show_source expects a Python function"):
        book.show_source(bad)


def test_glue_writes_what_myst_nb_glue_writes():
    import myst_nb
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()  # a shell to format and display, as in a kernel
    for value in (0.5, 3, "λ = 1e-4", np.float32(0.25)):
        with capture_output() as ours:
            assert book.glue("rate", value) is None
        with capture_output() as theirs:
            myst_nb.glue("rate", value, display=False)
        assert len(ours.outputs) == 1 and ours.outputs[0].data  # one output, with data
        assert [(o.data, o.metadata) for o in ours.outputs] == [(o.data, o.metadata) for o in theirs.outputs]


def test_glue_does_nothing_where_myst_nb_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import myst_nb now raises ImportError, as in Colab
    assert book.glue("rate", 0.5) is None
