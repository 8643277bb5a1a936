"""Data sets of the course: Iris (chapter 2) and Fashion-MNIST (chapters 7 to 10 and 14).

Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017) comes as four gzip-compressed
files in the idx format. :func:`load_fashion_mnist` looks for each of them, in
order, in

1. the directory the caller names: the ``data_dir`` argument or, when that is
   None, the environment variable ``SOFTMAX_COURSE_DATA``;
2. the user's cache directory (:func:`default_cache_dir`): on Linux
   ``$XDG_CACHE_HOME/softmax-course/fashion-mnist``, ``~/.cache/...`` when that is unset;
3. the directory of Debian's package ``dataset-fashion-mnist``,
   ``/usr/share/datasets/fashion-mnist``;
4. the official mirrors, downloading into the cache directory.

Every file is checked before it is used: the SHA-256 digest of its decompressed
bytes, then the idx header (magic number, dimensions, byte count). A download is
written to a temporary file in the cache directory and renamed to its final name
only once it has passed these checks, so the loader never finds a partial or
corrupt download. The loader prints nothing unless it downloads (then tqdm's
progress bar shows, a widget in Jupyter and a line of text on stderr elsewhere).
"""

import gzip
import hashlib
import http.client
import math
import numbers
import os
import pathlib
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zlib
from typing import NamedTuple

import numpy as np

from softmax_course._checks import check_scalar


def load_iris():
    """The Iris data set: 150 flowers, 4 measurements (cm), 3 species.

    Taken from scikit-learn, which ships it (Fisher 1936, via the UCI Machine
    Learning Repository).

    Returns
    -------
    features : ndarray of float64, shape (150, 4)
    labels : ndarray of int64, shape (150,)
        Species index in [0, 3).
    feature_names : tuple of 4 str
    class_names : tuple of 3 str

    Raises
    ------
    ImportError
        If scikit-learn is not installed, saying how to install it.
    """
    try:
        from sklearn.datasets import load_iris as sklearn_load_iris
    except ImportError as error:
        raise ImportError("the Iris data set comes from scikit-learn: pip install scikit-learn") from error
    bunch = sklearn_load_iris()
    feature_names = tuple(name.replace(" (cm)", "") for name in bunch.feature_names)
    return (
        bunch.data.astype(np.float64),
        bunch.target.astype(np.int64),
        feature_names,
        tuple(str(name) for name in bunch.target_names),
    )


# --------------------------------------------------------------------------
# Fashion-MNIST: constants (module-level so that tests can point them elsewhere)
# --------------------------------------------------------------------------

#: The ten classes, in label order: label ``k`` is ``FASHION_MNIST_CLASSES[k]``.
FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

#: Environment variable naming a directory that holds the four files.
ENVIRONMENT_VARIABLE = "SOFTMAX_COURSE_DATA"

#: Where the official files are published, tried in this order.
MIRRORS = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)

#: System directories holding the files: Debian's package dataset-fashion-mnist.
SYSTEM_DIRS = ("/usr/share/datasets/fashion-mnist",)

#: Seconds to wait for a mirror to answer, or for the next bytes of a download.
TIMEOUT = 30.0

#: The four files, by field of :class:`FashionMNIST`.
FILENAMES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}

#: SHA-256 of the DECOMPRESSED bytes of each file (the idx data itself).
#:
#: The official repository (github.com/zalandoresearch/fashion-mnist, README)
#: publishes MD5 digests of its .gz files, e.g. 8d4fb7e6c68d591d4c3dfef9ec88bf0d
#: for train-images-idx3-ubyte.gz. Debian's package repacked the gzip streams:
#: its train-images-idx3-ubyte.gz has MD5 cf8536b0aa1a6ac5fa3f23001093305c, yet
#: decompresses to the same bytes. Digests of the decompressed bytes hold for
#: both. These were computed from the Debian files
#: (``zcat FILE | sha256sum``, package version 0.0~git20200523.55506a9-1) and
#: agree with the digests of the decompressed official files that other
#: projects publish.
SHA256 = {
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}

#: idx magic numbers: 0x0000 then the type code 0x08 (unsigned byte) then the
#: number of dimensions.
IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
IMAGE_SHAPE = (28, 28)

