#!/usr/bin/python3
"""Writes the MLIR kernels the benchmarks compile with intq-compile, and the
C++ table that lists them.

    gen_kernels.py LAYERS.txt OUTDIR

For each line of LAYERS.txt (bench/layers.txt: matmul, conv, dwconv) three
kernels: NAME_i8.mlir at the quantized level (int8 activations with a zero
point, per-output-channel int8 weights, int32 bias, fused ReLU, int8
output: what --intq-ptq-pipeline leaves), NAME_i8s.mlir, the same with
single rounding (#intq.rounding<single>, what
--intq-ptq-pipeline="rounding=single" leaves), and NAME_f32.mlir, the same
layer in float TOSA (constant weights and bias). Entry points:
`void NAME_i8(const int8_t *in, int8_t *out)`, `NAME_i8s` alike and
`void NAME_f32(const float *in, float *out)`, NHWC. OUTDIR/kernels.h
declares them and defines `intqBenchKernels`. Weights are pseudo-random with
a fixed seed per layer, so every build measures the same kernels.
"""

import io
import os
import random
import struct
import sys


def hexdata(fmt, values):
    return '"0x' + struct.pack("<%d%s" % (len(values), fmt), *values).hex().upper() + '"'


def parse(path):
    layers = []
    for line in open(path):
        line = line.split("#")[0].split()
        if not line:
            continue
        name, kind, dims = line[0], line[1], list(map(int, line[2:]))
        if kind == "matmul" and len(dims) == 3:
            m, k, n = dims
            layers.append(dict(name=name, kind=kind, m=m, k=k, n=n, ops=2 * m * k * n))
        elif kind in ("conv", "dwconv") and len(dims) == (8 if kind == "conv" else 7):
            if kind == "conv":
                h, w, c, o, kh, kw, s, p = dims
            else:
                h, w, c, kh, kw, s, p = dims
                o = c
            # Bottom/right padding as PyTorch's output size implies (TOSA
            # wants the division exact): (h + 2p - kh) // s + 1 rows.
            pe = p - (h + 2 * p - kh) % s
            oh, ow = (h + p + pe - kh) // s + 1, (w + p + pe - kw) // s + 1
            per_out = kh * kw * (1 if kind == "dwconv" else c)
            layers.append(dict(name=name, kind=kind, h=h, w=w, c=c, o=o, kh=kh, kw=kw, s=s, p=p,
                               pe=pe, oh=oh, ow=ow, ops=2 * oh * ow * o * per_out))
        else:
            sys.exit("%s: bad line: %s" % (path, " ".join(line)))
    return layers


def quantized(L, rng):
    """The int8 kernel at the quantized level: draws its weights from rng
    and returns text(single, w7), the kernel's text with entry NAME_i8, or
    NAME_i8s with single rounding (the same weights), or NAME_i8w7 with the
    same weights in 7 bits ([-63, 63], what weight-bits=7 gives: the
    x86-avx2 kernels multiply them with vpmaddubsw)."""
    name = L["name"]
    if L["kind"] == "matmul":
        in_shape, out_shape = [L["m"], L["k"]], [L["m"], L["n"]]
        w_shape, n_out, red = [L["n"], L["k"]], L["n"], L["k"]
    else:
        in_shape = [1, L["h"], L["w"], L["c"]]
        out_shape = [1, L["oh"], L["ow"], L["o"]]
        cin = 1 if L["kind"] == "dwconv" else L["c"]
        w_shape, n_out, red = [L["o"], L["kh"], L["kw"], cin], L["o"], L["kh"] * L["kw"] * cin
    count = 1
    for d in w_shape:
        count *= d
    w = [rng.randint(-127, 127) for _ in range(count)]
    bias = [rng.randint(-20000, 20000) for _ in range(n_out)]
    s_in = 0.02
    s_w = [0.001 + 0.002 * rng.random() for _ in range(n_out)]
    s_out = 0.05 * (red ** 0.5) * 0.002 * 127 / 10
    qin = "!quant.uniform<i8:f32, %r:-3>" % s_in
    qw = "!quant.uniform<i8<-127:127>:f32:0, {%s}>" % ",".join(repr(s) for s in s_w)
    qb = "!quant.uniform<i32:f32:0, {%s}>" % ",".join(repr(s_in * s) for s in s_w)
    qout = "!quant.uniform<i8:f32, %r:5>" % s_out
    t = lambda shape, q: "tensor<%s%s>" % ("".join("%dx" % d for d in shape), q)

    w7 = [round(v * 63 / 127) for v in w]
    s_w7 = [s * 127 / 63 for s in s_w]
    qw7 = "!quant.uniform<i8<-63:63>:f32:0, {%s}>" % ",".join(repr(s) for s in s_w7)
    qb7 = "!quant.uniform<i32:f32:0, {%s}>" % ",".join(repr(s_in * s) for s in s_w7)

    def text(single, seven=False):
        rounding = "rounding = #intq.rounding<single>, " if single else ""
        entry = "i8w7" if seven else "i8s" if single else "i8"
        wq, bq = (qw7, qb7) if seven else (qw, qb)
        f = io.StringIO()
        f.write("func.func @%s_%s(%%x: %s) -> %s {\n" % (name, entry, t(in_shape, qin),
                                                          t(out_shape, qout)))
        f.write("  %%w = intq.qconst dense<%s> : %s -> %s\n" % (hexdata("b", w7 if seven else w),
                                                                 t(w_shape, "i8"), t(w_shape, wq)))
        f.write("  %%b = intq.qconst dense<%s> : %s -> %s\n" % (hexdata("i", bias), t([n_out], "i32"), t([n_out], bq)))
        types = "(%s, %s, %s) -> %s" % (t(in_shape, qin), t(w_shape, wq), t([n_out], bq), t(out_shape, qout))
        if L["kind"] == "matmul":
            f.write("  %%y = intq.matmul %%x, %%w, %%b {%sclamp_min = 0.0 : f64} : %s\n" % (rounding, types))
        else:
            groups = L["c"] if L["kind"] == "dwconv" else 1
            f.write("  %%y = intq.conv2d %%x, %%w, %%b {%sstride = array<i64: %d, %d>, pad = array<i64: %d, %d, %d, %d>, "
                    "dilation = array<i64: 1, 1>, groups = %d : i64, clamp_min = 0.0 : f64} : %s\n"
                    % (rounding, L["s"], L["s"], L["p"], L["pe"], L["p"], L["pe"], groups, types))
        f.write("  return %%y : %s\n}\n" % t(out_shape, qout))
        return f.getvalue()

    return text


