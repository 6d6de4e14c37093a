#!/usr/bin/python3
"""Builds the small ONNX models of the importer's lit tests.

Usage: make_models.py OUTDIR  (needs python3-onnx and python3-numpy)
Every model is deterministic (fixed numpy seed).
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(1234)


def init(name, shape, scale=0.5):
    return numpy_helper.from_array(
        (rng.standard_normal(shape) * scale).astype(np.float32), name)


def model(nodes, inputs, outputs, inits, opset=13, name="m"):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    return m


def vi(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def models():
    out = {}
    # Conv (asymmetric pads, stride 2) + BatchNormalization + Relu, with a
    # dynamic batch dimension.
    out["conv_bn_relu"] = model(
        [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv1",
                          pads=[1, 0, 1, 1], strides=[2, 2]),
         helper.make_node("BatchNormalization", ["c", "g", "be", "mu", "var"],
                          ["bn"], name="bn1", epsilon=1e-3),
         helper.make_node("Relu", ["bn"], ["y"], name="relu1")],
        [vi("x", ["batch", 3, 8, 8])], [vi("y", None)],
        [init("w", [4, 3, 3, 3]), init("b", [4]), init("g", [4]),
         init("be", [4]), init("mu", [4]),
         numpy_helper.from_array(np.abs(rng.standard_normal(4)).astype(np.float32) + 0.5, "var")])
    # Depthwise conv (group = C, multiplier 2) + Clip as ReLU6 (opset 13:
    # min/max inputs), SAME_UPPER padding.
    out["depthwise_clip"] = model(
        [helper.make_node("Conv", ["x", "w"], ["c"], name="dw", group=3,
                          auto_pad="SAME_UPPER", strides=[2, 2]),
         helper.make_node("Clip", ["c", "lo", "hi"], ["y"], name="relu6")],
        [vi("x", [1, 3, 7, 7])], [vi("y", None)],
        [init("w", [6, 1, 3, 3]),
         numpy_helper.from_array(np.array(0.0, np.float32), "lo"),
         numpy_helper.from_array(np.array(6.0, np.float32), "hi")])
    # Clip with attributes (opset 9).
    out["clip_opset9"] = model(
        [helper.make_node("Clip", ["x"], ["y"], name="clip", min=0.0, max=6.0)],
        [vi("x", [2, 5])], [vi("y", [2, 5])], [], opset=9)
    # Conv -> Flatten -> Gemm(transB): the Gemm weights are permuted at import
    # instead of transposing the activations.
    out["conv_flatten_gemm"] = model(
        [helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
         helper.make_node("Flatten", ["c"], ["f"], name="flatten"),
         helper.make_node("Gemm", ["f", "fw", "fb"], ["y"], name="fc",
                          transB=1)],
        [vi("x", [1, 2, 4, 4])], [vi("y", [1, 3])],
        [init("w", [5, 2, 3, 3]), init("fw", [3, 20]), init("fb", [3])])
    # Pools.
    out["pools"] = model(
        [helper.make_node("MaxPool", ["x"], ["a"], name="maxpool",
                          kernel_shape=[2, 2], strides=[2, 2]),
         helper.make_node("AveragePool", ["a"], ["b"], name="avgpool",
                          kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
         helper.make_node("GlobalAveragePool", ["b"], ["y"], name="gap")],
        [vi("x", [1, 4, 8, 8])], [vi("y", None)], [])
    # A dynamic flatten computed by a shape subgraph (Shape, Gather,
    # Unsqueeze, Concat, Reshape), folded to constants at import.
    out["shape_subgraph"] = model(
        [helper.make_node("Shape", ["x"], ["s"], name="shape"),
         helper.make_node("Gather", ["s", "zero"], ["n"], name="gather", axis=0),
         helper.make_node("Unsqueeze", ["n", "axes"], ["n1"], name="unsqueeze"),
         helper.make_node("Concat", ["n1", "minus1"], ["shp"], name="concat",
                          axis=0),
         helper.make_node("Reshape", ["x", "shp"], ["r"], name="reshape"),
         helper.make_node("MatMul", ["r", "mw"], ["y"], name="matmul")],
        [vi("x", ["batch", 2, 3, 3])], [vi("y", None)],
        [numpy_helper.from_array(np.array(0, np.int64), "zero"),
         numpy_helper.from_array(np.array([0], np.int64), "axes"),
         numpy_helper.from_array(np.array([-1], np.int64), "minus1"),
         init("mw", [18, 4])])
    # Residual add of two activations, Softmax.
    out["residual_softmax"] = model(
        [helper.make_node("Conv", ["x", "w"], ["a"], name="conv",
                          pads=[1, 1, 1, 1]),
         helper.make_node("Add", ["a", "x"], ["r"], name="residual"),
         helper.make_node("GlobalAveragePool", ["r"], ["g"], name="gap"),
         helper.make_node("Flatten", ["g"], ["f"], name="flatten"),
         helper.make_node("Softmax", ["f"], ["y"], name="softmax", axis=-1)],
        [vi("x", [1, 2, 4, 4])], [vi("y", None)], [init("w", [2, 2, 3, 3])])
    # A pre-quantized model in the QDQ form ONNX Runtime's quantizer writes:
    # int8 activations (QuantizeLinear/DequantizeLinear pairs), int8
    # per-channel weights and an int32 bias stored quantized, dequantized by
    # DequantizeLinear; then a QDQ fully-connected layer.
    sx, zx = 0.02, -5
    sw = (np.abs(rng.standard_normal(4)) * 0.01 + 0.005).astype(np.float32)
    wq = rng.integers(-127, 128, size=(4, 3, 3, 3)).astype(np.int8)
    bq = rng.integers(-500, 500, size=(4,)).astype(np.int32)
    sy, zy = 0.05, -128
    fw = rng.integers(-127, 128, size=(4 * 3 * 3, 5)).astype(np.int8)
    sfw = np.float32(0.004)
    def q(name, arr):
        return numpy_helper.from_array(arr, name)
    out["qdq_conv_gemm"] = model(
        [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="qx"),
         helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"], name="dqx"),
         helper.make_node("DequantizeLinear", ["wq", "sw", "zw"], ["wd"], name="dqw", axis=0),
         helper.make_node("DequantizeLinear", ["bq", "sb", "zb"], ["bd"], name="dqb", axis=0),
         helper.make_node("Conv", ["xd", "wd", "bd"], ["c"], name="conv", pads=[1, 1, 1, 1], strides=[2, 2]),
         helper.make_node("Relu", ["c"], ["r"], name="relu"),
         helper.make_node("QuantizeLinear", ["r", "sy", "zy"], ["rq"], name="qr"),
         helper.make_node("DequantizeLinear", ["rq", "sy", "zy"], ["rd"], name="dqr"),
         helper.make_node("Flatten", ["rd"], ["f"], name="flatten"),
         helper.make_node("DequantizeLinear", ["fwq", "sfw"], ["fwd"], name="dqfw"),
         helper.make_node("Gemm", ["f", "fwd"], ["g"], name="fc"),
         helper.make_node("QuantizeLinear", ["g", "sg", "zg"], ["gq"], name="qg"),
         helper.make_node("DequantizeLinear", ["gq", "sg", "zg"], ["y"], name="dqg")],
        [vi("x", [1, 3, 6, 6])], [vi("y", [1, 5])],
        [q("sx", np.array(sx, np.float32)), q("zx", np.array(zx, np.int8)),
         q("wq", wq), q("sw", sw), q("zw", np.zeros(4, np.int8)),
         q("bq", bq), q("sb", (np.float32(sx) * sw).astype(np.float32)),
         q("zb", np.zeros(4, np.int32)),
         q("sy", np.array(sy, np.float32)), q("zy", np.array(zy, np.int8)),
         q("fwq", fw), q("sfw", np.array(sfw, np.float32)),
         q("sg", np.array(0.1, np.float32)), q("zg", np.array(3, np.int8))])
    # The QOperator form: QLinearConv (uint8 activations, int8 per-channel
    # weights, int32 bias) and QLinearMatMul, between Quantize/Dequantize.
    qw2 = rng.integers(-127, 128, size=(3, 2, 3, 3)).astype(np.int8)
    sw2 = np.array([0.01, 0.02, 0.015], np.float32)
    out["qlinear_conv"] = model(
        [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="qx"),
         helper.make_node("QLinearConv", ["xq", "sx", "zx", "w", "sw", "zw",
                                          "sy", "zy", "b"], ["yq"], name="qconv",
                          pads=[1, 1, 1, 1]),
         helper.make_node("DequantizeLinear", ["yq", "sy", "zy"], ["y"], name="dqy")],
        [vi("x", [1, 2, 5, 5])], [vi("y", None)],
        [q("sx", np.array(0.03, np.float32)), q("zx", np.array(128, np.uint8)),
         q("w", qw2), q("sw", sw2), q("zw", np.zeros(3, np.int8)),
         q("sy", np.array(0.08, np.float32)), q("zy", np.array(10, np.uint8)),
         q("b", rng.integers(-300, 300, size=(3,)).astype(np.int32))])
    out["qlinear_matmul"] = model(
        [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="qx"),
         helper.make_node("QLinearMatMul", ["xq", "sx", "zx", "w", "sw", "zw",
                                            "sy", "zy"], ["yq"], name="qmm"),
         helper.make_node("DequantizeLinear", ["yq", "sy", "zy"], ["y"], name="dqy")],
        [vi("x", [3, 6])], [vi("y", None)],
        [q("sx", np.array(0.02, np.float32)), q("zx", np.array(-3, np.int8)),
         q("w", rng.integers(-127, 128, size=(6, 4)).astype(np.int8)),
         q("sw", np.array(0.01, np.float32)), q("zw", np.array(0, np.int8)),
         q("sy", np.array(0.05, np.float32)), q("zy", np.array(0, np.int8))])
    # Grouped convolution (2 groups of 3 input channels, 4 outputs each)
    # with a bias; stride 2, pads.
    out["grouped_conv"] = model(
        [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="gconv",
                          group=2, pads=[1, 1, 1, 1], strides=[2, 1])],
        [vi("x", [1, 6, 5, 5])], [vi("y", None)],
        [init("w", [8, 3, 3, 3]), init("b", [8])])
    # ConvInteger / MatMulInteger in the form ONNX Runtime writes for static
    # models: QuantizeLinear, the integer op, Cast to float, Mul by the
    # combined scale (per channel for the conv), then float ops or a
    # QuantizeLinear.
    out["conv_integer"] = model(
        [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="qx"),
         helper.make_node("ConvInteger", ["xq", "w", "zx"], ["acc"], name="iconv",
                          pads=[1, 1, 1, 1]),
         helper.make_node("Cast", ["acc"], ["accf"], name="cast", to=1),
         helper.make_node("Mul", ["accf", "scale"], ["m"], name="scale"),
         helper.make_node("Add", ["m", "bias"], ["a"], name="bias"),
         helper.make_node("Relu", ["a"], ["y"], name="relu")],
        [vi("x", [1, 2, 5, 5])], [vi("y", None)],
        [q("sx", np.array(0.02, np.float32)), q("zx", np.array(3, np.uint8)),
         q("w", rng.integers(-127, 128, size=(4, 2, 3, 3)).astype(np.int8)),
         q("scale", (np.array([1, 2, 3, 4], np.float32) * 2e-4).reshape(1, 4, 1, 1)),
         q("bias", rng.standard_normal((1, 4, 1, 1)).astype(np.float32) * 0.1)])
    out["matmul_integer"] = model(
        [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="qx"),
         helper.make_node("MatMulInteger", ["xq", "w", "zx", "zw"], ["acc"], name="imm"),
         helper.make_node("Cast", ["acc"], ["accf"], name="cast", to=1),
         helper.make_node("Mul", ["accf", "scale"], ["m"], name="scale"),
         helper.make_node("QuantizeLinear", ["m", "sy", "zy"], ["yq"], name="qy"),
         helper.make_node("DequantizeLinear", ["yq", "sy", "zy"], ["y"], name="dqy")],
        [vi("x", [3, 6])], [vi("y", None)],
        [q("sx", np.array(0.05, np.float32)), q("zx", np.array(-2, np.int8)),
         q("w", rng.integers(-127, 128, size=(6, 4)).astype(np.int8)),
         q("zw", np.array(0, np.int8)),
         q("scale", np.array(0.05 * 0.01, np.float32)),
         q("sy", np.array(0.1, np.float32)), q("zy", np.array(0, np.int8))])
    # Transpose of an NHWC-stored activation to NHWC (free: no transpose is
    # emitted), then of a constant (folded), then a plain one.
    out["transposes"] = model(
        [helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
         helper.make_node("Transpose", ["c"], ["t"], name="to_nhwc", perm=[0, 2, 3, 1]),
         helper.make_node("Transpose", ["k"], ["kt"], name="const_t", perm=[1, 0]),
         helper.make_node("Add", ["t", "kt"], ["a"], name="add"),
         helper.make_node("Transpose", ["a"], ["y"], name="swap_hw", perm=[0, 2, 1, 3])],
        [vi("x", [1, 2, 4, 3])], [vi("y", None)],
        [init("w", [3, 2, 1, 1]), init("k", [3, 3])])
    # Two branches concatenated along the channels (an inception-style
    # block), then a conv: the concat runs in integers once quantized.
    out["concat_branches"] = model(
        [helper.make_node("Conv", ["x", "wa"], ["a"], name="conv_a", pads=[1, 1, 1, 1]),
         helper.make_node("Relu", ["a"], ["ra"], name="relu_a"),
         helper.make_node("Conv", ["x", "wb"], ["b"], name="conv_b"),
         helper.make_node("Clip", ["b", "lo", "hi"], ["rb"], name="relu6_b"),
         helper.make_node("Concat", ["ra", "rb"], ["c"], name="concat", axis=1),
         helper.make_node("Conv", ["c", "wc"], ["y"], name="conv_c")],
        [vi("x", [1, 2, 6, 6])], [vi("y", None)],
        [init("wa", [3, 2, 3, 3]), init("wb", [3, 2, 1, 1]), init("wc", [4, 6, 1, 1]),
         numpy_helper.from_array(np.array(0.0, np.float32), "lo"),
         numpy_helper.from_array(np.array(6.0, np.float32), "hi")])
    # Elementwise functions after a fully-connected layer: each becomes an
    # integer table lookup once quantized.
    out["elementwise_tables"] = model(
        [helper.make_node("Gemm", ["x", "w", "b"], ["g"], name="fc", transB=1),
         helper.make_node("Sigmoid", ["g"], ["s"], name="sigmoid"),
         helper.make_node("HardSigmoid", ["s"], ["h"], name="hardsigmoid", alpha=0.4, beta=0.3),
         helper.make_node("Sub", ["h", "half"], ["c"], name="center"),
         helper.make_node("Tanh", ["c"], ["y"], name="tanh")],
        [vi("x", [4, 8])], [vi("y", None)],
        [init("w", [6, 8]), init("b", [6]),
         numpy_helper.from_array(np.array(0.5, np.float32), "half")])
    # HardSwish (x * hardsigmoid(x)) after a fully-connected layer.
    out["hardswish"] = model(
        [helper.make_node("Gemm", ["x", "w", "b"], ["g"], name="fc", transB=1),
         helper.make_node("HardSwish", ["g"], ["y"], name="hswish")],
        [vi("x", [4, 8])], [vi("y", None)], [init("w", [6, 8], 1.0), init("b", [6])])
    # An explicit Pad (constant 0) between two convs: padded in integers.
    out["pad_between"] = model(
        [helper.make_node("Conv", ["x", "wa"], ["a"], name="conv_a"),
         helper.make_node("Relu", ["a"], ["r"], name="relu"),
         helper.make_node("Pad", ["r", "pads"], ["p"], name="pad"),
         helper.make_node("Conv", ["p", "wb"], ["y"], name="conv_b")],
        [vi("x", [1, 2, 6, 6])], [vi("y", None)],
        [init("wa", [3, 2, 1, 1]), init("wb", [2, 3, 3, 3]),
         numpy_helper.from_array(np.array([0, 0, 2, 1, 0, 0, 0, 2], np.int64), "pads")])
    # --- bad inputs ---
    out["bad_unknown_op"] = model(
        [helper.make_node("Relu", ["x"], ["a"], name="ok"),
         helper.make_node("Hardmax", ["a"], ["y"], name="mystery")],
        [vi("x", [1, 4])], [vi("y", [1, 4])], [])
    out["bad_attribute"] = model(
        [helper.make_node("Pad", ["x", "pads"], ["y"], name="pad",
                          mode="reflect")],
        [vi("x", [1, 1, 5, 5])], [vi("y", None)],
        [numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads")])
    out["bad_missing_initializer"] = model(
        [helper.make_node("Conv", ["x", "w_missing"], ["y"], name="conv")],
        [vi("x", [1, 1, 4, 4])], [vi("y", None)], [])
    out["bad_weight_shape"] = model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv")],
        [vi("x", [1, 3, 4, 4])], [vi("y", None)], [init("w", [2, 4, 3, 3])])
    out["bad_runtime_weights"] = model(
        [helper.make_node("Gemm", ["x", "x2"], ["y"], name="gemm")],
        [vi("x", [2, 2]), vi("x2", [2, 2])], [vi("y", None)], [])
    out["bad_opset"] = model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        [vi("x", [1, 4])], [vi("y", [1, 4])], [], opset=18)
    out["bad_dtype"] = model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        [helper.make_tensor_value_info("x", TensorProto.INT32, [1, 4])],
        [vi("y", [1, 4])], [])
    out["bad_uint8_relu"] = model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        [helper.make_tensor_value_info("x", TensorProto.UINT8, [1, 4])],
        [vi("y", [1, 4])], [])
    out["bad_integer_output"] = model(
        [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="qx"),
         helper.make_node("MatMulInteger", ["xq", "w"], ["y"], name="imm")],
        [vi("x", [1, 2])], [vi("y", None)],
        [q("sx", np.array(0.05, np.float32)), q("zx", np.array(0, np.uint8)),
         q("w", np.ones((2, 2), np.int8))])
    out["bad_integer_input"] = model(
        [helper.make_node("MatMulInteger", ["x", "w"], ["acc"], name="imm"),
         helper.make_node("Cast", ["acc"], ["y"], name="cast", to=1)],
        [vi("x", [1, 2])], [vi("y", None)], [q("w", np.ones((2, 2), np.int8))])
    out["bad_integer_zero_point"] = model(
        [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="qx"),
         helper.make_node("MatMulInteger", ["xq", "w", "zbad"], ["acc"], name="imm"),
         helper.make_node("Cast", ["acc"], ["y"], name="cast", to=1)],
        [vi("x", [1, 2])], [vi("y", None)],
        [q("sx", np.array(0.05, np.float32)), q("zx", np.array(0, np.uint8)),
         q("zbad", np.array(7, np.uint8)), q("w", np.ones((2, 2), np.int8))])
    return out


def grouped_conv_reference(x, w, b, groups, pads, strides):
    """Direct NCHW grouped convolution (float64), independent of intq."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (h + pads[0] + pads[2] - kh) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - kw) // strides[1] + 1
    y = np.zeros((n, o, oh, ow))
    og = o // groups
    for oc in range(o):
        g = oc // og
        for i in range(oh):
            for j in range(ow):
                win = xp[:, g * cg:(g + 1) * cg,
                         i * strides[0]:i * strides[0] + kh,
                         j * strides[1]:j * strides[1] + kw]
                y[:, oc, i, j] = (win * w[oc]).sum(axis=(1, 2, 3)) + b[oc]
    return y


