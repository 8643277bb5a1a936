"""Benchmark the from-scratch NumPy trainer against its practical limit and its physical floor; print one table.

Usage: python tools/benchmark.py [--threads N] [--no-sklearn] [--no-gluon] [--no-course] [--build-dir DIR]
(`make bench`)

A benchmark, not a test: it measures and prints, and fails only if something
breaks. Speed targets live here, not in the tests. On the chapters' data (the
50,000-image training split of ``data.train_valid_split``, float32,
minibatches of 256) it reports:

- seconds per epoch of ``train.sgd_epoch``, and of a minimal hand-written NumPy
  epoch doing the same work (same shapes, dtype, batch size, shuffling, loss and
  accuracy): the practical limit of NumPy. The two alternate, epoch by epoch,
  so that drift of the machine's speed hits both; the medians are compared
  (target: the package at most 1.1 times the minimal loop);
- the physical floor of an epoch: reading the training matrix once from memory
  (what gathering the minibatches must do), and the epoch's 2 n d q
  multiply-adds at this machine's measured matrix-product throughput;
- one Gluon epoch (chapter 10's loop), when MXNet imports;
- validation and test accuracy of the chapter's runs, and the converged
  model's objective (L-BFGS, ``softmax.loss_and_gradients`` with weight decay) against SGD's;
- peak memory of one epoch (tracemalloc) and of the process (getrusage);
- the whole course's execution time, read from a book build's record
  (``_build/html/editions/index.json``, or --build-dir) when there is one, else measured by
  executing every notebook (--no-course skips it);
- scikit-learn's LogisticRegression (minutes; --no-sklearn skips it).

BLAS threads: the environment's default unless --threads is given (the table
says how many were used). The tests run with OPENBLAS_NUM_THREADS=1.
"""

import argparse
import json
import pathlib
import resource
import sys
import time
import tracemalloc
import warnings

import numpy as np

from softmax_course import data, softmax, train

ROOT = pathlib.Path(__file__).resolve().parent.parent
BATCH_SIZE = 256
LEARNING_RATE = 0.1
REPEATS = 7
TARGET_RATIO = 1.1
WEIGHT_DECAY = 1e-3  # chapter 9's penalty for the converged model
LBFGS_ITERATIONS = 100  # as in chapter 9


