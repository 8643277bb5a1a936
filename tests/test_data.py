"""Tests of softmax_course.data: the Fashion-MNIST loader and its every fault.

The tests make their own small idx files (20 training and 10 test images) and
inject their digests; a web server on 127.0.0.1 in a thread stands in for the
mirrors. Nothing here touches the internet or the user's real cache.
"""

import gzip
import hashlib
import http.server
import io
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import threading
import types

import numpy as np
import pytest

from softmax_course import data
from softmax_course.data import (
    FASHION_MNIST_CLASSES,
    FILENAMES,
    IMAGES_MAGIC,
    LABELS_MAGIC,
    CacheBlockedError,
    CacheNotWritableError,
    CorruptFileError,
    DataNotFoundError,
    DataWarning,
    DownloadError,
    fetch_fashion_mnist,
    parse_idx,
    to_features,
)

DEBIAN_DIR = pathlib.Path("/usr/share/datasets/fashion-mnist")
TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS = FILENAMES.values()


# ---------------------------------------------------------------- helpers


def idx_bytes(array, magic):
    """The idx encoding of a uint8 array: magic, big-endian sizes, values."""
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def sha256(raw):
    return hashlib.sha256(raw).hexdigest()


def make_dataset(num_train=20, num_test=10, seed=0):
    """Small Fashion-MNIST look-alike: arrays, raw idx bytes and their digests."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train_images": rng.integers(0, 256, size=(num_train, 28, 28), dtype=np.uint8),
        "train_labels": (np.arange(num_train) % 10).astype(np.uint8),
        "test_images": rng.integers(0, 256, size=(num_test, 28, 28), dtype=np.uint8),
        "test_labels": (np.arange(num_test) % 10).astype(np.uint8),
    }
    raw = {
        FILENAMES[field]: idx_bytes(array, IMAGES_MAGIC if "images" in field else LABELS_MAGIC)
        for field, array in arrays.items()
    }
    return types.SimpleNamespace(
        arrays=arrays, raw=raw, digests={name: sha256(content) for name, content in raw.items()}
    )


def write_files(directory, raw, compress=True):
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in raw.items():
        if compress:
            (directory / name).write_bytes(gzip.compress(content))
        else:
            (directory / name[: -len(".gz")]).write_bytes(content)


def assert_same_data(loaded, dataset):
    for field, expected in dataset.arrays.items():
        np.testing.assert_array_equal(getattr(loaded, field), expected)
    assert loaded.train_labels.dtype == np.int64 and loaded.test_labels.dtype == np.int64
    assert loaded.train_images.dtype == np.uint8
    assert loaded.class_names == FASHION_MNIST_CLASSES


def files_in(directory):
    """Every entry of a directory, hidden temporary files included."""
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


@pytest.fixture
def dataset():
    return make_dataset()


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No named directory from the environment, a private cache, no proxy."""
    monkeypatch.delenv(data.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    for scheme in ("http", "https", "all"):
        for name in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def fetch(tmp_path, dataset):
    """fetch_fashion_mnist pointed at the tiny data set, a temporary cache, no system dir."""
    progress = io.StringIO()

    def run(data_dir=None, **overrides):
        settings = dict(
            cache_dir=tmp_path / "cache",
            system_dirs=(),
            mirrors=(),
            digests=dataset.digests,
            timeout=5.0,
            progress=progress,
        )
        settings.update(overrides)
        return fetch_fashion_mnist(data_dir, **settings)

    run.progress = progress
    run.cache = tmp_path / "cache"
    return run


class Mirror:
    """A local web server. ``serve(path, body, how)``: how is "ok", "cut" or "hang"."""

    def __init__(self):
        routes, requests, release = {}, [], threading.Event()
        self.routes, self.requests, self.release = routes, requests, release

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                if self.path not in routes:
                    self.send_error(404, "Not Found")
                    return
                body, how = routes[self.path]
                if how == "hang":
                    release.wait(10)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                # "cut": announce the full length, send only the first half.
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body if how == "ok" else body[: len(body) // 2])

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def serve(self, prefix, files, how="ok"):
        """Serve ``files`` (name -> bytes) under /prefix/; return that mirror's base URL."""
        for name, body in files.items():
            self.routes[f"/{prefix}/{name}"] = (body, how)
        return f"{self.url}/{prefix}/"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def mirror():
    server = Mirror()
    yield server
    server.close()


def gzipped(raw):
    return {name: gzip.compress(content) for name, content in raw.items()}


def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


# ---------------------------------------------------------------- local files


def test_reads_a_named_directory_silently(tmp_path, dataset, fetch, capsys):
    write_files(tmp_path / "mine", dataset.raw)
    loaded, paths = fetch(tmp_path / "mine", progress=None)  # progress to the real stderr
    assert_same_data(loaded, dataset)
    assert paths["train_images"] == tmp_path / "mine" / TRAIN_IMAGES
    assert capsys.readouterr() == ("", ""), "nothing may be printed when the files are local"
    assert not fetch.cache.exists(), "a local load must not create the cache"


def test_environment_variable_names_the_directory(tmp_path, dataset, fetch, monkeypatch):
    write_files(tmp_path / "from-env", dataset.raw)
    monkeypatch.setenv(data.ENVIRONMENT_VARIABLE, str(tmp_path / "from-env"))
    loaded, paths = fetch()
    assert_same_data(loaded, dataset)
    assert all(path.parent == tmp_path / "from-env" for path in paths.values())


def test_reads_decompressed_files_too(tmp_path, dataset, fetch):
    write_files(tmp_path / "raw", dataset.raw, compress=False)
    loaded, paths = fetch(tmp_path / "raw")
    assert_same_data(loaded, dataset)
    assert paths["test_labels"].name == "t10k-labels-idx1-ubyte"


def test_search_order_named_then_cache_then_system(tmp_path, dataset, fetch):
    system = tmp_path / "system"
    write_files(system, dataset.raw)
    write_files(fetch.cache, {TRAIN_IMAGES: dataset.raw[TRAIN_IMAGES]})
    write_files(tmp_path / "mine", {TRAIN_LABELS: dataset.raw[TRAIN_LABELS]})
    loaded, paths = fetch(tmp_path / "mine", system_dirs=[system])
    assert_same_data(loaded, dataset)
    assert paths["train_labels"].parent == tmp_path / "mine"
    assert paths["train_images"].parent == fetch.cache
    assert paths["test_images"].parent == system and paths["test_labels"].parent == system


def test_default_cache_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data.default_cache_dir() == tmp_path / "softmax-course" / "fashion-mnist"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, per XDG
    expected = pathlib.Path.home() / ".cache" / "softmax-course" / "fashion-mnist"
    assert data.default_cache_dir() == expected


def test_a_named_directory_that_does_not_exist(tmp_path, fetch):
    with pytest.raises(DataNotFoundError, match="does not exist") as caught:
        fetch(tmp_path / "typo")
    assert str(tmp_path / "typo") in str(caught.value)


def test_environment_variable_naming_a_missing_directory(tmp_path, fetch, monkeypatch):
    monkeypatch.setenv(data.ENVIRONMENT_VARIABLE, str(tmp_path / "nowhere"))
    with pytest.raises(DataNotFoundError, match="given as SOFTMAX_COURSE_DATA"):
        fetch()


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"download": "no"}, TypeError, "download must be bool"),
        ({"timeout": 0}, ValueError, r"timeout must be > 0, got 0"),
        ({"timeout": "5"}, TypeError, "timeout must be a real number"),
    ],
)
def test_bad_settings_raise_before_anything_is_read(tmp_path, fetch, arguments, error, message):
    with pytest.raises(error, match=message):
        fetch(tmp_path / "nowhere", **arguments)