def quantize_linear(x, scale, zp, lo, hi):
    """ONNX QuantizeLinear: float32 division, ties to even, saturation."""
    return np.clip(np.rint(x.astype(np.float32) / np.float32(scale)) + zp, lo, hi)


def write_integer_references(models_, outdir):
    inits = {t.name: numpy_helper.to_array(t)
             for t in models_["conv_integer"].graph.initializer}
    x = np.random.default_rng(5).uniform(-1, 1, (1, 2, 5, 5)).astype(np.float32)
    xq = quantize_linear(x, inits["sx"], 3, 0, 255) - 3
    acc = grouped_conv_reference(xq, inits["w"].astype(np.float64),
                                 np.zeros(4), 1, [1, 1, 1, 1], [1, 1])
    y = np.maximum(acc.astype(np.float32) * inits["scale"] + inits["bias"], 0)
    x.tofile(os.path.join(outdir, "conv_integer.input.bin"))
    y.astype(np.float32).tofile(os.path.join(outdir, "conv_integer.expected.bin"))
    inits = {t.name: numpy_helper.to_array(t)
             for t in models_["matmul_integer"].graph.initializer}
    x = np.random.default_rng(6).uniform(-1, 1, (3, 6)).astype(np.float32)
    xq = quantize_linear(x, inits["sx"], -2, -128, 127) + 2
    acc = xq.astype(np.int64) @ inits["w"].astype(np.int64)
    m = acc.astype(np.float32) * inits["scale"]
    y = quantize_linear(m, inits["sy"], 0, -128, 127) * np.float32(inits["sy"])
    x.tofile(os.path.join(outdir, "matmul_integer.input.bin"))
    y.astype(np.float32).tofile(os.path.join(outdir, "matmul_integer.expected.bin"))