def floating(f, L, rng):
    """The fp32 kernel in float TOSA."""
    name = L["name"]
    t = lambda shape: "tensor<%sxf32>" % "x".join(map(str, shape))
    zp = '  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>\n'
    const = lambda var, shape, n: '  %%%s = "tosa.const"() {values = dense<%s> : %s} : () -> %s\n' % (
        var, hexdata("f", [rng.uniform(-1, 1) for _ in range(n)]), t(shape), t(shape))
    if L["kind"] == "matmul":
        m, k, n = L["m"], L["k"], L["n"]
        f.write("func.func @%s_f32(%%x: %s) -> %s {\n" % (name, t([m, k]), t([m, n])))
        f.write(const("w", [1, k, n], k * n) + zp)
        f.write("  %%s = tosa.const_shape {values = dense<[1, %d, %d]> : tensor<3xindex>} : () -> !tosa.shape<3>\n" % (m, k))
        f.write("  %%x3 = tosa.reshape %%x, %%s : (%s, !tosa.shape<3>) -> %s\n" % (t([m, k]), t([1, m, k])))
        f.write("  %%y3 = tosa.matmul %%x3, %%w, %%zp, %%zp : (%s, %s, tensor<1xf32>, tensor<1xf32>) -> %s\n"
                % (t([1, m, k]), t([1, k, n]), t([1, m, n])))
        f.write("  %%t = tosa.const_shape {values = dense<[%d, %d]> : tensor<2xindex>} : () -> !tosa.shape<2>\n" % (m, n))
        f.write("  %%y = tosa.reshape %%y3, %%t : (%s, !tosa.shape<2>) -> %s\n" % (t([1, m, n]), t([m, n])))
        f.write("  return %%y : %s\n}\n" % t([m, n]))
        return
    ins, outs = [1, L["h"], L["w"], L["c"]], [1, L["oh"], L["ow"], L["o"]]
    attrs = "acc_type = f32, pad = array<i64: %d, %d, %d, %d>, stride = array<i64: %d, %d>, dilation = array<i64: 1, 1>" % (
        L["p"], L["pe"], L["p"], L["pe"], L["s"], L["s"])
    f.write("func.func @%s_f32(%%x: %s) -> %s {\n" % (name, t(ins), t(outs)))
    if L["kind"] == "conv":
        ws = [L["o"], L["kh"], L["kw"], L["c"]]
        op = "tosa.conv2d"
    else:
        ws = [L["kh"], L["kw"], L["c"], 1]
        op = "tosa.depthwise_conv2d"
    count = 1
    for d in ws:
        count *= d
    f.write(const("w", ws, count) + const("b", [L["o"]], L["o"]) + zp)
    f.write("  %%c = %s %%x, %%w, %%b, %%zp, %%zp {%s} : (%s, %s, %s, tensor<1xf32>, tensor<1xf32>) -> %s\n"
            % (op, attrs, t(ins), t(ws), t([L["o"]]), t(outs)))
    f.write("  %%y = tosa.clamp %%c {min_val = 0.0 : f32, max_val = 3.4028234663852886e+38 : f32} : (%s) -> %s\n"
            % (t(outs), t(outs)))
    f.write("  return %%y : %s\n}\n" % t(outs))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_kernels.py LAYERS.txt OUTDIR")
    layers, out = parse(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    header = ["// Generated by bench/gen_kernels.py from bench/layers.txt.",
              "#include <cstdint>", 'extern "C" {']
    table = ["struct IntqBenchKernel {",
             "  const char *name, *kind;",
             "  int64_t m, k, n;                          // matmul",
             "  int64_t h, w, c, o, kh, kw, stride, pad, padEnd; // conv, dwconv (NHWC)",
             "  int64_t inElems, outElems, ops;",
             "  void (*i8)(const int8_t *, int8_t *);",
             "  void (*f32)(const float *, float *);",
             "  void (*amx)(const int8_t *, int8_t *); // the x86-amx kernel, or null",
             "  void (*i8s)(const int8_t *, int8_t *); // i8 with single rounding",
             "  void (*amxs)(const int8_t *, int8_t *); // amx with single rounding",
             "  void (*i8w7)(const int8_t *, int8_t *); // i8 with 7-bit weights, or null",
             "};",
             "#ifdef INTQ_BENCH_AMX",
             "#define INTQ_AMX(name) amx_##name##_i8",
             "#define INTQ_AMXS(name) amx_##name##_i8s",
             "#else",
             "#define INTQ_AMX(name) nullptr",
             "#define INTQ_AMXS(name) nullptr",
             "#endif",
             "static const IntqBenchKernel intqBenchKernels[] = {"]
    for L in layers:
        rng = random.Random(sum(map(ord, L["name"])) * 7919)
        kernel = quantized(L, rng)
        with open(os.path.join(out, L["name"] + "_i8.mlir"), "w") as f:
            f.write(kernel(single=False))
        with open(os.path.join(out, L["name"] + "_i8s.mlir"), "w") as f:
            f.write(kernel(single=True))
        with open(os.path.join(out, L["name"] + "_f32.mlir"), "w") as f:
            floating(f, L, rng)
        header.append("void %s_i8(const int8_t *, int8_t *);" % L["name"])
        header.append("void %s_i8s(const int8_t *, int8_t *);" % L["name"])
        header.append("void %s_f32(const float *, float *);" % L["name"])
        if L["kind"] != "dwconv":
            # 7-bit weights (the depthwise kernels do not depend on them).
            with open(os.path.join(out, L["name"] + "_i8w7.mlir"), "w") as f:
                f.write(kernel(single=False, seven=True))
            header.append("void %s_i8w7(const int8_t *, int8_t *);" % L["name"])
            # The same int8 layer compiled with --kernels=x86-amx
            # --symbol-prefix=amx_ (the AMX benchmark binary only).
            header.append("#ifdef INTQ_BENCH_AMX")
            header.append("void amx_%s_i8(const int8_t *, int8_t *);" % L["name"])
            header.append("void amx_%s_i8s(const int8_t *, int8_t *);" % L["name"])
            header.append("#endif")
        if L["kind"] == "matmul":
            ins, outs = L["m"] * L["k"], L["m"] * L["n"]
            fields = (L["m"], L["k"], L["n"], 0, 0, 0, 0, 0, 0, 0, 0, 0)
        else:
            ins, outs = L["h"] * L["w"] * L["c"], L["oh"] * L["ow"] * L["o"]
            fields = (0, 0, 0, L["h"], L["w"], L["c"], L["o"], L["kh"], L["kw"], L["s"], L["p"], L["pe"])
        amx = "INTQ_AMX(%s)" % L["name"] if L["kind"] != "dwconv" else "nullptr"
        amxs = "INTQ_AMXS(%s)" % L["name"] if L["kind"] != "dwconv" else "nullptr"
        w7 = "%s_i8w7" % L["name"] if L["kind"] != "dwconv" else "nullptr"
        table.append('  {"%s", "%s", %s, %d, %d, %d, %s_i8, %s_f32, %s, %s_i8s, %s, %s},' % (
            L["name"], L["kind"], ", ".join(map(str, fields)), ins, outs, L["ops"], L["name"], L["name"],
            amx, L["name"], amxs, w7))
    header.append("}")
    with open(os.path.join(out, "kernels.h"), "w") as f:
        f.write("\n".join(header + table + ["};", ""]))


if __name__ == "__main__":
    main()