def test_missing_file_without_download(tmp_path, dataset, fetch):
    partial = {name: raw for name, raw in dataset.raw.items() if name != TEST_LABELS}
    write_files(tmp_path / "mine", partial)
    with pytest.raises(DataNotFoundError) as caught:
        fetch(tmp_path / "mine", download=False)
    message = str(caught.value)
    assert TEST_LABELS in message
    assert str(tmp_path / "mine") in message and str(fetch.cache) in message
    assert "download=True" in message and "apt-get install dataset-fashion-mnist" in message
    assert "SOFTMAX_COURSE_DATA" in message


# ---------------------------------------------------------------- damaged local files


def test_truncated_gzip_in_named_dir(tmp_path, dataset, fetch):
    write_files(tmp_path / "mine", dataset.raw)
    path = tmp_path / "mine" / TRAIN_IMAGES
    content = path.read_bytes()[:-100]
    path.write_bytes(content)
    with pytest.raises(CorruptFileError, match="truncated gzip") as caught:
        fetch(tmp_path / "mine")
    assert caught.value.path == path and str(path) in str(caught.value)
    assert "never changes or deletes" in str(caught.value)
    assert path.read_bytes() == content, "the caller's file must be left as it was"


def test_not_a_gzip_file(tmp_path, dataset, fetch):
    write_files(tmp_path / "mine", dataset.raw)
    (tmp_path / "mine" / TEST_LABELS).write_bytes(b"<html>Not Found</html>")
    with pytest.raises(CorruptFileError, match="not a valid gzip file"):
        fetch(tmp_path / "mine")


