#!/usr/bin/python3
"""PyTorch's own int8 export of the reference CNN, in ONNX QDQ form.

    /usr/bin/python3 models/export_qdq.py      (Debian python3-torch 1.13)

Loads the float weights of models/cnn.onnx into train.cnn() (no retraining),
quantizes it with PyTorch's FX graph mode post-training static quantization
(engine 'onednn', default qconfig: uint8 activations with histogram
observers, per-channel symmetric int8 weights; conv-BN-ReLU fused, so BN is
folded by torch), calibrated on the first 500 training images (the set intq's
own calibration uses), and exports the quantized model with torch.onnx
(opset 13): QuantizeLinear / DequantizeLinear around float Conv, Relu,
MaxPool, Flatten, Gemm, with torch's own scales and zero points.

Writes cnn.qdq.onnx (batch dynamic) beside the float model and prints
torch's int8 top-1 on the 10 000 test images. The quantization is
torch_ptq.quantize, so torch's int8 logits for the stored test images are
cnn.torch-int8.first100.logits.bin (written by torch_ptq.py).
"""

import os

import numpy as np
import onnx
import torch
import torch_ptq
import train

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    torch.backends.quantized.engine = "onednn"
    model = train.load_exported("cnn")
    xtr = torch.from_numpy(train.load_idx("train-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    xte = torch.from_numpy(train.load_idx("t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    yte = torch.from_numpy(train.load_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    x100 = torch.from_numpy(np.fromfile(os.path.join(HERE, "testset-first100.input.bin"),
                                        np.float32).reshape(100, 1, 28, 28))
    ref = np.fromfile(os.path.join(HERE, "cnn.first100.logits.bin"), np.float32).reshape(100, 10)
    with torch.no_grad():
        drift = np.abs(model(x100).numpy() - ref).max()
    if drift > 1e-4:
        raise SystemExit("the float weights do not reproduce cnn.first100.logits.bin")

    q = torch_ptq.quantize(model, xtr, (x100[:1],))
    print("torch int8 (onednn, FX PTQ, 500 images) top-1: %.2f %%"
          % train.accuracy(q, xte, yte))
    path = os.path.join(HERE, "cnn.qdq.onnx")
    torch.onnx.export(q, x100[:1], path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    ops = {}
    for n in onnx.load(path).graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    print("wrote %s (%d bytes): %s" % (path, os.path.getsize(path),
                                       ", ".join("%s %d" % kv for kv in sorted(ops.items()))))


if __name__ == "__main__":
    main()
