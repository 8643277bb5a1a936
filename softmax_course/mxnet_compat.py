"""Let MXNet 1.9.1, its last release, import and train on numpy >= 1.24 and Python >= 3.12.

Why this exists
---------------
MXNet 1.9.1 was released for numpy < 1.24. While it imports, it reads numpy
names that numpy has since removed, so on a newer numpy ``import mxnet`` fails
with an ``AttributeError`` (for example "`np.PZERO` was removed in the NumPy 2.0
release"). It also imports ``distutils``, which Python 3.12 removed from the
standard library; setuptools ships a copy. Google Colab runs Python 3.13 with
numpy 2.1.3, so the course's MXNet chapters need both.

Which names
-----------
Found by tracing every numpy attribute that MXNet 1.9.1 reads while it imports
and while a hybridized Gluon ``Dense`` model trains (``SoftmaxCrossEntropyLoss``,
``Trainer`` with SGD and weight decay, ``autograd``, ``nd.array`` from numpy
arrays, ``asnumpy``), on numpy 1.24.4, 1.25.2, 1.26.4, 2.0.2, 2.1.3 and 2.5.5.
Every name it reads is read on import (``mxnet/numpy/utils.py``,
``mxnet/numpy/fallback.py``, ``mxnet/numpy_dispatch_protocol.py`` and one
default argument in ``mxnet/gluon/contrib/estimator``); training reads none:

- numpy 1.24 to 1.26: ``bool`` (the removed alias of the builtin ``bool``);
- numpy >= 2.0: the constants ``PZERO``, ``NZERO``, ``PINF``, ``NINF``, ``NAN``,
  ``NaN``, ``Inf``; the aliases ``alltrue``, ``sometrue``, ``product``,
  ``round_``, ``msort``; the financial functions ``mirr``, ``npv``, ``pmt``,
  ``ppmt``, ``pv``, ``rate`` (removed from numpy in 1.20: numpy 1.20 to 1.26
  kept stubs that raise, and so do the ones restored here);
- numpy >= 2.4 also: ``in1d`` and ``trapz``.

Other removed names appear in MXNet's source (``np.int`` in ``test_utils``,
``np.compat`` in ``mx.np.pad`` with a string mode) but only on code paths that
the course never runs; they are not restored.

What it touches
---------------
Only the ``numpy`` module: each name above that numpy lacks is added, bound to
the replacement numpy's release notes name (a constant, a builtin, or a small
function that calls the current numpy function). A name numpy still has is
never changed, so on the reference environment (numpy 1.23.5) nothing is added.
Where ``distutils`` is not importable but setuptools is installed (installed
after Python started), ``setuptools`` is imported, which provides ``distutils``.

Call :func:`ensure_compatible` once, before the first ``import mxnet``.
"""

import builtins
import importlib
import importlib.util
import sys
import warnings

import numpy as np

_FINANCIAL_MESSAGE = (
    "In accordance with NEP 32, the function {} was removed from NumPy version 1.20. "
    "A replacement for this function is available in the numpy_financial library: "
    "https://pypi.org/project/numpy-financial"
)


def _removed_financial_function(name):
    """A stub for numpy.<name> that raises, as numpy 1.20 to 1.26 provided."""

    def removed(*args, **kwargs):
        raise RuntimeError(_FINANCIAL_MESSAGE.format(name))

    removed.__name__ = removed.__qualname__ = name
    removed.__doc__ = _FINANCIAL_MESSAGE.format(name)
    return removed


def _alltrue(*args, **kwargs):
    """Removed numpy alias, restored for MXNet 1.9.1: same as ``numpy.all``."""
    return np.all(*args, **kwargs)


def _sometrue(*args, **kwargs):
    """Removed numpy alias, restored for MXNet 1.9.1: same as ``numpy.any``."""
    return np.any(*args, **kwargs)


def _product(*args, **kwargs):
    """Removed numpy alias, restored for MXNet 1.9.1: same as ``numpy.prod``."""
    return np.prod(*args, **kwargs)