def test_gzip_checksum_error(tmp_path, dataset, fetch):
    write_files(tmp_path / "mine", dataset.raw)
    path = tmp_path / "mine" / TRAIN_LABELS
    content = bytearray(path.read_bytes())
    content[-8] ^= 0xFF  # the CRC-32 of the gzip trailer
    path.write_bytes(bytes(content))
    with pytest.raises(CorruptFileError, match="not a valid gzip file"):
        fetch(tmp_path / "mine")


def test_gzip_of_several_members_is_read(tmp_path, dataset, fetch):
    # gzip allows concatenated members (e.g. from `cat a.gz b.gz`); they decompress to one stream.
    write_files(tmp_path / "mine", dataset.raw)
    content = dataset.raw[TEST_IMAGES]
    split = gzip.compress(content[:1000]) + gzip.compress(content[1000:])
    (tmp_path / "mine" / TEST_IMAGES).write_bytes(split)
    assert_same_data(fetch(tmp_path / "mine")[0], dataset)


def test_wrong_digest_in_named_dir(tmp_path, dataset, fetch):
    write_files(tmp_path / "mine", dataset.raw)
    other = make_dataset(seed=1)
    (tmp_path / "mine" / TEST_IMAGES).write_bytes(gzip.compress(other.raw[TEST_IMAGES]))
    with pytest.raises(CorruptFileError, match="wrong content") as caught:
        fetch(tmp_path / "mine")
    assert dataset.digests[TEST_IMAGES] in str(caught.value)
    assert sha256(other.raw[TEST_IMAGES]) in str(caught.value)


def test_wrong_magic_number(tmp_path, dataset, fetch):
    # A label file saved under the image file's name, digest injected so that
    # the digest check passes and the idx check is the one that must catch it.
    swapped = dict(dataset.raw)
    swapped[TRAIN_IMAGES] = dataset.raw[TRAIN_LABELS]
    digests = dict(dataset.digests, **{TRAIN_IMAGES: dataset.digests[TRAIN_LABELS]})
    write_files(tmp_path / "mine", swapped)
    expected = "wrong magic number 0x00000801, expected 0x00000803"
    with pytest.raises(CorruptFileError, match=expected) as caught:
        fetch(tmp_path / "mine", digests=digests)
    assert str(tmp_path / "mine" / TRAIN_IMAGES) in str(caught.value)


def test_image_and_label_counts_disagree(tmp_path, dataset, fetch):
    short_labels = idx_bytes(dataset.arrays["train_labels"][:-1], LABELS_MAGIC)
    files = dict(dataset.raw, **{TRAIN_LABELS: short_labels})
    digests = dict(dataset.digests, **{TRAIN_LABELS: sha256(short_labels)})
    write_files(tmp_path / "mine", files)
    with pytest.raises(CorruptFileError, match="holds 20 images but .* holds 19 labels") as caught:
        fetch(tmp_path / "mine", digests=digests)
    assert TRAIN_IMAGES in str(caught.value) and TRAIN_LABELS in str(caught.value)


