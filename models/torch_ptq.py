#!/usr/bin/python3
"""PyTorch's own post-training static quantization of the reference models,
the peer for docs/accuracy.md.

    /usr/bin/python3 models/torch_ptq.py [cnn mobilenet mlp]

Retrains each model exactly as train.py does (same seeds; the float
accuracy printed must match models/README.md), then quantizes it with
torch.ao FX graph mode, engine 'onednn' (this Debian build has no fbgemm;
qnnpack mis-computes ReLU6 on channels-last tensors), default qconfig
(per-channel int8 weights, histogram observers for activations), calibrated
on the same 500 training images intq uses, and evaluates both on the 10 000
test images.
"""

import sys

import numpy as np
import torch
from torch.ao.quantization import get_default_qconfig_mapping
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

import train


def main():
    names = sys.argv[1:] or ["cnn", "mobilenet", "mlp"]
    torch.backends.quantized.engine = "onednn"
    xtr = torch.from_numpy(train.load_idx("train-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    ytr = torch.from_numpy(train.load_idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    xte = torch.from_numpy(train.load_idx("t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    yte = torch.from_numpy(train.load_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    for name in names:
        model = train.train_model(name, xtr, ytr, xte, yte, verbose=False)
        fp = train.accuracy(model, xte, yte)
        qmap = get_default_qconfig_mapping("onednn")
        prepared = prepare_fx(model.eval(), qmap, (xte[:1],))
        with torch.no_grad():
            for i in range(0, 500, 100):
                prepared(xtr[i:i + 100])
        q = convert_fx(prepared)
        print("%s: torch float %.2f %%, torch int8 (onednn, FX PTQ, 500 images) %.2f %%"
              % (name, fp, train.accuracy(q, xte, yte)), flush=True)


if __name__ == "__main__":
    main()
