#!/usr/bin/python3
"""PyTorch's own post-training static quantization of the reference models,
the peer for docs/accuracy.md.

    /usr/bin/python3 models/torch_ptq.py [cnn mobilenet mlp]

Loads each model's float weights from models/<name>.onnx (no retraining;
the float accuracy printed must match models/README.md), quantizes it with
torch.ao FX graph mode, engine 'onednn' (this Debian build has no fbgemm;
qnnpack mis-computes ReLU6 on channels-last tensors), default qconfig
(per-channel int8 weights, histogram observers for activations), calibrated
on the same 500 training images intq uses, and evaluates both on the 10 000
test images. Writes torch's int8 logits for the 100 stored test images
beside each model: <name>.torch-int8.first100.logits.bin (float32 [100, 10]).
"""

import os
import sys

import numpy as np
import torch
from torch.ao.quantization import get_default_qconfig_mapping
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

import train


def quantize(model, xtr, example):
    """FX PTQ, onednn, default qconfig, 500 calibration images."""
    prepared = prepare_fx(model, get_default_qconfig_mapping("onednn"), example)
    with torch.no_grad():
        for i in range(0, 500, 100):
            prepared(xtr[i:i + 100])
    return convert_fx(prepared)


def main():
    names = sys.argv[1:] or ["cnn", "mobilenet", "mlp"]
    torch.backends.quantized.engine = "onednn"
    xtr = torch.from_numpy(train.load_idx("train-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    xte = torch.from_numpy(train.load_idx("t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    yte = torch.from_numpy(train.load_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    x100 = torch.from_numpy(np.fromfile(os.path.join(train.HERE, "testset-first100.input.bin"),
                                        np.float32).reshape(100, 1, 28, 28))
    for name in names:
        model = train.load_exported(name)
        fp = train.accuracy(model, xte, yte)
        q = quantize(model, xtr, (xte[:1],))
        with torch.no_grad():
            q(x100).numpy().astype(np.float32).tofile(
                os.path.join(train.HERE, name + ".torch-int8.first100.logits.bin"))
        print("%s: torch float %.2f %%, torch int8 (onednn, FX PTQ, 500 images) %.2f %%"
              % (name, fp, train.accuracy(q, xte, yte)), flush=True)


if __name__ == "__main__":
    main()