def test_corrupt_cache_file_is_reported_and_fetched_again(dataset, fetch, mirror):
    write_files(fetch.cache, dataset.raw)
    (fetch.cache / TRAIN_LABELS).write_bytes(gzip.compress(dataset.raw[TRAIN_LABELS])[:-8])
    url = mirror.serve("a", gzipped(dataset.raw))
    with pytest.warns(DataWarning, match="truncated gzip.*removing it and fetching it again"):
        loaded, paths = fetch(mirrors=[url])
    assert_same_data(loaded, dataset)
    assert mirror.requests == [f"/a/{TRAIN_LABELS}"], "only the damaged file is fetched"
    assert paths["train_labels"] == fetch.cache / TRAIN_LABELS
    assert gzip.decompress((fetch.cache / TRAIN_LABELS).read_bytes()) == dataset.raw[TRAIN_LABELS]


def test_corrupt_system_file_is_reported_and_skipped(tmp_path, dataset, fetch, mirror):
    write_files(tmp_path / "system", dataset.raw)
    damaged = tmp_path / "system" / TEST_IMAGES
    damaged.write_bytes(b"garbage")
    url = mirror.serve("a", gzipped(dataset.raw))
    with pytest.warns(DataWarning, match="apt-get install --reinstall dataset-fashion-mnist"):
        loaded, paths = fetch(system_dirs=[tmp_path / "system"], mirrors=[url])
    assert_same_data(loaded, dataset)
    assert damaged.read_bytes() == b"garbage", "system files are not ours to change"
    assert paths["test_images"] == fetch.cache / TEST_IMAGES


# ---------------------------------------------------------------- downloads


def test_download_into_the_cache(dataset, fetch, mirror):
    url = mirror.serve("a", gzipped(dataset.raw))
    loaded, paths = fetch(mirrors=[url])
    assert_same_data(loaded, dataset)
    assert files_in(fetch.cache) == sorted(FILENAMES.values()), "no temporary file may be left"
    assert all(path.parent == fetch.cache for path in paths.values())
    shown = fetch.progress.getvalue()
    assert "Downloading train-images-idx3-ubyte.gz from 127.0.0.1" in shown and "100%" in shown
    # The second load finds the cache: no request, and nothing printed.
    fetch.progress.seek(0), fetch.progress.truncate()
    requests_before = len(mirror.requests)
    assert_same_data(fetch(mirrors=[url])[0], dataset)
    assert len(mirror.requests) == requests_before and fetch.progress.getvalue() == ""


def test_first_mirror_404_then_second(dataset, fetch, mirror):
    first = f"{mirror.url}/empty/"  # serves nothing: 404 for every file
    second = mirror.serve("b", gzipped(dataset.raw))
    loaded, _ = fetch(mirrors=[first, second])
    assert_same_data(loaded, dataset)
    assert mirror.requests[:2] == [f"/empty/{TRAIN_IMAGES}", f"/b/{TRAIN_IMAGES}"]


def test_timeout_then_next_mirror(dataset, fetch, mirror):
    slow = mirror.serve("slow", gzipped(dataset.raw), how="hang")
    good = mirror.serve("good", gzipped(dataset.raw))
    loaded, _ = fetch(mirrors=[slow, good], timeout=0.3)
    assert_same_data(loaded, dataset)


def test_truncated_download_is_rejected_and_leaves_nothing(dataset, fetch, mirror):
    cut = mirror.serve("cut", gzipped(dataset.raw), how="cut")  # connection closed mid-file
    # Another mirror serves a truncated .gz with a consistent Content-Length.
    short = mirror.serve("short", {name: body[:-50] for name, body in gzipped(dataset.raw).items()})
    with pytest.raises(DownloadError) as caught:
        fetch(mirrors=[cut, short])
    message = str(caught.value)
    assert f"{cut}{TRAIN_IMAGES}: download cut short" in message
    assert f"{short}{TRAIN_IMAGES}: " in message and "truncated gzip" in message
    assert files_in(fetch.cache) == [], "a rejected download must leave nothing in the cache"
    assert "failed" in fetch.progress.getvalue()