def write_transposes_reference(m, outdir):
    inits = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    x = np.random.default_rng(7).uniform(-1, 1, (1, 2, 4, 3)).astype(np.float32)
    c = np.einsum("nchw,oc->nohw", x.astype(np.float64), inits["w"][:, :, 0, 0])
    a = c.transpose(0, 2, 3, 1) + inits["k"].T
    x.tofile(os.path.join(outdir, "transposes.input.bin"))
    a.transpose(0, 2, 1, 3).astype(np.float32).tofile(
        os.path.join(outdir, "transposes.expected.bin"))


def write_grouped_conv_reference(m, outdir):
    inits = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    x = np.random.default_rng(99).uniform(-1, 1, (1, 6, 5, 5)).astype(np.float32)
    y = grouped_conv_reference(x.astype(np.float64), inits["w"], inits["b"],
                               2, [1, 1, 1, 1], [2, 1])
    x.tofile(os.path.join(outdir, "grouped_conv.input.bin"))
    calib = np.random.default_rng(100).uniform(-1, 1, (32, 1, 6, 5, 5))
    calib.astype(np.float32).tofile(os.path.join(outdir, "grouped_conv.calib.bin"))
    np.random.default_rng(101).uniform(-1, 1, (32, 1, 2, 6, 6)).astype(
        np.float32).tofile(os.path.join(outdir, "concat_branches.calib.bin"))
    np.random.default_rng(103).uniform(-2, 2, (64, 4, 8)).astype(
        np.float32).tofile(os.path.join(outdir, "elementwise_tables.calib.bin"))
    np.random.default_rng(104).uniform(-2, 2, (8, 4, 8)).astype(
        np.float32).tofile(os.path.join(outdir, "elementwise_tables.input.bin"))
    np.random.default_rng(102).uniform(-1, 1, (4, 1, 2, 6, 6)).astype(
        np.float32).tofile(os.path.join(outdir, "concat_branches.input.bin"))
    y.astype(np.float32).tofile(os.path.join(outdir, "grouped_conv.expected.bin"))


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    all_models = models()
    for name, m in all_models.items():
        data = m.SerializeToString()
        with open(os.path.join(outdir, name + ".onnx"), "wb") as f:
            f.write(data)
    # Reference data for the grouped convolution, computed with numpy.
    write_grouped_conv_reference(all_models["grouped_conv"], outdir)
    write_integer_references(all_models, outdir)
    write_transposes_reference(all_models["transposes"], outdir)
    # A truncated model and a file that is not ONNX at all.
    good = models()["conv_bn_relu"].SerializeToString()
    with open(os.path.join(outdir, "bad_truncated.onnx"), "wb") as f:
        f.write(good[: len(good) // 2])
    with open(os.path.join(outdir, "bad_garbage.onnx"), "wb") as f:
        f.write(b"\xff\xfe this is not a protobuf \x00\x01" * 8)


if __name__ == "__main__":
    main()
