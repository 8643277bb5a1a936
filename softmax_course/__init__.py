"""Code shared by the chapters of the Softmax Regression course.

Each module holds one idea, written once in the chapter that teaches it and
imported by every later chapter:

- :mod:`softmax_course.onehot`: one-hot encoding and decoding of labels.
- :mod:`softmax_course.softmax`: softmax, log-softmax, log-sum-exp,
  cross-entropy, the loss of softmax regression and its gradients (with an
  optional weight decay), and ``predict``.
- :mod:`softmax_course.data`: Iris and Fashion-MNIST, verified and cached.
- :mod:`softmax_course.train`: minibatches, SGD and exact epoch metrics
  (chapters 8, 9, 10 and 14).
- :mod:`softmax_course.plot`: progress display and the course's figures.
- :mod:`softmax_course.geometry`: pairwise boundaries, decision regions and
  one-vs-rest of a linear classifier (chapters 11 and 13).
- :mod:`softmax_course.losses`: the multiclass hinge and least-squares losses,
  and full-batch gradient descent on any of the three (chapters 11 and 13).
- :mod:`softmax_course.calibration`: reliability bins, expected calibration
  error, temperature scaling and the reliability diagram (chapter 14).
- :mod:`softmax_course.interactive`: figures the reader moves (sliders and
  buttons, Vega-Lite served by the book, a PNG where JavaScript cannot run).
- :mod:`softmax_course.mxnet_compat`: what lets MXNet 1.9.1 import on newer
  numpy and Python. Import it only where MXNet is used.
"""

__version__ = "1.0.0"