def test_download_with_wrong_digest_is_rejected(dataset, fetch, mirror):
    other = make_dataset(seed=1)
    wrong = mirror.serve("wrong", gzipped(other.raw))
    right = mirror.serve("right", gzipped(dataset.raw))
    loaded, _ = fetch(mirrors=[wrong, right])
    assert_same_data(loaded, dataset)
    assert files_in(fetch.cache) == sorted(FILENAMES.values())


def test_every_mirror_down(dataset, fetch, mirror):
    refused = closed_port_url()
    missing = f"{mirror.url}/nothing/"
    with pytest.raises(DownloadError) as caught:
        fetch(mirrors=[refused, missing])
    message = str(caught.value)
    assert f"could not download {TRAIN_IMAGES}: every mirror failed" in message
    assert f"{refused}{TRAIN_IMAGES}: unreachable" in message
    assert f"{missing}{TRAIN_IMAGES}: HTTP error 404" in message
    assert "apt-get install dataset-fashion-mnist" in message and "SOFTMAX_COURSE_DATA" in message
    assert files_in(fetch.cache) == []


def test_unwritable_cache(tmp_path, dataset, fetch, mirror):
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache's parent directory should be")
    url = mirror.serve("a", gzipped(dataset.raw))
    with pytest.raises(CacheNotWritableError) as caught:
        fetch(mirrors=[url], cache_dir=blocker / "cache")
    message = str(caught.value)
    assert str(blocker / "cache") in message and TRAIN_IMAGES in message
    assert "XDG_CACHE_HOME" in message and "apt-get install dataset-fashion-mnist" in message
    assert mirror.requests == [], "nothing is downloaded when it could not be kept"


def test_a_directory_where_a_cache_file_should_be(dataset, fetch, mirror):
    (fetch.cache / TRAIN_IMAGES).mkdir(parents=True)
    url = mirror.serve("a", gzipped(dataset.raw))
    with pytest.raises(CacheBlockedError) as caught:
        fetch(mirrors=[url])
    message = str(caught.value)
    assert f"{fetch.cache / TRAIN_IMAGES} is a directory" in message and "rm -r" in message
    assert "writable" not in message, "the cache is writable: that advice would be wrong"
    assert mirror.requests == [], "nothing is downloaded when it could not be kept"


# ---------------------------------------------------------------- permissions, as a normal user
#
# Root reads every file whatever its mode, so these run the loader in a child process
# without privileges: as root, with every capability dropped (setpriv, from util-linux),
# so that file modes apply to it as to any user; as a normal user, as it is.

UNPRIVILEGED_LOADER = """
import json, sys, warnings
from softmax_course import data
arguments = json.loads(sys.argv[1])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        _, paths = data.fetch_fashion_mnist(**arguments)
        result = {"paths": {field: str(path) for field, path in paths.items()}}
    except data.DataError as error:
        result = {"error": type(error).__name__, "message": str(error)}
result["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
print(json.dumps(result))
"""


