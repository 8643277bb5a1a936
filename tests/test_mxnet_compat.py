"""softmax_course.mxnet_compat restores exactly the missing numpy names, and checks distutils."""

import importlib.util
import json
import math
import pathlib
import re
import subprocess
import sys
import types
import warnings

import numpy as np
import pytest

from softmax_course import mxnet_compat
from softmax_course.mxnet_compat import REPLACEMENTS, ensure_compatible, restore_numpy_names

NUMPY_VERSION = tuple(int(part) for part in np.__version__.split(".")[:2])


def test_reference_numpy_gets_nothing_added():
    # On numpy < 1.24 (the pinned 1.23.5) every name is still there; on a newer
    # numpy a second call finds the names the first call added.
    first = ensure_compatible()
    if NUMPY_VERSION < (1, 24):
        assert first == []
    assert ensure_compatible() == []


def test_probing_emits_no_deprecation_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        restore_numpy_names()


def test_restores_every_name_on_an_empty_module():
    fake = types.SimpleNamespace()
    added = restore_numpy_names(fake)
    assert added == list(REPLACEMENTS)
    for name, value in REPLACEMENTS.items():
        assert getattr(fake, name) is value
    assert restore_numpy_names(fake) == []


def test_never_overwrites_an_existing_name():
    mine = object()
    fake = types.SimpleNamespace(bool=np.bool_, PZERO=mine, alltrue=mine)
    added = restore_numpy_names(fake)
    assert fake.bool is np.bool_ and fake.PZERO is mine and fake.alltrue is mine
    assert "bool" not in added and "PZERO" not in added and "alltrue" not in added
    assert set(added) == set(REPLACEMENTS) - {"bool", "PZERO", "alltrue"}


def test_a_module_getattr_that_raises_counts_as_missing():
    # numpy >= 2 answers removed names from a module __getattr__ that raises
    # AttributeError; numpy 1.20-1.23 answered them with a DeprecationWarning.
    module = types.ModuleType("fake_numpy")

    def __getattr__(name):
        if name == "msort":
            warnings.warn("np.msort is deprecated", DeprecationWarning)
            return "old msort"
        raise AttributeError(f"`np.{name}` was removed in the NumPy 2.0 release.")

    module.__getattr__ = __getattr__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        added = restore_numpy_names(module)
    assert "msort" not in added and "msort" not in vars(module)
    assert "PZERO" in added and module.PZERO == 0.0


def test_deleted_names_of_the_real_numpy_come_back(monkeypatch):
    for name in ("PZERO", "alltrue", "product"):
        monkeypatch.delattr(np, name, raising=False)
    added = restore_numpy_names()
    assert {"PZERO", "alltrue", "product"} <= set(added)
    assert np.PZERO == 0.0 and np.alltrue([True, False]) == False  # noqa: E712
    assert np.product([2, 3, 4]) == 24


def test_constants_equal_numpy_release_notes_replacements():
    assert REPLACEMENTS["PZERO"] == 0.0 and math.copysign(1, REPLACEMENTS["PZERO"]) == 1
    assert REPLACEMENTS["NZERO"] == 0.0 and math.copysign(1, REPLACEMENTS["NZERO"]) == -1
    assert REPLACEMENTS["PINF"] == np.inf == REPLACEMENTS["Inf"]
    assert REPLACEMENTS["NINF"] == -np.inf
    assert math.isnan(REPLACEMENTS["NAN"]) and math.isnan(REPLACEMENTS["NaN"])
    assert REPLACEMENTS["bool"] is bool  # what np.bool was before numpy 1.24


def test_functions_behave_as_their_replacements():
    r = REPLACEMENTS
    a = np.array([[3, 1], [1, 2]])
    assert r["alltrue"]([True, False]) == False and r["alltrue"](a > 0) == True  # noqa: E712
    assert r["sometrue"]([False, True]) == True  # noqa: E712
    assert r["product"](a) == 6
    np.testing.assert_array_equal(r["product"](a, axis=0), [3, 2])
    assert r["round_"](2.567, 1) == 2.6
    np.testing.assert_array_equal(r["msort"](a), [[1, 1], [3, 2]])
    np.testing.assert_array_equal(r["in1d"](np.array([[1, 2], [3, 4]]), [2, 3]), [False, True, True, False])
    np.testing.assert_array_equal(r["in1d"]([1, 2], [2], invert=True), [True, False])
    if hasattr(np, "trapezoid"):  # numpy >= 2.0; trapz is only restored where it exists
        assert r["trapz"]([1.0, 2.0, 3.0]) == 4.0