HOW_TO_GET_THE_FILES = (
    "To get the files, either install Debian's package "
    "(sudo apt-get install dataset-fashion-mnist; it puts them in "
    "/usr/share/datasets/fashion-mnist), or download the four files "
    + ", ".join(FILENAMES.values())
    + " from https://github.com/zalandoresearch/fashion-mnist (data/fashion/) on a "
    "machine that can, copy them into a directory, and pass that directory as "
    f"data_dir or set the environment variable {ENVIRONMENT_VARIABLE} to it."
)


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class DataError(Exception):
    """A Fashion-MNIST file could not be found, fetched or trusted."""


class CorruptFileError(DataError, ValueError):
    """A file is not what it should be (truncated, wrong digest, bad idx header).

    ``path`` is the offending file (None when parsing bytes with no file).
    """

    def __init__(self, message, path=None):
        super().__init__(message)
        self.path = path


class DataNotFoundError(DataError, FileNotFoundError):
    """A file was found nowhere and could not (or may not) be downloaded."""


class DownloadError(DataError, OSError):
    """Every mirror failed; the message lists why and how to get the files."""


class CacheNotWritableError(DataError, PermissionError):
    """The cache directory cannot be created or written, so nothing can be downloaded."""


class DataNotReadableError(DataError, PermissionError):
    """A directory the caller named, or a file in it, cannot be read (permission denied)."""


class CacheBlockedError(DataError, FileExistsError):
    """Something other than a file (a directory) stands where the cache keeps a file."""


class DataWarning(UserWarning):
    """A file in the cache or a system directory was damaged or unreadable, and was skipped."""


# --------------------------------------------------------------------------
# The data and where it is looked for
# --------------------------------------------------------------------------