def load_unprivileged(data_dir=None, *, dataset, cache, system_dirs=(), mirrors=(), download=True):
    """Run fetch_fashion_mnist in an unprivileged child; return its result as a dict."""
    arguments = {
        "data_dir": None if data_dir is None else str(data_dir),
        "cache_dir": str(cache),
        "system_dirs": [str(path) for path in system_dirs],
        "mirrors": list(mirrors),
        "digests": dataset.digests,
        "timeout": 5.0,
        "progress": False,
        "download": download,
    }
    command = [sys.executable, "-c", UNPRIVILEGED_LOADER, json.dumps(arguments)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "the permission tests need setpriv (util-linux) to drop root's capabilities"
        command = [setpriv, "--bounding-set=-all", "--inh-caps=-all", *command]
    child = subprocess.run(command, capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout)


@pytest.fixture
def locked():
    """``lock(path, mode)`` chmods a path for one test and gives it back its mode afterwards."""
    saved = []

    def lock(path, mode):
        saved.append((path, path.stat().st_mode))
        path.chmod(mode)

    yield lock
    for path, mode in reversed(saved):
        path.chmod(mode)


def test_the_child_really_is_unprivileged(tmp_path, dataset, fetch, locked):
    write_files(tmp_path / "mine", dataset.raw)
    locked(tmp_path / "mine" / TEST_LABELS, 0o000)
    result = load_unprivileged(tmp_path / "mine", dataset=dataset, cache=fetch.cache)
    assert result.get("error") == "DataNotReadableError", result


def test_a_named_directory_that_cannot_be_read(tmp_path, dataset, fetch, locked):
    write_files(tmp_path / "mine", dataset.raw)
    locked(tmp_path / "mine", 0o000)
    result = load_unprivileged(tmp_path / "mine", dataset=dataset, cache=fetch.cache)
    assert result["error"] == "DataNotReadableError"
    message = result["message"]
    assert f"{tmp_path / 'mine'}" in message and "Permission denied" in message
    assert "chmod u+rx" in message and "leave data_dir and SOFTMAX_COURSE_DATA unset" in message
    assert not fetch.cache.exists()


def test_a_named_file_that_cannot_be_read_is_not_called_damaged(tmp_path, dataset, fetch, locked):
    write_files(tmp_path / "mine", dataset.raw)
    path = tmp_path / "mine" / TEST_IMAGES
    content = path.read_bytes()
    locked(path, 0o000)
    result = load_unprivileged(tmp_path / "mine", dataset=dataset, cache=fetch.cache)
    assert result["error"] == "DataNotReadableError"
    assert str(path) in result["message"] and "u+r" in result["message"]
    assert "Replace it" not in result["message"], "the file is unreadable, not damaged"
    path.chmod(0o600)
    assert path.read_bytes() == content, "the caller's file must be left as it was"


def test_an_unreadable_cache_is_skipped_for_a_good_system_copy(tmp_path, dataset, fetch, locked):
    write_files(tmp_path / "system", dataset.raw)
    write_files(fetch.cache, dataset.raw)
    locked(fetch.cache, 0o000)
    result = load_unprivileged(dataset=dataset, cache=fetch.cache, system_dirs=[tmp_path / "system"])
    assert "error" not in result, result
    assert all(pathlib.Path(path).parent == tmp_path / "system" for path in result["paths"].values())
    assert result["warnings"] and all(
        w.startswith("DataWarning: ") and f"{fetch.cache} cannot be read" in w and "skipping it" in w
        for w in result["warnings"]
    )


def test_an_unreadable_cache_file_is_skipped_not_removed(tmp_path, dataset, fetch, locked):
    write_files(tmp_path / "system", dataset.raw)
    write_files(fetch.cache, {TRAIN_LABELS: dataset.raw[TRAIN_LABELS]})
    locked(fetch.cache / TRAIN_LABELS, 0o000)
    result = load_unprivileged(dataset=dataset, cache=fetch.cache, system_dirs=[tmp_path / "system"])
    assert result["paths"]["train_labels"] == str(tmp_path / "system" / TRAIN_LABELS)
    assert [w for w in result["warnings"] if TRAIN_LABELS in w and "cannot be read" in w]
    assert (fetch.cache / TRAIN_LABELS).exists(), "an unreadable file is not damaged: it stays"


def test_an_unreadable_system_directory_is_skipped_for_a_download(tmp_path, dataset, fetch, mirror, locked):
    write_files(tmp_path / "system", dataset.raw)
    locked(tmp_path / "system", 0o000)
    url = mirror.serve("a", gzipped(dataset.raw))
    system_dirs = [tmp_path / "system"]
    result = load_unprivileged(dataset=dataset, cache=fetch.cache, system_dirs=system_dirs, mirrors=[url])
    assert all(pathlib.Path(path).parent == fetch.cache for path in result["paths"].values()), result
    assert any("apt-get install --reinstall" in w for w in result["warnings"])


def test_a_read_only_cache_cannot_take_a_download(dataset, fetch, mirror, locked):
    fetch.cache.mkdir()
    locked(fetch.cache, 0o500)
    url = mirror.serve("a", gzipped(dataset.raw))
    result = load_unprivileged(dataset=dataset, cache=fetch.cache, mirrors=[url])
    assert result["error"] == "CacheNotWritableError"
    assert str(fetch.cache) in result["message"] and "XDG_CACHE_HOME" in result["message"]
    assert mirror.requests == []


def test_an_unreadable_cache_without_download_says_what_was_skipped(tmp_path, dataset, fetch, locked):
    write_files(fetch.cache, dataset.raw)
    locked(fetch.cache, 0o000)
    result = load_unprivileged(dataset=dataset, cache=fetch.cache, download=False)
    assert result["error"] == "DataNotFoundError"
    assert f"{fetch.cache}: cannot be read (cache)" in result["message"]


# ---------------------------------------------------------------- idx parsing and features


def test_parse_idx_checks_the_byte_count():
    labels = idx_bytes(np.arange(5, dtype=np.uint8), LABELS_MAGIC)
    np.testing.assert_array_equal(parse_idx(labels, expected_magic=LABELS_MAGIC), np.arange(5))
    expected = r"dimensions \(5,\).*13 bytes.*12 bytes \(truncated\)"
    with pytest.raises(CorruptFileError, match=expected):
        parse_idx(labels[:-1], expected_magic=LABELS_MAGIC, name="labels")
    with pytest.raises(CorruptFileError, match="trailing bytes"):
        parse_idx(labels + b"\0", expected_magic=LABELS_MAGIC)
    with pytest.raises(CorruptFileError, match="too short for an idx header"):
        parse_idx(b"\0\0", expected_magic=LABELS_MAGIC)
    with pytest.raises(CorruptFileError, match="not an idx file"):
        parse_idx(b"\x1f\x8b\x08\x00" + labels, expected_magic=LABELS_MAGIC)


def test_wrong_image_size_and_label_range(tmp_path, dataset, fetch):
    small = idx_bytes(np.zeros((20, 14, 14), np.uint8), IMAGES_MAGIC)
    bad_labels = idx_bytes(np.full(10, 10, np.uint8), LABELS_MAGIC)
    files = dict(dataset.raw, **{TRAIN_IMAGES: small})
    digests = dict(dataset.digests, **{TRAIN_IMAGES: sha256(small)})
    write_files(tmp_path / "a", files)
    with pytest.raises(CorruptFileError, match=r"images of \(14, 14\) pixels, expected \(28, 28\)"):
        fetch(tmp_path / "a", digests=digests)
    files = dict(dataset.raw, **{TEST_LABELS: bad_labels})
    digests = dict(dataset.digests, **{TEST_LABELS: sha256(bad_labels)})
    write_files(tmp_path / "b", files)
    with pytest.raises(CorruptFileError, match=r"label 10 is out of range \[0, 10\)"):
        fetch(tmp_path / "b", digests=digests)


def test_to_features_scales_to_unit_interval():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8).repeat(14, axis=1).repeat(14, axis=2)
    features = to_features(images)
    assert features.dtype == np.float32 and features.shape == (1, 784)
    assert features.min() == 0.0 and features.max() == 1.0
    np.testing.assert_allclose(np.unique(features), [0, 0.2, 0.4, 1], rtol=1e-7)
    np.testing.assert_array_equal(to_features(images.reshape(1, 784)), features)


