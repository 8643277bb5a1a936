"""Let MXNet 1.9.1, the last release, import on numpy >= 1.24 and Python >= 3.12.

MXNet 1.9.1 reads names that numpy has since removed (``np.bool``, ``np.PZERO``,
``np.alltrue`` ...): with numpy >= 1.24 ``import mxnet`` fails. It also imports
``distutils``, which Python 3.12 removed; setuptools provides it again.

Call :func:`ensure_compatible` once, before the first ``import mxnet``. Where
numpy still has a name, it is left alone, so on the reference environment
(numpy 1.23.5) this changes nothing. It touches only the ``numpy`` module's
attributes, adding aliases to their documented replacements; it never changes
an existing name.
"""

import builtins
import importlib.util
import sys

import numpy as np


def _removed_financial_function(name):
    def removed(*args, **kwargs):
        raise NotImplementedError(
            f"numpy.{name} was removed in numpy 1.20; use the numpy-financial package"
        )

    removed.__name__ = name
    return removed


def _numpy_aliases():
    """Map each removed numpy name that MXNet 1.9.1 reads to its replacement."""
    aliases = {
        "bool": builtins.bool,
        "int": builtins.int,
        "float": builtins.float,
        "complex": builtins.complex,
        "object": builtins.object,
        "str": builtins.str,
        "PZERO": 0.0,
        "NZERO": -0.0,
        "PINF": float("inf"),
        "NINF": float("-inf"),
        "NAN": float("nan"),
        "NaN": float("nan"),
        "Inf": float("inf"),
        "alltrue": np.all,
        "sometrue": np.any,
        "in1d": np.isin,
        "msort": lambda a: np.sort(a, axis=0),
        "trapz": getattr(np, "trapezoid", None),
        "round_": np.round,
        "product": np.prod,
        "cumproduct": np.cumprod,
    }
    for name in ("fv", "ipmt", "irr", "mirr", "nper", "npv", "pmt", "ppmt", "pv", "rate"):
        aliases[name] = _removed_financial_function(name)
    return aliases


def _numpy_has(name):
    try:
        getattr(np, name)
    except AttributeError:
        return False
    return True


def ensure_compatible():
    """Prepare numpy and the standard library so that ``import mxnet`` (1.9.1) works.

    Returns
    -------
    list of str
        The numpy names that were added (empty where numpy had them all).

    Raises
    ------
    ImportError
        If ``distutils`` cannot be imported (Python >= 3.12 without setuptools),
        saying what to install.
    """
    added = []
    for name, value in _numpy_aliases().items():
        if value is not None and not _numpy_has(name):
            setattr(np, name, value)
            added.append(name)
    if importlib.util.find_spec("distutils") is None:
        raise ImportError(
            f"mxnet imports distutils, which Python {sys.version_info[0]}.{sys.version_info[1]} "
            "no longer ships: install setuptools (pip install setuptools) and restart."
        )
    return added
