"""Code shared by the chapters of the Softmax Regression course.

Each module holds one idea, written once in the chapter that teaches it and
imported by every later chapter:

- :mod:`softmax_course.onehot`: one-hot encoding and decoding of labels.
- :mod:`softmax_course.softmax`: softmax, log-softmax, log-sum-exp,
  cross-entropy and its gradient.
- :mod:`softmax_course.data`: Iris and Fashion-MNIST, verified and cached.
- :mod:`softmax_course.train`: minibatches, SGD and exact epoch metrics.
- :mod:`softmax_course.plot`: progress display and the course's figures.
- :mod:`softmax_course.mxnet_compat`: what lets MXNet 1.9.1 import on newer
  numpy and Python. Import it only where MXNet is used.
"""

__version__ = "1.0.0"