def test_to_features_refuses_wrong_input():
    with pytest.raises(TypeError, match="raw uint8 pixel values.*got float64 array"):
        to_features(np.zeros((2, 28, 28)))
    with pytest.raises(TypeError, match="got list"):
        to_features([[0] * 784])
    expected = r"shape \(n, 28, 28\) or \(n, 784\), got shape \(28, 28\)"
    with pytest.raises(ValueError, match=expected):
        to_features(np.zeros((28, 28), np.uint8))


# ---------------------------------------------------------------- the real data


def test_the_real_data_from_debian(tmp_path):
    if not all((DEBIAN_DIR / name).is_file() for name in FILENAMES.values()):
        pytest.skip(
            f"SKIPPED, NOT PASSED: Debian's dataset-fashion-mnist is not installed ({DEBIAN_DIR} "
            "lacks the four files); install it with apt-get install dataset-fashion-mnist"
        )
    loaded, paths = fetch_fashion_mnist(
        cache_dir=tmp_path / "empty-cache", system_dirs=[DEBIAN_DIR], mirrors=(), download=False
    )
    assert all(path.parent == DEBIAN_DIR for path in paths.values())
    assert loaded.train_images.shape == (60000, 28, 28) and loaded.train_images.dtype == np.uint8
    assert loaded.test_images.shape == (10000, 28, 28) and loaded.test_images.dtype == np.uint8
    assert loaded.train_labels.shape == (60000,) and loaded.train_labels.dtype == np.int64
    assert loaded.test_labels.shape == (10000,) and loaded.test_labels.dtype == np.int64
    assert loaded.class_names == FASHION_MNIST_CLASSES and len(FASHION_MNIST_CLASSES) == 10
    for labels in (loaded.train_labels, loaded.test_labels):
        assert labels.min() == 0 and labels.max() == 9
    np.testing.assert_array_equal(np.bincount(loaded.train_labels), np.full(10, 6000))
    np.testing.assert_array_equal(np.bincount(loaded.test_labels), np.full(10, 1000))
    assert loaded.train_images.max() == 255 and loaded.train_images.min() == 0


