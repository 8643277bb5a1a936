"""Benchmark the from-scratch NumPy trainer of chapter 9 and print one table.

Usage: python tools/benchmark.py [--threads N] [--no-sklearn]    (`make bench`)

A benchmark, not a test: it measures and prints, and fails only if something
breaks. It reports, on the real Fashion-MNIST data:

- seconds per epoch of ``softmax_course.train`` (median over 10 epochs, batch 256);
- the floor: one full-batch forward and backward pass over the same 60000
  examples, with the same code, in the same run (median of 5), and the ratio;
- test accuracy after 10 epochs (d2l's settings) and of the longer run with a
  decaying learning rate (the chapter's schedule), with its training time;
- peak memory: NumPy allocations during one epoch (tracemalloc) and the
  process's maximum resident set size (getrusage);
- scikit-learn's LogisticRegression (L-BFGS, C=1, run to convergence), the
  accuracy reference, with its fit time. It takes minutes; --no-sklearn skips it.

BLAS threads: the environment's default unless --threads is given (the table
says how many were used). The tests run with OPENBLAS_NUM_THREADS=1.
"""

import argparse
import resource
import sys
import time
import tracemalloc
import warnings

import numpy as np

from softmax_course import train
from softmax_course.data import load_fashion_mnist, to_features

EPOCHS = 10
BATCH_SIZE = 256
LEARNING_RATE = 0.1
LONG_EPOCHS = 24
TARGET_RATIO = 1.5
TARGET_ACCURACY = 0.840
TARGET_SECONDS = 5.0
SKLEARN_MAX_ITER = 5000


