#!/usr/bin/python3
"""Writes the MLIR kernels the benchmarks compile with intq-compile.

    gen_kernels.py OUTDIR M K N [M K N ...]

For each shape: mm_i8_MxKxN.mlir, an int8 intq.matmul (activations
asymmetric int8, weights per-output-channel symmetric int8, int32 bias,
int8 output; the quantized level, as --intq-ptq-pipeline leaves it), and
mm_f32_MxKxN.mlir, the same matmul in float TOSA. The entry points are
`void mm_i8_MxKxN(const int8_t *x, int8_t *y)` and
`void mm_f32_MxKxN(const float *x, float *y)`. Weights are pseudo-random
with a fixed seed, so every build measures the same kernels.
"""

import os
import random
import struct
import sys


def hexdata(fmt, values):
    return '"0x' + struct.pack("<%d%s" % (len(values), fmt), *values).hex().upper() + '"'


def main():
    out = sys.argv[1]
    dims = list(map(int, sys.argv[2:]))
    if not dims or len(dims) % 3:
        sys.exit("usage: gen_kernels.py OUTDIR M K N [M K N ...]")
    os.makedirs(out, exist_ok=True)
    for i in range(0, len(dims), 3):
        m, k, n = dims[i:i + 3]
        rng = random.Random(m * 1000003 + k * 1009 + n)
        tag = "%dx%dx%d" % (m, k, n)
        w = [rng.randint(-127, 127) for _ in range(n * k)]
        bias = [rng.randint(-20000, 20000) for _ in range(n)]
        s_in = 0.02
        s_w = [0.001 + 0.002 * rng.random() for _ in range(n)]
        s_out = 0.05 * (k ** 0.5) * 0.002 * 127 / 10
        qin = "!quant.uniform<i8:f32, %r:-3>" % s_in
        qw = "!quant.uniform<i8<-127:127>:f32:0, {%s}>" % ",".join(repr(s) for s in s_w)
        qb = "!quant.uniform<i32:f32:0, {%s}>" % ",".join(repr(s_in * s) for s in s_w)
        qout = "!quant.uniform<i8:f32, %r:5>" % s_out
        with open(os.path.join(out, "mm_i8_%s.mlir" % tag), "w") as f:
            f.write("func.func @mm_i8_%s(%%x: tensor<%dx%dx%s>) -> tensor<%dx%dx%s> {\n"
                    % (tag, m, k, qin, m, n, qout))
            f.write("  %%w = intq.qconst dense<%s> : tensor<%dx%dxi8> -> tensor<%dx%dx%s>\n"
                    % (hexdata("b", w), n, k, n, k, qw))
            f.write("  %%b = intq.qconst dense<%s> : tensor<%dxi32> -> tensor<%dx%s>\n"
                    % (hexdata("i", bias), n, n, qb))
            f.write("  %%y = intq.matmul %%x, %%w, %%b {clamp_min = 0.0 : f64} : "
                    "(tensor<%dx%dx%s>, tensor<%dx%dx%s>, tensor<%dx%s>) -> tensor<%dx%dx%s>\n"
                    % (m, k, qin, n, k, qw, n, qb, m, n, qout))
            f.write("  return %%y : tensor<%dx%dx%s>\n}\n" % (m, n, qout))
        wf = [rng.uniform(-1, 1) for _ in range(k * n)]
        with open(os.path.join(out, "mm_f32_%s.mlir" % tag), "w") as f:
            f.write("func.func @mm_f32_%s(%%x: tensor<%dx%dxf32>) -> tensor<%dx%dxf32> {\n"
                    % (tag, m, k, m, n))
            f.write('  %%w = "tosa.const"() {values = dense<%s> : tensor<1x%dx%dxf32>} : () -> tensor<1x%dx%dxf32>\n'
                    % (hexdata("f", wf), k, n, k, n))
            f.write('  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>\n')
            f.write("  %%s = tosa.const_shape {values = dense<[1, %d, %d]> : tensor<3xindex>} : () -> !tosa.shape<3>\n" % (m, k))
            f.write("  %%x3 = tosa.reshape %%x, %%s : (tensor<%dx%dxf32>, !tosa.shape<3>) -> tensor<1x%dx%dxf32>\n" % (m, k, m, k))
            f.write("  %%y3 = tosa.matmul %%x3, %%w, %%zp, %%zp : (tensor<1x%dx%dxf32>, tensor<1x%dx%dxf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x%dx%dxf32>\n"
                    % (m, k, k, n, m, n))
            f.write("  %%t = tosa.const_shape {values = dense<[%d, %d]> : tensor<2xindex>} : () -> !tosa.shape<2>\n" % (m, n))
            f.write("  %%y = tosa.reshape %%y3, %%t : (tensor<1x%dx%dxf32>, !tosa.shape<2>) -> tensor<%dx%dxf32>\n" % (m, n, m, n))
            f.write("  return %%y : tensor<%dx%dxf32>\n}\n" % (m, n))


if __name__ == "__main__":
    main()
