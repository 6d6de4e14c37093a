#!/usr/bin/python3
"""Trains intq's reference models on Fashion-MNIST and exports them to ONNX.

    /usr/bin/python3 models/train.py            (Debian python3-torch 1.13)

Three models, fixed seeds, one thread (the numbers in models/README.md come
from this machine; other machines may differ in the last digits):
  cnn        conv-BN-ReLU blocks, max pooling, a fully-connected classifier
  mobilenet  stem conv, depthwise-separable blocks with BN and ReLU6, a
             residual add, global average pooling, fully connected
  mlp        three fully-connected layers with ReLU
Exported with opset 13, batch dynamic, BatchNormalization kept (eval mode,
TrainingMode.PRESERVE, no constant folding) so that intq's
--intq-fold-batchnorm has work to do.
Beside each model: torch's float logits for the first 100 test images.
"""

import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/share/datasets/fashion-mnist"
torch.set_num_threads(1)


def load_idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, 1, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8)


def cnn():
    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False),
                nn.BatchNorm2d(cout), nn.ReLU()]
    return nn.Sequential(*block(1, 16), nn.MaxPool2d(2), *block(16, 32),
                         nn.MaxPool2d(2), *block(32, 32), nn.Flatten(),
                         nn.Linear(32 * 7 * 7, 10))


class InvertedResidual(nn.Module):
    def __init__(self, c, expand):
        super().__init__()
        h = c * expand
        self.body = nn.Sequential(
            nn.Conv2d(c, h, 1, bias=False), nn.BatchNorm2d(h), nn.ReLU6(),
            nn.Conv2d(h, h, 3, padding=1, groups=h, bias=False),
            nn.BatchNorm2d(h), nn.ReLU6(),
            nn.Conv2d(h, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return x + self.body(x)


def mobilenet():
    def dw_sep(cin, cout, stride):
        return [nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin,
                          bias=False), nn.BatchNorm2d(cin), nn.ReLU6(),
                nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout),
                nn.ReLU6()]
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(16), nn.ReLU6(),          # 14x14
        *dw_sep(16, 32, 1),
        InvertedResidual(32, 2),
        *dw_sep(32, 64, 2),                      # 7x7
        InvertedResidual(64, 2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(),
                         nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))


def load_exported(name):
    """The float model `name` with the weights of models/<name>.onnx (the
    exported parameter names are the state_dict keys), in eval mode."""
    import onnx
    from onnx import numpy_helper
    model = {"cnn": cnn, "mobilenet": mobilenet, "mlp": mlp}[name]()
    inits = {t.name: numpy_helper.to_array(t)
             for t in onnx.load(os.path.join(HERE, name + ".onnx")).graph.initializer}
    state = model.state_dict()
    for k in state:
        if k in inits:
            state[k] = torch.from_numpy(inits[k].copy())
        elif not k.endswith("num_batches_tracked"):
            raise SystemExit("%s.onnx has no initializer %r" % (name, k))
    model.load_state_dict(state)
    return model.eval()


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 500):
            correct += (model(x[i:i + 500]).argmax(1) == y[i:i + 500]).sum().item()
    return 100.0 * correct / len(x)


EPOCHS = {"cnn": 3, "mobilenet": 4, "mlp": 5}


def train_model(name, xtr, ytr, xte, yte, verbose=True):
    """Trains `name` deterministically (fixed seeds, one thread)."""
    torch.manual_seed(0)
    np.random.seed(0)
    model = {"cnn": cnn, "mobilenet": mobilenet, "mlp": mlp}[name]()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    gen = torch.Generator().manual_seed(1)
    t0 = time.time()
    for epoch in range(EPOCHS[name]):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        if verbose:
            print("%s epoch %d: test top-1 %.2f%% (%.0f s)" % (
                name, epoch + 1, accuracy(model, xte, yte), time.time() - t0),
                flush=True)
    return model.eval()


def main():
    names = sys.argv[1:] or ["cnn", "mobilenet", "mlp"]
    xtr = torch.from_numpy(load_idx("train-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    ytr = torch.from_numpy(load_idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    xte = torch.from_numpy(load_idx("t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    yte = torch.from_numpy(load_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    first100 = xte[:100].contiguous()
    first100.numpy().astype("<f4").tofile(os.path.join(HERE, "testset-first100.input.bin"))
    yte[:100].numpy().astype(np.uint8).tofile(os.path.join(HERE, "testset-first100.labels.bin"))
    for name in names:
        t0 = time.time()
        model = train_model(name, xtr, ytr, xte, yte)
        model.eval()
        acc = accuracy(model, xte, yte)
        path = os.path.join(HERE, name + ".onnx")
        # TrainingMode.PRESERVE with the model in eval mode keeps inference
        # BatchNormalization nodes; the default (EVAL) fuses them into the
        # convolutions even with do_constant_folding=False (torch 1.13).
        torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path,
                          opset_version=13, do_constant_folding=False,
                          training=torch.onnx.TrainingMode.PRESERVE,
                          input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"},
                                        "logits": {0: "batch"}})
        with torch.no_grad():
            model(first100).numpy().astype("<f4").tofile(
                os.path.join(HERE, name + ".first100.logits.bin"))
        import onnx
        m = onnx.load(path)
        onnx.checker.check_model(m)
        ops = {}
        for n in m.graph.node:
            ops[n.op_type] = ops.get(n.op_type, 0) + 1
        print("%s: torch float top-1 %.2f%% on the 10000 test images, "
              "trained in %.0f s, %d bytes, ops %s" % (
                  name, acc, time.time() - t0, os.path.getsize(path),
                  dict(sorted(ops.items()))), flush=True)


if __name__ == "__main__":
    main()