def schedule(epoch):
    """The chapter's decaying learning rate: 0.5, times 0.3 every 6 epochs."""
    return 0.5 * 0.3 ** (epoch // 6)


def blas_threads():
    """A description of the BLAS library and its thread count, via threadpoolctl when installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    if not pools:
        return "unknown"
    # numpy and scipy (for scikit-learn) may each bring their own OpenBLAS.
    return ", ".join(f"{pool['prefix']}: {pool['num_threads']} thread(s)" for pool in pools)


def note(message):
    print(message, file=sys.stderr, flush=True)


def full_batch_seconds(features, labels, repeats=5):
    """Median time of one forward and backward pass over all of ``features`` at once.

    It runs the trainer's own minibatch step on a single minibatch holding every
    example, with learning rate 0, so the parameters do not change.
    """
    weights, bias = train.init_params(features.shape[1], 10, np.random.default_rng(0))
    train._step(features, labels, weights, bias, 0.0, 0.0)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        train._step(features, labels, weights, bias, 0.0, 0.0)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def public_full_batch_seconds(features, labels, repeats=3):
    """Median time of softmax.loss_and_gradients over all examples (the package's reference formulas)."""
    from softmax_course.softmax import loss_and_gradients

    weights, bias = train.init_params(features.shape[1], 10, np.random.default_rng(0))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        loss_and_gradients(features, weights, bias, labels)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def epoch_peak_bytes(features, labels):
    """Peak bytes NumPy allocates during one epoch (tracemalloc), on top of what already exists."""
    weights, bias = train.init_params(features.shape[1], 10, np.random.default_rng(0))
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        train.sgd_epoch(
            features, labels, weights, bias, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE,
            rng=np.random.default_rng(0),
        )  # fmt: skip
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - before


def sklearn_reference(features, labels, test_features, test_labels):
    """Fit LogisticRegression(lbfgs, C=1) to convergence; return (seconds, test accuracy, iterations)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=SKLEARN_MAX_ITER)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(features, labels)
        seconds = time.perf_counter() - start
    iterations = int(np.max(model.n_iter_))
    return seconds, float(model.score(test_features, test_labels)), iterations


def row(quantity, value, target=""):
    return f"| {quantity} | {value} | {target} |"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="limit BLAS to this many threads")
    parser.add_argument("--no-sklearn", action="store_true", help="skip the (slow) scikit-learn reference")
    args = parser.parse_args(argv)
    if args.threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=args.threads, user_api="blas")

    note("loading Fashion-MNIST ...")
    data = load_fashion_mnist()
    features, labels = to_features(data.train_images), data.train_labels
    test_features, test_labels = to_features(data.test_images), data.test_labels

    def seeded_run(epochs, learning_rate):
        rng = np.random.default_rng(0)
        weights, bias = train.init_params(features.shape[1], 10, rng)
        return train.train(
            features, labels, test_features, test_labels, weights, bias,
            epochs=epochs, learning_rate=learning_rate, batch_size=BATCH_SIZE, rng=rng,
        )  # fmt: skip

    note(f"training {EPOCHS} epochs ...")
    history = seeded_run(EPOCHS, LEARNING_RATE)
    epoch_seconds = float(np.median(history.seconds))

    note("full-batch passes ...")
    floor = full_batch_seconds(features, labels)
    reference_formulas = public_full_batch_seconds(features, labels)
    ratio = epoch_seconds / floor

    note(f"longer run, {LONG_EPOCHS} epochs with a decaying learning rate ...")
    long_history = seeded_run(LONG_EPOCHS, schedule)
    long_seconds = float(np.sum(long_history.seconds))
    long_accuracy = long_history.test_accuracy[-1]
    reached = [i for i, acc in enumerate(long_history.test_accuracy) if acc >= TARGET_ACCURACY]
    if reached:
        first = reached[0]
        time_to_target = float(np.sum(long_history.seconds[: first + 1]))
        reached_text = f"epoch {first + 1}, after {time_to_target:.2f} s"
    else:
        time_to_target = float("inf")
        reached_text = "not reached"

    note("peak memory of one epoch (tracemalloc) ...")
    peak = epoch_peak_bytes(features, labels)

    if args.no_sklearn:
        sklearn_text = ("skipped (--no-sklearn)", "skipped")
    else:
        note(f"scikit-learn LogisticRegression(lbfgs, C=1, max_iter={SKLEARN_MAX_ITER}): takes minutes ...")
        sk_seconds, sk_accuracy, sk_iterations = sklearn_reference(features, labels, test_features, test_labels)
        sklearn_text = (f"{sk_seconds:.1f} s ({sk_iterations} iterations, converged)", f"{sk_accuracy:.4f}")
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux

    def verdict(ok):
        return "met" if ok else "NOT met"

    lines = [
        "| quantity | value | target |",
        "|---|---|---|",
        row("BLAS (threadpoolctl)", blas_threads(), "default threads unless --threads"),
        row("training data", f"{features.shape[0]} x {features.shape[1]} {features.dtype}, {features.nbytes / 2**20:.0f} MiB"),
        row(
            f"NumPy trainer: seconds per epoch (median of {EPOCHS}, batch {BATCH_SIZE})",
            f"{epoch_seconds:.3f} s (min {min(history.seconds):.3f}, max {max(history.seconds):.3f})",
        ),
        row("floor: one full-batch forward + backward pass, same code (median of 5)", f"{floor:.3f} s"),
        row("ratio epoch / floor", f"{ratio:.2f}", f"<= {TARGET_RATIO} ({verdict(ratio <= TARGET_RATIO)})"),
        row("for comparison: softmax.loss_and_gradients, full batch", f"{reference_formulas:.3f} s"),
        row(
            f"test accuracy after {EPOCHS} epochs (lr {LEARNING_RATE}, seed 0)",
            f"{history.test_accuracy[-1]:.4f}",
            f">= 0.825 ({verdict(history.test_accuracy[-1] >= 0.825)})",
        ),
        row(
            f"longer run: {LONG_EPOCHS} epochs, lr 0.5 x 0.3^(epoch // 6): training time",
            f"{long_seconds:.2f} s",
        ),
        row("longer run: final test accuracy", f"{long_accuracy:.4f}"),
        row(
            f"longer run: first epoch with test accuracy >= {TARGET_ACCURACY}",
            reached_text,
            f"within {TARGET_SECONDS:.0f} s ({verdict(time_to_target <= TARGET_SECONDS)})",
        ),
        row("peak NumPy allocation during one epoch (tracemalloc)", f"{peak / 2**20:.2f} MiB"),
        row("max resident set size of this process (getrusage, whole run)", f"{max_rss_mb:.0f} MiB"),
        row("scikit-learn LogisticRegression(lbfgs, C=1): fit time", sklearn_text[0]),
        row("scikit-learn LogisticRegression(lbfgs, C=1): test accuracy (reference)", sklearn_text[1]),
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