class FashionMNIST(NamedTuple):
    """Fashion-MNIST as NumPy arrays.

    Fields: ``train_images`` uint8 (60000, 28, 28), ``train_labels`` int64
    (60000,), ``test_images`` uint8 (10000, 28, 28), ``test_labels`` int64
    (10000,), ``class_names`` tuple of 10 str. Labels are in [0, 10); pixels in
    [0, 255], 0 being the background.
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    class_names: tuple


def default_cache_dir():
    """The course's cache directory for Fashion-MNIST, a :class:`pathlib.Path`.

    ``fashion-mnist`` in the user cache directory that :mod:`platformdirs` names for
    ``softmax-course``: on Linux ``$XDG_CACHE_HOME/softmax-course/fashion-mnist``, or
    ``~/.cache/softmax-course/fashion-mnist`` when ``XDG_CACHE_HOME`` is unset or not an
    absolute path (as the XDG specification asks); ``~/Library/Caches/softmax-course/...``
    on macOS; ``%LOCALAPPDATA%\\softmax-course\\Cache\\...`` on Windows. Not created here.
    """
    import platformdirs

    return pathlib.Path(platformdirs.user_cache_dir("softmax-course", appauthor=False)) / "fashion-mnist"


def data_locations(data_dir=None, *, cache_dir=None, system_dirs=None):
    """The directories the loader searches, in order.

    Parameters
    ----------
    data_dir : str or path-like, optional
        A directory the caller names. When None, the environment variable
        ``SOFTMAX_COURSE_DATA`` is used if it is set and not empty.
    cache_dir : str or path-like, optional
        Defaults to :func:`default_cache_dir`.
    system_dirs : sequence of str or path-like, optional
        Defaults to :data:`SYSTEM_DIRS`.

    Returns
    -------
    list of (str, pathlib.Path)
        ``(where, directory)`` pairs; ``where`` says what the directory is:
        ``"data_dir"``, ``"SOFTMAX_COURSE_DATA"``, ``"cache"`` or ``"system"``.
        The directories need not exist, except a named one.

    Raises
    ------
    DataNotFoundError
        If a named directory does not exist or is not a directory (a typo should
        not send the loader quietly elsewhere).
    DataNotReadableError
        If a named directory cannot be reached (permission denied on a parent).
    """
    locations = []
    if data_dir is not None:
        named = ("data_dir", pathlib.Path(data_dir).expanduser())
    elif os.environ.get(ENVIRONMENT_VARIABLE):
        named = (ENVIRONMENT_VARIABLE, pathlib.Path(os.environ[ENVIRONMENT_VARIABLE]).expanduser())
    else:
        named = None
    if named is not None:
        where, directory = named
        try:
            is_dir = directory.is_dir()
        except PermissionError as error:
            raise _not_readable(directory, where, directory, error) from None
        if not is_dir:
            raise DataNotFoundError(
                f"the directory {directory} (given as {where}) does not exist or is not a "
                "directory. Name a directory that holds the four Fashion-MNIST files, or "
                f"leave {where} unset to use the cache, the Debian package or a download."
            )
        locations.append(named)
    cache = pathlib.Path(cache_dir) if cache_dir is not None else default_cache_dir()
    locations.append(("cache", cache))
    for directory in SYSTEM_DIRS if system_dirs is None else system_dirs:
        locations.append(("system", pathlib.Path(directory)))
    return locations


def load_fashion_mnist(data_dir=None, *, download=True):
    """Fashion-MNIST's training and test sets, verified, as NumPy arrays.

    Looks for each of the four files in ``data_dir`` (or the directory named by
    ``SOFTMAX_COURSE_DATA``), then the cache directory, then Debian's
    ``/usr/share/datasets/fashion-mnist``, and downloads what is still missing
    from the official mirrors into the cache (see :func:`fetch_fashion_mnist`
    for the details and the parameters tests use).

    Parameters
    ----------
    data_dir : str or path-like, optional
        A directory holding the files (``.gz``, or decompressed without ``.gz``).
    download : bool
        Whether missing files may be downloaded (default True).

    Returns
    -------
    FashionMNIST
        ``train_images`` uint8 (60000, 28, 28), ``train_labels`` int64 (60000,),
        ``test_images`` uint8 (10000, 28, 28), ``test_labels`` int64 (10000,),
        ``class_names`` (the 10 names of :data:`FASHION_MNIST_CLASSES`).

    Raises
    ------
    CorruptFileError
        A file in a directory the caller named is damaged or not the right file
        (the loader never changes files there), or image and label counts
        disagree.
    DataNotFoundError
        The named directory does not exist, or a file is missing and
        ``download`` is False.
    DataNotReadableError
        The named directory, or a file in it, cannot be read (permission denied).
    DownloadError
        Every mirror failed; the message says how to get the files otherwise.
    CacheNotWritableError
        A download is needed but the cache directory cannot be written.
    CacheBlockedError
        A download is needed but a directory stands where the cache keeps the file.
    """
    return fetch_fashion_mnist(data_dir, download=download)[0]


def fetch_fashion_mnist(
    data_dir=None,
    *,
    download=True,
    cache_dir=None,
    system_dirs=None,
    mirrors=None,
    digests=None,
    timeout=None,
    progress=None,
):
    """Find, verify, download if needed and parse the four Fashion-MNIST files.

    The lower-level function behind :func:`load_fashion_mnist`: it also says
    where each file came from, and every place it uses can be changed (tests
    point it at temporary directories and a local web server).

    A damaged file in the cache is reported (:class:`DataWarning`), removed and
    fetched again; a damaged file in a system directory is reported and skipped;
    a damaged file in a directory the caller named raises
    :class:`CorruptFileError`, since the loader does not touch the caller's files.
    A cache or system directory (or file) that cannot be read is reported and
    skipped, so that a good copy further on is used; in a directory the caller
    named, it raises :class:`DataNotReadableError`.

    Parameters
    ----------
    data_dir, download
        As in :func:`load_fashion_mnist`.
    cache_dir : str or path-like, optional
        Where downloads go; defaults to :func:`default_cache_dir`.
    system_dirs : sequence of path-like, optional
        Defaults to :data:`SYSTEM_DIRS`.
    mirrors : sequence of str, optional
        Base URLs, tried in order; defaults to :data:`MIRRORS`.
    digests : mapping of str to str, optional
        Expected SHA-256 (hex) of each file's decompressed bytes, keyed by the
        ``.gz`` file name; defaults to :data:`SHA256`.
    timeout : float, optional
        Seconds to wait for a mirror's answer or the next bytes; defaults to
        :data:`TIMEOUT`.
    progress : text stream or False, optional
        Where tqdm's download progress bar goes outside Jupyter (in Jupyter it is a
        widget): ``sys.stderr`` when None; False shows none. Nothing is shown unless
        a file is downloaded.

    Returns
    -------
    data : FashionMNIST
    paths : dict of str to pathlib.Path
        For each field of ``data`` except ``class_names``, the file it was read from.

    Raises
    ------
    As :func:`load_fashion_mnist`; also TypeError or ValueError for a ``download``
    that is not a bool or a ``timeout`` that is not a number > 0.
    """
    check_scalar(download, "download", bool)
    if timeout is not None:
        check_scalar(timeout, "timeout", numbers.Real, min_val=0, include_boundaries="neither")
    locations = data_locations(data_dir, cache_dir=cache_dir, system_dirs=system_dirs)
    cache = next(directory for where, directory in locations if where == "cache")
    settings = {
        "locations": locations,
        "cache": cache,
        "mirrors": tuple(MIRRORS if mirrors is None else mirrors),
        "digests": SHA256 if digests is None else digests,
        "timeout": TIMEOUT if timeout is None else timeout,
        "progress": sys.stderr if progress is None else progress,
        "download": download,
    }
    arrays, paths = {}, {}
    for field, filename in FILENAMES.items():
        paths[field], arrays[field] = _find_or_fetch(filename, settings)
    for split in ("train", "test"):
        num_images = arrays[f"{split}_images"].shape[0]
        num_labels = arrays[f"{split}_labels"].shape[0]
        if num_images != num_labels:
            raise CorruptFileError(
                f"{paths[f'{split}_images']} holds {num_images} images but "
                f"{paths[f'{split}_labels']} holds {num_labels} labels: the two files do "
                "not belong together (one is damaged or from another data set). Replace "
                "both with the official files. " + HOW_TO_GET_THE_FILES,
                path=paths[f"{split}_labels"],
            )
    data = FashionMNIST(
        train_images=arrays["train_images"],
        train_labels=arrays["train_labels"].astype(np.int64),
        test_images=arrays["test_images"],
        test_labels=arrays["test_labels"].astype(np.int64),
        class_names=FASHION_MNIST_CLASSES,
    )
    return data, paths


def to_features(images):
    """Flatten images into rows of features scaled to [0, 1].

    Parameters
    ----------
    images : ndarray of uint8, shape (n, 28, 28) or (n, 784)
        Raw pixel values in [0, 255], as :func:`load_fashion_mnist` returns them.

    Returns
    -------
    ndarray of float32, shape (n, 784)
        ``images / 255``, row ``i`` being image ``i`` read row by row; exactly 0
        for pixel 0 and exactly 1 for pixel 255.

    Raises
    ------
    TypeError
        If ``images`` is not a uint8 array (scaling features twice is a common
        silent bug, so already-scaled floats are refused).
    ValueError
        If the shape is not (n, 28, 28) or (n, 784).
    """
    if not isinstance(images, np.ndarray) or images.dtype != np.uint8:
        got = f"{images.dtype} array" if isinstance(images, np.ndarray) else type(images).__name__
        raise TypeError(
            f"to_features expects raw uint8 pixel values (0 to 255), got {got}; "
            "if the images are already scaled, use them as they are"
        )
    num_pixels = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
    if not (
        (images.ndim == 3 and images.shape[1:] == IMAGE_SHAPE) or (images.ndim == 2 and images.shape[1] == num_pixels)
    ):
        raise ValueError(
            f"to_features expects images of shape (n, 28, 28) or (n, 784), got shape "
            f"{images.shape}; for a single image use images[None]"
        )
    flat = images.reshape(images.shape[0], num_pixels)
    return np.divide(flat, np.float32(255), dtype=np.float32)


# --------------------------------------------------------------------------
# The idx format
# --------------------------------------------------------------------------


def parse_idx(data, *, expected_magic, name="idx data"):
    """Parse the bytes of an (uncompressed) idx file of unsigned bytes.

    The idx format: a 4-byte big-endian magic number ``0x000008NN`` (type code
    0x08 for unsigned bytes, ``NN`` dimensions), then ``NN`` 4-byte big-endian
    sizes, then the values, row-major.

    Parameters
    ----------
    data : bytes
    expected_magic : int
        :data:`IMAGES_MAGIC` (3 dimensions) or :data:`LABELS_MAGIC` (1).
    name : str
        Names the file in error messages.

    Returns
    -------
    ndarray of uint8 with the shape the header gives (a writable copy).

    Raises
    ------
    CorruptFileError
        On a wrong magic number, or when the byte count differs from what the
        dimensions imply (truncated data or trailing bytes).
    """
    if len(data) < 4:
        raise CorruptFileError(f"{name}: only {len(data)} bytes, too short for an idx header", name)
    magic = int.from_bytes(data[:4], "big")
    if magic != expected_magic:
        raise CorruptFileError(
            f"{name}: wrong magic number 0x{magic:08x}, expected 0x{expected_magic:08x} "
            f"({_describe_magic(expected_magic)}); the file holds {_describe_magic(magic)}",
            name,
        )
    ndim = magic & 0xFF
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise CorruptFileError(
            f"{name}: {len(data)} bytes, too short for the {header_size}-byte header of a {ndim}-dimensional idx file",
            name,
        )
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected_size = header_size + math.prod(shape)
    if len(data) != expected_size:
        problem = "truncated" if len(data) < expected_size else "trailing bytes after the data"
        raise CorruptFileError(
            f"{name}: the header gives dimensions {shape}, hence {expected_size} bytes, but "
            f"the data has {len(data)} bytes ({problem})",
            name,
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header_size).reshape(shape).copy()


def _describe_magic(magic):
    if magic >> 16 != 0 or (magic >> 8) & 0xFF != 0x08:
        return "data that is not an idx file of unsigned bytes"
    ndim = magic & 0xFF
    kind = {1: ", as labels are", 3: ", as images are"}.get(ndim, "")
    return f"a {ndim}-dimensional idx array of unsigned bytes{kind}"


# --------------------------------------------------------------------------
# Finding, verifying and downloading one file
# --------------------------------------------------------------------------


def _read_checked(path, filename, digest, name=None, compressed=None):
    """Decompress (if gzip), check the digest, parse; return a uint8 array.

    ``filename`` is the official .gz name (it says what the file must hold);
    ``name`` is how errors refer to the file (default: its path);
    ``compressed`` says whether it is gzip (default: its name ends with .gz).
    Raises CorruptFileError, naming the file and what is wrong with it, or
    DataNotReadableError when permission to read it is denied.
    """
    name = str(path) if name is None else name
    compressed = str(path).endswith(".gz") if compressed is None else compressed
    try:
        raw = pathlib.Path(path).read_bytes()
    except PermissionError as error:
        raise DataNotReadableError(f"{name}: cannot be read ({error})") from error
    except OSError as error:
        raise CorruptFileError(f"{name}: cannot be read ({error})", path) from error
    if compressed:
        raw = _gunzip(raw, name, path)
    actual = hashlib.sha256(raw).hexdigest()
    if actual != digest:
        raise CorruptFileError(
            f"{name}: wrong content: the SHA-256 of its decompressed bytes is {actual}, "
            f"but the official {filename} has {digest}",
            path,
        )
    magic = IMAGES_MAGIC if "images" in filename else LABELS_MAGIC
    array = parse_idx(raw, expected_magic=magic, name=name)
    if magic == IMAGES_MAGIC and array.shape[1:] != IMAGE_SHAPE:
        raise CorruptFileError(f"{name}: images of {array.shape[1:]} pixels, expected {IMAGE_SHAPE}", path)
    if magic == LABELS_MAGIC and array.size and array.max() >= len(FASHION_MNIST_CLASSES):
        raise CorruptFileError(f"{name}: label {array.max()} is out of range [0, {len(FASHION_MNIST_CLASSES)})", path)
    return array


def _gunzip(raw, name, path):
    """Decompress gzip bytes (CRC and length checked); raise CorruptFileError if damaged."""
    try:
        decompressor = zlib.decompressobj(wbits=31)  # 31: gzip header and trailer
        content = decompressor.decompress(raw)
        if decompressor.eof and decompressor.unused_data:
            content = gzip.decompress(raw)  # several gzip members: the general (slower) path
        elif not decompressor.eof:
            raise EOFError
    except EOFError:
        raise CorruptFileError(
            f"{name}: truncated gzip file (it ends before the end of its compressed "
            "stream), as left by an interrupted download or copy",
            path,
        ) from None
    except (OSError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise CorruptFileError(f"{name}: not a valid gzip file ({error})", path) from None
    return content


def _find_or_fetch(filename, settings):
    """Return (path, array) for one file, searching then downloading."""
    digest = settings["digests"][filename]
    problems = []
    for where, directory in settings["locations"]:
        for candidate in (directory / filename, directory / filename[: -len(".gz")]):
            try:
                if not candidate.is_file():
                    continue
                return candidate, _read_checked(candidate, filename, digest)
            except PermissionError as error:  # the directory cannot be searched, or the file read
                unreadable = candidate if isinstance(error, DataNotReadableError) else directory
                if where not in ("cache", "system"):
                    raise _not_readable(unreadable, where, directory, error) from None
                problems.append(f"{unreadable}: cannot be read ({where})")
                _warn_skipped(f"{unreadable} cannot be read ({error.__cause__ or error})", where, None)
                if unreadable == directory:
                    break
            except CorruptFileError as error:
                if where not in ("cache", "system"):
                    raise CorruptFileError(
                        f"{error}. This file is in the directory you named ({where}); the "
                        "loader never changes or deletes files there. Replace it with a good "
                        "copy, or remove it so that the loader uses its cache, the Debian "
                        "package or a download instead. " + HOW_TO_GET_THE_FILES,
                        candidate,
                    ) from None
                problems.append(f"{error} (it was in the cache; removed)" if where == "cache" else str(error))
                _warn_skipped(str(error), where, candidate)
    if not settings["download"]:
        searched = "; ".join(f"{directory} ({where})" for where, directory in settings["locations"])
        found = f" Damaged or unreadable copies: {' | '.join(problems)}." if problems else ""
        raise DataNotFoundError(
            f"{filename} was not found (looked in: {searched}) and download=False.{found} "
            "Call with download=True to fetch it from the official mirrors. " + HOW_TO_GET_THE_FILES
        )
    return _download(filename, digest, settings)


def _warn_skipped(problem, where, damaged):
    """Warn that a cache or system copy is skipped; remove ``damaged`` (a path) from the cache."""
    if where == "system":
        note = (
            "Skipping it; to repair it: sudo apt-get install --reinstall dataset-fashion-mnist "
            "(or ask the administrator to make it readable)."
        )
    elif damaged is None:
        note = "It is in the course's cache: skipping it (make it readable, or remove it)."
    else:
        note = "It is in the course's cache: removing it and fetching it again."
        try:
            damaged.unlink()
        except OSError as unlink_error:
            note = f"It is in the course's cache but cannot be removed ({unlink_error})."
    warnings.warn(f"{problem}. {note}", DataWarning, stacklevel=5)


def _not_readable(path, where, directory, error):
    return DataNotReadableError(
        f"{path} cannot be read ({error.__cause__ or error}); {where} names {directory}. "
        "Make it readable by you (chmod u+rx for a directory, u+r for a file), or "
        "leave data_dir and SOFTMAX_COURSE_DATA unset so that the loader uses its cache, the "
        "Debian package or a download instead."
    )


def _download(filename, digest, settings):
    """Download ``filename`` into the cache from the first mirror that serves it intact."""
    cache = settings["cache"]
    final = cache / filename
    try:
        cache.mkdir(parents=True, exist_ok=True)
        blocked = final.exists() and not final.is_file()
        if not blocked:
            _remove_stale_partial_downloads(cache, filename)
            handle = tempfile.NamedTemporaryFile(dir=cache, prefix=f".{filename}.", suffix=".part", delete=False)
    except OSError as error:
        raise _cache_not_writable(cache, filename, error) from error
    if blocked:
        raise CacheBlockedError(
            f"{final} is a directory (or another non-file), where the course's cache keeps the "
            f"downloaded file {filename}, so it cannot be downloaded there. Remove it "
            f"(rm -r '{final}') and load again, or set XDG_CACHE_HOME to another directory "
            "(the files go to $XDG_CACHE_HOME/softmax-course/fashion-mnist)."
        )
    temporary = pathlib.Path(handle.name)
    handle.close()
    failures = []
    try:
        for mirror in settings["mirrors"]:
            url = urllib.parse.urljoin(mirror if mirror.endswith("/") else mirror + "/", filename)
            try:
                _fetch_url(url, temporary, filename, settings)
                array = _read_checked(temporary, filename, digest, name=url, compressed=True)
            except CacheNotWritableError:
                raise
            except (OSError, http.client.HTTPException, ValueError) as error:
                if isinstance(error, CorruptFileError):  # its message starts with the URL
                    failures.append(str(error))
                else:
                    failures.append(f"{url}: {_reason(error)}")
                if isinstance(error, urllib.error.HTTPError):
                    error.close()
                continue
            try:
                os.replace(temporary, final)
            except OSError as error:
                raise _cache_not_writable(cache, filename, error) from error
            return final, array
    finally:
        try:
            temporary.unlink()
        except FileNotFoundError:
            pass
    raise DownloadError(
        f"could not download {filename}: every mirror failed.\n  "
        + "\n  ".join(failures)
        + "\nCheck the network connection (and any proxy), or get the files another way. "
        + HOW_TO_GET_THE_FILES
    )


def _fetch_url(url, destination, filename, settings):
    """Stream ``url`` into ``destination``, showing tqdm's progress bar (a widget in Jupyter); check its length."""
    from tqdm.auto import tqdm

    request = urllib.request.Request(url, headers={"User-Agent": "softmax-course"})
    label = f"Downloading {filename} from {urllib.parse.urlsplit(url).netloc}"
    stream = settings["progress"]
    received = 0
    with urllib.request.urlopen(request, timeout=settings["timeout"]) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        options = {"unit": "B", "unit_scale": True, "unit_divisor": 1000, "mininterval": 0.2}
        with tqdm(total=total, desc=label, file=stream or None, disable=not stream, **options) as bar:
            try:
                with open(destination, "wb") as out:
                    while chunk := response.read(1 << 16):
                        try:
                            out.write(chunk)
                        except OSError as error:
                            raise _cache_not_writable(destination.parent, filename, error) from error
                        received += len(chunk)
                        bar.update(len(chunk))
                if total is not None and received != total:
                    raise http.client.IncompleteRead(b"", total - received)
            except BaseException:
                bar.set_postfix_str("failed", refresh=False)
                raise