def schedule(epoch):
    """Chapter 9's decaying learning rate: 0.5, times 0.3 every 6 epochs."""
    return 0.5 * 0.3 ** (epoch // 6)


def note(message):
    print(message, file=sys.stderr, flush=True)


def blas_threads():
    """A description of the BLAS libraries and their thread counts (threadpoolctl)."""
    from threadpoolctl import threadpool_info

    pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return ", ".join(f"{pool['internal_api']}: {pool['num_threads']} thread(s)" for pool in pools) or "unknown"


def minimal_epoch(X, y, W, b, learning_rate, batch_size, rng):
    """The shortest honest NumPy epoch: shuffle, gather, forward, loss, accuracy, gradient, update."""
    n = X.shape[0]
    order = rng.permutation(n)
    loss_sum, correct = 0.0, 0
    for start in range(0, n, batch_size):
        idx = order[start : start + batch_size]
        Xb, yb, rows = X[idx], y[idx], np.arange(idx.shape[0])
        O = Xb @ W + b
        correct += np.count_nonzero(O.argmax(axis=1) == yb)
        O -= O.max(axis=1, keepdims=True)
        E = np.exp(O)
        S = E.sum(axis=1)
        loss_sum += np.log(S).sum() - O[rows, yb].sum()
        G = E / S[:, None]
        G[rows, yb] -= 1
        G *= learning_rate / idx.shape[0]
        W -= Xb.T @ G
        b -= G.sum(axis=0)
    return loss_sum / n, correct / n


def interleaved_epochs(X, y):
    """Median seconds per epoch of the package and of the minimal loop, alternating (REPEATS each)."""
    runs = {}
    for name, epoch in (("package", None), ("minimal", minimal_epoch)):
        rng = np.random.default_rng(0)
        runs[name] = [epoch, *train.init_params(X.shape[1], 10, rng), rng, []]
    for repeat in range(REPEATS + 1):  # the first round warms up and is not counted
        for name, (epoch, W, b, rng, times) in runs.items():
            start = time.perf_counter()
            if epoch is None:
                train.sgd_epoch(X, y, W, b, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, rng=rng)
            else:
                epoch(X, y, W, b, LEARNING_RATE, BATCH_SIZE, rng)
            if repeat:
                times.append(time.perf_counter() - start)
    return {name: float(np.median(run[-1])) for name, run in runs.items()}


def physical_floor(X, q):
    """(seconds to read X once, seconds of an epoch's 2 n d q multiply-adds at measured matmul speed, MAC/s)."""
    reads = []
    for _ in range(5):
        start = time.perf_counter()
        np.add.reduce(X, axis=0)  # one sequential pass over every byte of X
        reads.append(time.perf_counter() - start)
    A = np.random.default_rng(0).random((1024, 1024), dtype=np.float32)
    A @ A  # warm-up
    products = []
    for _ in range(5):
        start = time.perf_counter()
        A @ A
        products.append(time.perf_counter() - start)
    macs_per_second = 1024**3 / min(products)
    n, d = X.shape
    return min(reads), 2 * n * d * q / macs_per_second, macs_per_second


def gluon_epoch_seconds(X, y):
    """Median seconds of chapter 10's Gluon epoch (3 epochs after one warm-up), or None without MXNet."""
    from softmax_course.mxnet_compat import ensure_compatible

    ensure_compatible()
    try:
        from mxnet import autograd, gluon, nd
        from mxnet.gluon import nn
    except (ImportError, OSError) as error:
        note(f"no Gluon epoch: {error}")
        return None
    X_nd, y_nd = nd.array(X), nd.array(y)
    net = nn.Dense(10, in_units=X.shape[1])
    net.initialize()
    net.hybridize()
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": LEARNING_RATE})
    rng, times = np.random.default_rng(0), []
    for _ in range(4):
        start = time.perf_counter()
        loss_sum, correct = nd.zeros(1), nd.zeros(1)
        for indices in train.minibatch_indices(X.shape[0], BATCH_SIZE, rng):
            rows = nd.array(indices)
            X_batch, y_batch = nd.take(X_nd, rows), nd.take(y_nd, rows)
            with autograd.record():
                O = net(X_batch)
                losses = loss_fn(O, y_batch)
            losses.backward()
            trainer.step(len(indices))
            loss_sum += losses.sum()
            correct += (O.argmax(axis=1) == y_batch).sum()
        loss_sum.asscalar(), correct.asscalar()
        times.append(time.perf_counter() - start)
    return float(np.median(times[1:]))


def epoch_peak_bytes(X, y):
    """Peak bytes NumPy allocates during one epoch (tracemalloc), on top of what already exists."""
    W, b = train.init_params(X.shape[1], 10, np.random.default_rng(0))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        train.sgd_epoch(X, y, W, b, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, rng=np.random.default_rng(0))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - before


def converged_objective(X, y, W, b):
    """L-BFGS on softmax.loss_and_gradients with weight decay from (W, b); return (objective, seconds, iterations)."""
    from scipy.optimize import minimize

    d, q = W.shape

    def fun(theta):
        value, grad_W, grad_b = softmax.loss_and_gradients(
            X, y, theta[:-q].reshape(d, q), theta[-q:], weight_decay=WEIGHT_DECAY
        )
        return value, np.concatenate([grad_W.ravel(), grad_b])

    start = time.perf_counter()
    theta0 = np.concatenate([W.ravel(), b]).astype(np.float64)
    result = minimize(fun, theta0, jac=True, method="L-BFGS-B", options={"maxiter": LBFGS_ITERATIONS})
    return float(result.fun), time.perf_counter() - start, int(result.nit)


def course_seconds(execute, build_dir):
    """(seconds, source) of executing every chapter: a build's record, else nbclient, else None."""
    record = pathlib.Path(build_dir) / "html" / "editions" / "index.json"
    if record.exists():
        chapters = json.loads(record.read_text())["chapters"]
        runtimes = [entry["execution_seconds"] for entry in chapters.values() if entry.get("execution_seconds")]
        if runtimes:
            return sum(runtimes), f"{len(runtimes)} notebooks, record of the build in {build_dir}"
    if not execute:
        return None, "skipped (--no-course) and no build record"
    import nbformat
    from nbclient import NotebookClient

    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    start = time.perf_counter()
    for path in notebooks:
        note(f"executing {path.name} ...")
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start, f"{len(notebooks)} notebooks, executed now with nbclient"


def sklearn_reference(X, y, X_test, y_test):
    """Fit LogisticRegression(lbfgs, C=1) to convergence; return (seconds, test accuracy, iterations)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=5000)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(X, y)
        seconds = time.perf_counter() - start
    return seconds, float(model.score(X_test, y_test)), int(np.max(model.n_iter_))


def row(quantity, value, target=""):
    return f"| {quantity} | {value} | {target} |"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="limit BLAS to this many threads")
    parser.add_argument("--no-sklearn", action="store_true", help="skip the (slow) scikit-learn reference")
    parser.add_argument("--no-gluon", action="store_true", help="skip the Gluon epoch")
    parser.add_argument(
        "--no-course", action="store_true", help="do not execute the notebooks when no build record exists"
    )
    parser.add_argument(
        "--build-dir", default=str(ROOT / "_build"), help="the book build whose execution record to read"
    )
    args = parser.parse_args(argv)
    if args.threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=args.threads, user_api="blas")

    note("loading Fashion-MNIST ...")
    fashion = data.load_fashion_mnist()
    X, y, X_valid, y_valid = data.train_valid_split(data.to_features(fashion.train_images), fashion.train_labels)
    X_test, y_test = data.to_features(fashion.test_images), fashion.test_labels
    n, d = X.shape

    note(f"{REPEATS} interleaved epochs of the package and of the minimal loop ...")
    seconds = interleaved_epochs(X, y)
    ratio = seconds["package"] / seconds["minimal"]
    read_seconds, mac_seconds, macs_per_second = physical_floor(X, 10)
    floor = max(read_seconds, mac_seconds)
    gluon = None if args.no_gluon else gluon_epoch_seconds(X, y)

    note("chapters 8 and 9: 10 epochs at 0.1; 24 epochs decaying, with weight decay ...")

    def seeded_run(epochs, learning_rate, weight_decay=0.0):
        rng = np.random.default_rng(0)
        W, b = train.init_params(d, 10, rng)
        history = train.train(
            X, y, X_valid, y_valid, W, b, epochs=epochs, learning_rate=learning_rate, batch_size=BATCH_SIZE,
            rng=rng, weight_decay=weight_decay,
        )  # fmt: skip
        return history, W, b

    short, W_short, b_short = seeded_run(10, LEARNING_RATE)
    long, W_long, b_long = seeded_run(24, schedule, WEIGHT_DECAY)
    sgd_objective = softmax.loss_and_gradients(X, y, W_long, b_long, weight_decay=WEIGHT_DECAY)[0]
    note(f"L-BFGS, {LBFGS_ITERATIONS} iterations from the decaying run ...")
    lbfgs_objective, lbfgs_seconds, lbfgs_iterations = converged_objective(X, y, W_long, b_long)
    peak = epoch_peak_bytes(X, y)
    course, course_source = course_seconds(not args.no_course, args.build_dir)
    if args.no_sklearn:
        sklearn_text = ("skipped (--no-sklearn)", "skipped")
    else:
        note("scikit-learn LogisticRegression(lbfgs, C=1): takes minutes ...")
        sk_seconds, sk_accuracy, sk_iterations = sklearn_reference(X, y, X_test, y_test)
        sklearn_text = (f"{sk_seconds:.1f} s ({sk_iterations} iterations, converged)", f"{sk_accuracy:.4f}")
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux

    def verdict(ok):
        return "met" if ok else "NOT met"

    lines = [
        "| quantity | value | target |",
        "|---|---|---|",
        row("BLAS (threadpoolctl)", blas_threads(), "default threads unless --threads"),
        row("training data", f"{n} x {d} {X.dtype}, {X.nbytes / 2**20:.0f} MiB; batch {BATCH_SIZE}"),
        row(f"package: train.sgd_epoch, s per epoch (median of {REPEATS}, interleaved)", f"{seconds['package']:.3f} s"),
        row(f"minimal hand-written NumPy epoch (median of {REPEATS}, interleaved)", f"{seconds['minimal']:.3f} s"),
        row("ratio package / minimal loop", f"{ratio:.2f}", f"<= {TARGET_RATIO} ({verdict(ratio <= TARGET_RATIO)})"),
        row(
            "floor: read the training matrix once from memory",
            f"{read_seconds:.3f} s ({X.nbytes / read_seconds / 1e9:.1f} GB/s)",
        ),
        row(
            f"floor: 2 n d q = {2 * n * d * 10 / 1e6:.0f} M multiply-adds at the measured matmul speed",
            f"{mac_seconds:.3f} s ({macs_per_second / 1e9:.1f} G MAC/s, 1024^2 float32 product)",
        ),
        row("ratio package / physical floor (the larger of the two)", f"{seconds['package'] / floor:.1f}"),
        row("Gluon epoch, same data in memory (median of 3)", "skipped" if gluon is None else f"{gluon:.3f} s"),
        row(f"10 epochs, lr {LEARNING_RATE}: validation accuracy", f"{short.valid_accuracy[-1]:.4f}", ">= 0.825"),
        row("10 epochs: test accuracy", f"{train.evaluate(X_test, y_test, W_short, b_short)[1]:.4f}"),
        row(
            f"24 epochs, lr 0.5 x 0.3^(epoch // 6), weight decay {WEIGHT_DECAY:g}: training time",
            f"{sum(long.seconds):.2f} s",
        ),
        row("24 epochs: validation / test accuracy",
            f"{long.valid_accuracy[-1]:.4f} / {train.evaluate(X_test, y_test, W_long, b_long)[1]:.4f}"),
        row(f"objective J = L + λ/2 ||W||^2: SGD / L-BFGS ({lbfgs_iterations} it., {lbfgs_seconds:.1f} s)",
            f"{sgd_objective:.5f} / {lbfgs_objective:.5f} (gap {sgd_objective - lbfgs_objective:.5f})"),
        row("peak NumPy allocation during one epoch (tracemalloc)", f"{peak / 2**20:.2f} MiB"),
        row("max resident set size of this process (getrusage, whole run)", f"{max_rss_mb:.0f} MiB"),
        row("whole course: execution time of every chapter",
            "not measured" if course is None else f"{course:.0f} s", course_source),
        row("scikit-learn LogisticRegression(lbfgs, C=1): fit time", sklearn_text[0]),
        row("scikit-learn LogisticRegression(lbfgs, C=1): test accuracy", sklearn_text[1]),
    ]  # fmt: skip
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
