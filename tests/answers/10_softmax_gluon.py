"""Right and wrong answers to chapter 10's coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-10-weights": {
        "right": {
            "transpose in MXNet, then copy": """
def to_our_layout(net):
    W = nd.transpose(net.weight.data()).asnumpy()
    b = net.bias.data().asnumpy().reshape(-1)
    return W, b
""",
            "np.transpose of the parameters": """
def to_our_layout(net):
    weight, bias = net.weight, net.bias
    return np.ascontiguousarray(np.transpose(weight.data().asnumpy())), np.array(bias.data().asnumpy())
""",
        },
        "wrong": {
            "not transposed": """
def to_our_layout(net):
    return net.weight.data().asnumpy(), net.bias.data().asnumpy()
""",
            "reshaped instead of transposed": """
def to_our_layout(net):
    q, d = net.weight.shape
    return net.weight.data().asnumpy().reshape(d, q), net.bias.data().asnumpy()
""",
            "NDArrays, not NumPy": """
def to_our_layout(net):
    return net.weight.data().T, net.bias.data()
""",
            "bias as a row (1, q)": """
def to_our_layout(net):
    return net.weight.data().asnumpy().T, net.bias.data().asnumpy().reshape(1, -1)
""",
        },
    },
    "ex-10-mean-loss": {
        "right": {
            "log_softmax and pick in MXNet": """
def mean_loss(net, X, y):
    log_probs = nd.log_softmax(net(nd.array(X)), axis=1)
    return -nd.pick(log_probs, nd.array(y), axis=1).mean().asscalar().item()
""",
            "logits to NumPy, logaddexp": """
def mean_loss(net, X, y):
    logits = net(nd.array(X)).asnumpy().astype(np.float64)
    lse = np.logaddexp.reduce(logits, axis=1)
    return float(np.mean(lse - logits[np.arange(len(y)), y]))
""",
            "asscalar, a NumPy float32": """
def mean_loss(net, X, y):
    return gluon.loss.SoftmaxCrossEntropyLoss()(net(nd.array(X)), nd.array(y)).mean().asscalar()
""",
            "Gluon's loss, summed and divided": """
def mean_loss(net, X, y):
    per_example = gluon.loss.SoftmaxCrossEntropyLoss()(net(nd.array(X, dtype="float32")), nd.array(y))
    return float(per_example.sum().asscalar()) / len(y)
""",
        },
        "wrong": {
            "sum, not mean": """
def mean_loss(net, X, y):
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    return float(loss(net(nd.array(X)), nd.array(y)).sum().asscalar())
""",
            "softmax before the loss": """
def mean_loss(net, X, y):
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    return float(loss(nd.softmax(net(nd.array(X))), nd.array(y)).mean().asscalar())
""",
            "probability of the true class, no log": """
def mean_loss(net, X, y):
    p = nd.softmax(net(nd.array(X)), axis=1)
    return float(1 - nd.pick(p, nd.array(y), axis=1).mean().asscalar())
""",
            "log-softmax over the examples axis": """
def mean_loss(net, X, y):
    log_probs = nd.log_softmax(net(nd.array(X)), axis=0)
    return float(-nd.pick(log_probs, nd.array(y), axis=1).mean().asscalar())
""",
            "a one-element array, not a float": """
def mean_loss(net, X, y):
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    return loss(net(nd.array(X)), nd.array(y)).mean().asnumpy()
""",
            "an NDArray, not a float": """
def mean_loss(net, X, y):
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    return loss(net(nd.array(X)), nd.array(y)).mean()
""",
        },
    },
}