def _reason(error):
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP error {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return f"unreachable ({error.reason})"
    if isinstance(error, http.client.IncompleteRead):
        return f"download cut short ({error.expected} bytes missing)"
    if isinstance(error, TimeoutError):
        return f"timed out ({error})"
    return str(error) or type(error).__name__


def _cache_not_writable(cache, filename, error):
    return CacheNotWritableError(
        f"cannot write to the cache directory {cache} to download {filename} ({error}). "
        "Make it writable, or set XDG_CACHE_HOME to a writable directory (the files go to "
        "$XDG_CACHE_HOME/softmax-course/fashion-mnist), or get the files another way. " + HOW_TO_GET_THE_FILES
    )


def _remove_stale_partial_downloads(cache, filename, max_age_seconds=3600.0):
    """Remove our own temporary files older than an hour (left by a killed process)."""
    now = time.time()
    try:
        for leftover in cache.glob(f".{filename}.*.part"):
            if now - leftover.stat().st_mtime > max_age_seconds:
                leftover.unlink()
    except OSError:  # best effort: an unlistable cache or a file removed meanwhile is no error
        pass


# --------------------------------------------------------------------------
# The validation split (chapters 8, 9 and 14)
# --------------------------------------------------------------------------

NUM_VALID = 10_000
VALID_SEED = 0


def train_valid_split(images, labels, num_valid=NUM_VALID, seed=VALID_SEED):
    """Split Fashion-MNIST's training set into training and validation parts, the same in every chapter.

    The split is stratified: every class gives ``num_valid / q`` examples
    (rounded down, the remainder drawn from the first classes), chosen by a
    generator seeded with ``seed``, so every chapter and every run holds out the
    same images. The test set is not touched: settings are chosen on validation,
    and the test set is evaluated once, at the end.

    Parameters
    ----------
    images : ndarray, shape (n, ...)
        Images or features, one example per row.
    labels : ndarray of int, shape (n,)
    num_valid : int, 0 < num_valid < n
    seed : int

    Returns
    -------
    train_images, train_labels, valid_images, valid_labels : ndarray
        Rows of the inputs, each part in the original order.

    Raises
    ------
    TypeError
        If ``num_valid`` is not an integer.
    ValueError
        If the counts do not fit (names them).
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(f"expected images (n, ...) and labels (n,), got {images.shape} and {labels.shape}")
    check_scalar(
        num_valid,
        "num_valid",
        numbers.Integral,
        min_val=0,
        max_val=labels.shape[0],
        include_boundaries="neither",
    )
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    per_class = np.full(classes.shape[0], num_valid // classes.shape[0])
    per_class[: num_valid % classes.shape[0]] += 1
    chosen = []
    for label, count in zip(classes, per_class):
        members = np.flatnonzero(labels == label)
        if count > members.shape[0]:
            raise ValueError(f"class {label} has {members.shape[0]} examples, cannot hold out {count}")
        chosen.append(rng.choice(members, size=count, replace=False))
    is_valid = np.zeros(labels.shape[0], dtype=bool)
    is_valid[np.concatenate(chosen)] = True
    return images[~is_valid], labels[~is_valid], images[is_valid], labels[is_valid]