# ---------------------------------------------------------------- the validation split


def split_example(num_per_class=(30, 20, 10)):
    labels = np.repeat(np.arange(len(num_per_class)), num_per_class)
    images = np.arange(labels.shape[0] * 4).reshape(-1, 2, 2)  # row i holds 4i .. 4i + 3
    return images, labels


def test_the_split_is_stratified_disjoint_and_complete():
    images, labels = split_example()
    split = data.train_valid_split(images, labels, 10, seed=3)
    train_images, train_labels, valid_images, valid_labels = split
    assert valid_images.shape == (10, 2, 2) and train_images.shape == (50, 2, 2)
    # 10 = 3 + 3 + 3 + 1: the remainder comes from the first class.
    np.testing.assert_array_equal(np.bincount(valid_labels, minlength=3), [4, 3, 3])
    rows = np.concatenate([train_images[:, 0, 0], valid_images[:, 0, 0]]) // 4
    np.testing.assert_array_equal(np.sort(rows), np.arange(60))
    np.testing.assert_array_equal(labels[train_images[:, 0, 0] // 4], train_labels)
    np.testing.assert_array_equal(labels[valid_images[:, 0, 0] // 4], valid_labels)
    assert np.all(np.diff(train_images[:, 0, 0]) > 0) and np.all(np.diff(valid_images[:, 0, 0]) > 0)


def test_the_split_is_the_same_for_a_seed_and_differs_across_seeds():
    images, labels = split_example()
    first = data.train_valid_split(images, labels, 12, seed=0)
    again = data.train_valid_split(images, labels, 12, seed=0)
    other = data.train_valid_split(images, labels, 12, seed=1)
    for part, part_again in zip(first, again):
        np.testing.assert_array_equal(part, part_again)
    assert not np.array_equal(first[2], other[2])


def test_the_default_split_holds_out_ten_thousand_of_fashion_mnist_s_size():
    labels = np.arange(60_000) % 10
    images = np.zeros((60_000, 1), np.uint8)
    train_images, _, valid_images, valid_labels = data.train_valid_split(images, labels)
    assert train_images.shape[0] == 50_000 and valid_images.shape[0] == 10_000
    np.testing.assert_array_equal(np.bincount(valid_labels), np.full(10, 1000))


@pytest.mark.parametrize("num_valid", [0, 60, -1])
def test_a_validation_size_outside_the_data_raises(num_valid):
    with pytest.raises(ValueError, match=rf"num_valid must be in \(0, 60\), got {num_valid}"):
        data.train_valid_split(*split_example(), num_valid)


def test_a_validation_size_that_is_not_an_integer_raises_type_error():
    with pytest.raises(TypeError, match="num_valid must be an integer"):
        data.train_valid_split(*split_example(), 10.0)


def test_a_class_too_small_for_its_share_raises_naming_it():
    with pytest.raises(ValueError, match="class 2 has 10 examples, cannot hold out 15"):
        data.train_valid_split(*split_example(), 45)


def test_images_and_labels_of_different_lengths_raise_naming_both_shapes():
    images, labels = split_example()
    with pytest.raises(ValueError, match=r"\(60, 2, 2\) and \(59,\)"):
        data.train_valid_split(images, labels[:-1])
