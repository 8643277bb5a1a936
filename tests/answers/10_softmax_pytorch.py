"""Right and wrong answers to chapter 10's PyTorch coding exercises (tests/test_autograde_answers.py grades them)."""

ANSWERS = {
    "ex-10-torch-weights": {
        "right": {
            "transpose in PyTorch, then to NumPy": """
def to_our_layout(net):
    W = net.weight.detach().t().contiguous().numpy()
    b = net.bias.detach().numpy().reshape(-1)
    return W, b
""",
            "from the state dict": """
def to_our_layout(net):
    state = net.state_dict()
    return np.array(state["weight"]).T.copy(), np.array(state["bias"])
""",
            "under no_grad, with clone": """
def to_our_layout(net):
    with torch.no_grad():
        return net.weight.clone().numpy().transpose(), net.bias.clone().numpy()
""",
        },
        "wrong": {
            "not transposed": """
def to_our_layout(net):
    return net.weight.detach().numpy(), net.bias.detach().numpy()
""",
            "reshaped instead of transposed": """
def to_our_layout(net):
    q, d = net.weight.shape
    return net.weight.detach().numpy().reshape(d, q), net.bias.detach().numpy()
""",
            "tensors, not NumPy": """
def to_our_layout(net):
    return net.weight.detach().T, net.bias.detach()
""",
            "bias as a row (1, q)": """
def to_our_layout(net):
    return net.weight.detach().numpy().T, net.bias.detach().numpy().reshape(1, -1)
""",
        },
    },
    "ex-10-torch-mean-loss": {
        "right": {
            "log_softmax and indexing in PyTorch": """
def mean_loss(net, X, y):
    log_probs = torch.log_softmax(net(torch.from_numpy(X)), dim=1)
    return float(-log_probs[torch.arange(len(y)), torch.as_tensor(y)].mean())
""",
            "the functional form": """
import torch.nn.functional as F

def mean_loss(net, X, y):
    with torch.no_grad():
        return F.cross_entropy(net(torch.tensor(X)), torch.tensor(y, dtype=torch.long)).item()
""",
            "summed, then divided": """
def mean_loss(net, X, y):
    total = nn.CrossEntropyLoss(reduction="sum")(net(torch.from_numpy(X)), torch.from_numpy(y))
    return total.item() / len(y)
""",
            "logits to NumPy, logaddexp": """
def mean_loss(net, X, y):
    logits = net(torch.from_numpy(X)).detach().numpy().astype(np.float64)
    lse = np.logaddexp.reduce(logits, axis=1)
    return float(np.mean(lse - logits[np.arange(len(y)), y]))
""",
        },
        "wrong": {
            "sum, not mean": """
def mean_loss(net, X, y):
    loss = nn.CrossEntropyLoss(reduction="sum")
    return loss(net(torch.from_numpy(X)), torch.from_numpy(y)).item()
""",
            "softmax before the loss": """
def mean_loss(net, X, y):
    probabilities = torch.softmax(net(torch.from_numpy(X)), dim=1)
    return nn.CrossEntropyLoss()(probabilities, torch.from_numpy(y)).item()
""",
            "NLLLoss on the logits": """
def mean_loss(net, X, y):
    return nn.NLLLoss()(net(torch.from_numpy(X)), torch.from_numpy(y)).item()
""",
            "a tensor, not a float": """
def mean_loss(net, X, y):
    return nn.CrossEntropyLoss()(net(torch.from_numpy(X)), torch.from_numpy(y))
""",
            "the package's cross_entropy": """
def mean_loss(net, X, y):
    logits = net(torch.from_numpy(X)).detach().numpy()
    return float(softmax.cross_entropy(logits, y).mean())
""",
        },
    },
}