def _round_(*args, **kwargs):
    """Removed numpy alias, restored for MXNet 1.9.1: same as ``numpy.round``."""
    return np.round(*args, **kwargs)


def _msort(a):
    """Removed numpy function, restored for MXNet 1.9.1: ``numpy.sort(a, axis=0)``."""
    return np.sort(a, axis=0)


def _in1d(ar1, ar2, assume_unique=False, invert=False, **kwargs):
    """Removed numpy function, restored for MXNet 1.9.1: ``numpy.isin(ar1, ar2).ravel()``."""
    return np.isin(ar1, ar2, assume_unique=assume_unique, invert=invert, **kwargs).ravel()


def _trapz(y, x=None, dx=1.0, axis=-1):
    """Removed numpy function, restored for MXNet 1.9.1: same as ``numpy.trapezoid``."""
    return np.trapezoid(y, x=x, dx=dx, axis=axis)


# Distinct small functions rather than the current functions themselves: MXNet
# registers each numpy function it reads as a key of its dispatch table, and an
# alias would overwrite the entry of the function it stands for.
_FUNCTIONS = {
    "alltrue": _alltrue,
    "sometrue": _sometrue,
    "product": _product,
    "round_": _round_,
    "msort": _msort,
    "in1d": _in1d,
    "trapz": _trapz,
}
for _function_name, _function in _FUNCTIONS.items():
    _function.__name__ = _function.__qualname__ = _function_name

#: Each numpy name MXNet 1.9.1 reads that some numpy >= 1.24 lacks, and its replacement.
REPLACEMENTS = {
    "bool": builtins.bool,
    "PZERO": 0.0,
    "NZERO": -0.0,
    "PINF": float("inf"),
    "NINF": float("-inf"),
    "NAN": float("nan"),
    "NaN": float("nan"),
    "Inf": float("inf"),
    **_FUNCTIONS,
    **{name: _removed_financial_function(name) for name in ("mirr", "npv", "pmt", "ppmt", "pv", "rate")},
}


def _has(module, name):
    """True when ``module.name`` resolves, without the deprecation warnings numpy < 1.24 emits."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            getattr(module, name)
        except AttributeError:
            return False
    return True


def restore_numpy_names(module=None):
    """Add to ``module`` (default: ``numpy``) each name of :data:`REPLACEMENTS` it lacks.

    Parameters
    ----------
    module : module or object, optional
        The numpy module to patch; any object with attributes (tests pass a stand-in).

    Returns
    -------
    list of str
        The names added, in the order of :data:`REPLACEMENTS`; empty when
        ``module`` had them all. Existing names are never replaced.
    """
    module = np if module is None else module
    added = []
    for name, value in REPLACEMENTS.items():
        if not _has(module, name):
            setattr(module, name, value)
            added.append(name)
    return added


def check_distutils():
    """Make sure ``import distutils`` works, as MXNet 1.9.1 needs.

    On Python >= 3.12, ``distutils`` comes from setuptools (through a hook that
    setuptools installs when Python starts). If setuptools was installed after
    this Python started, importing it installs that hook now.

    Raises
    ------
    ImportError
        If neither the standard library nor setuptools provides ``distutils``.
    """
    if importlib.util.find_spec("distutils") is not None:
        return
    if importlib.util.find_spec("setuptools") is not None:
        importlib.import_module("setuptools")
        if importlib.util.find_spec("distutils") is not None:
            return
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    raise ImportError(
        f"mxnet imports distutils, which Python {version} no longer ships: "
        "install setuptools, which provides it (pip install setuptools), and run this again."
    )


def ensure_compatible():
    """Prepare numpy and ``distutils`` so that ``import mxnet`` (1.9.1) works; call it first.

    Safe to call more than once, and a no-op on the reference environment
    (Python 3.11, numpy 1.23.5).

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
    added = restore_numpy_names()
    check_distutils()
    return added