def test_aliases_are_distinct_functions():
    # MXNet keys its dispatch table by numpy function: an alias must not be the function itself.
    for name, current in [("alltrue", np.all), ("sometrue", np.any), ("product", np.prod), ("round_", np.round)]:
        assert REPLACEMENTS[name] is not current
        assert REPLACEMENTS[name].__name__ == name


@pytest.mark.parametrize("name", ["mirr", "npv", "pmt", "ppmt", "pv", "rate"])
def test_financial_functions_raise_as_numpy_did(name):
    with pytest.raises(RuntimeError, match="numpy_financial"):
        REPLACEMENTS[name](0.1, [1, 2])


def _find_spec_without(*missing):
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name in missing else real(name, *args, **kwargs)

    return find_spec


def test_missing_distutils_says_what_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", _find_spec_without("distutils", "setuptools"))
    with pytest.raises(ImportError) as info:
        ensure_compatible()
    message = str(info.value)
    assert "pip install setuptools" in message and "distutils" in message
    assert "\n" not in message and message.count(". ") == 0 and message.endswith(".")  # one sentence


def test_setuptools_installed_late_is_imported_to_provide_distutils(monkeypatch):
    state = {"imported": []}
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name == "distutils" and not state["imported"]:
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.setattr(mxnet_compat.importlib, "import_module", lambda name: state["imported"].append(name))
    if real("setuptools") is None:
        pytest.skip("setuptools is not installed here")
    mxnet_compat.check_distutils()
    assert state["imported"] == ["setuptools"]


def test_present_distutils_needs_nothing(monkeypatch):
    monkeypatch.setattr(mxnet_compat.importlib, "import_module", lambda name: pytest.fail("imported " + name))
    if importlib.util.find_spec("distutils") is None:
        pytest.skip("this Python has no distutils")
    mxnet_compat.check_distutils()


def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_importing_the_package_never_imports_mxnet():
    # Every module but softmax_course.gluon, whose job is to import mxnet.
    result = _run(
        "import importlib, pkgutil, sys, softmax_course\n"
        "for module in pkgutil.iter_modules(softmax_course.__path__):\n"
        "    if module.name != 'gluon':\n"
        "        importlib.import_module('softmax_course.' + module.name)\n"
        "assert 'mxnet' not in sys.modules, 'mxnet was imported'\n"
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(importlib.util.find_spec("mxnet") is None, reason="mxnet is not installed")
def test_mxnet_imports_and_trains_after_ensure_compatible():
    result = _run(
        "from softmax_course.mxnet_compat import ensure_compatible\n"
        "ensure_compatible()\n"
        "import mxnet as mx\n"
        "from mxnet import autograd, gluon, nd\n"
        "net = gluon.nn.Dense(2); net.initialize(); net.hybridize()\n"
        "trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})\n"
        "x, y = nd.ones((4, 3)), nd.array([0, 1, 0, 1])\n"
        "with autograd.record():\n"
        "    loss = gluon.loss.SoftmaxCrossEntropyLoss()(net(x), y)\n"
        "loss.backward(); trainer.step(4)\n"
        "print(loss.mean().asscalar())\n"
    )
    assert result.returncode == 0, result.stderr


NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebooks_call_ensure_compatible_before_importing_mxnet(path):
    # The code of the notebook in order, without the Colab setup cell (which installs mxnet).
    cells = json.loads(path.read_text())["cells"]
    code = "\n".join(
        "".join(cell["source"])
        for cell in cells
        if cell["cell_type"] == "code" and "colab-setup" not in cell["metadata"].get("tags", [])
    )
    imports = [m.start() for m in re.finditer(r"^\s*(import mxnet|from mxnet)\b", code, re.MULTILINE)]
    if imports:
        call = code.find("ensure_compatible()")
        assert 0 <= call < imports[0], f"{path.name} imports mxnet before calling ensure_compatible()"
