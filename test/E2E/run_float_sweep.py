#!/usr/bin/python3
"""End-to-end sweep of the fp32 kernels (--intq-codegen's float conv2d and
matmul): random float TOSA layers compiled by intq-compile for x86-64 and
AArch64, run natively and under qemu-aarch64, and compared with a float64
NumPy reference (an independent direct convolution, not an im2col).

The fp32 kernels are the baseline int8 is measured against; they read a
convolution's padded input in place (implicit GEMM, one offset per element
of the reduction), so the shapes below vary what that addressing depends on:
C (1 to 19), kernel size, stride, dilation, asymmetric padding, batch, the
number of outputs (partial blocks of 16) and the fused clamp.

Run by lit (test/E2E/float-sweep.test). Prints one line per case and
target, then a summary; exits non-zero on any failure.
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np

# name: (n, h, w, c, o, kh, kw, stride, dilation, pad top/bottom/left/right,
# clamp) for conv2d; (m, k, n) for matmul. Bottom/right pads are adjusted so
# that TOSA's division by the stride is exact.
CONVS = [
    ("c3_stem_s2", (1, 17, 16, 3, 20, 3, 3, (2, 2), (1, 1), (1, 1, 1, 1), "relu")),
    ("c3_7x7_s2", (1, 19, 18, 3, 17, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3), None)),
    ("c1_3x3", (2, 8, 9, 1, 5, 3, 3, (1, 1), (1, 1), (0, 0, 0, 0), "relu6")),
    ("c4_dil2", (1, 11, 10, 4, 33, 3, 3, (1, 1), (2, 2), (2, 2, 2, 2), None)),
    ("c5_asym", (1, 9, 13, 5, 16, 3, 2, (2, 1), (1, 2), (1, 0, 2, 1), "relu")),
    ("c16_3x3", (1, 7, 9, 16, 40, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), None)),
    ("c19_1x3_s1x2", (2, 5, 12, 19, 9, 1, 3, (1, 2), (1, 1), (0, 0, 1, 1), None)),
    ("c8_1x1_s2", (1, 9, 9, 8, 24, 1, 1, (2, 2), (1, 1), (0, 0, 0, 0), "relu")),
    ("c6_1x1_pad", (1, 5, 6, 6, 7, 1, 1, (1, 1), (1, 1), (1, 0, 0, 1), None)),
    ("c2_5x5_big_pad", (1, 4, 5, 2, 3, 5, 5, (1, 1), (1, 1), (3, 2, 4, 1), None)),
    # 6-row register blocks (x86 AVX-512: a kernel window, C >= 16, K >= 128,
    # 64 outputs, M >= 96): 98 pixels 7 to a row, the last block padded.
    ("c16_3x3_rows6", (1, 14, 7, 16, 64, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), "relu")),
    # 80 outputs: 5 blocks of 16 in panels of 3 (blocksPerPanel: one padded
    # block instead of 3 in panels of 4).
    ("c8_3x3_o80", (1, 6, 5, 8, 80, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1), "relu6")),
]
MATMULS = [
    ("mm_7x37x20", (7, 37, 20)),
    ("mm_1x64x10", (1, 64, 10)),
    # 144 outputs: 3 panels of 3 blocks, written in place (no padded copy).
    ("mm_9x24x144", (9, 24, 144)),
]


def conv_case(rng, n, h, w, c, o, kh, kw, s, d, p, clamp):
    pt, pb, pl, pr = p
    # Pad bottom/right up so that the output size divides exactly.
    pb += (-(h - 1 + pt + pb - (kh - 1) * d[0])) % s[0]
    pr += (-(w - 1 + pl + pr - (kw - 1) * d[1])) % s[1]
    oh = (h - 1 + pt + pb - (kh - 1) * d[0]) // s[0] + 1
    ow = (w - 1 + pl + pr - (kw - 1) * d[1]) // s[1] + 1
    x = rng.uniform(-1, 1, (n, h, w, c)).astype(np.float32)
    wt = rng.uniform(-1, 1, (o, kh, kw, c)).astype(np.float32)
    b = rng.uniform(-1, 1, (o,)).astype(np.float32)
    xp = np.zeros((n, h + pt + pb, w + pl + pr, c))
    xp[:, pt:pt + h, pl:pl + w] = x
    y = np.zeros((n, oh, ow, o))
    mag = np.zeros((n, oh, ow, o))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i * d[0]:i * d[0] + (oh - 1) * s[0] + 1:s[0],
                       j * d[1]:j * d[1] + (ow - 1) * s[1] + 1:s[1], :]
            y += np.einsum("nhwc,oc->nhwo", patch, wt[:, i, j, :].astype(np.float64))
            mag += np.einsum("nhwc,oc->nhwo", np.abs(patch), np.abs(wt[:, i, j, :]))
    y += b
    if clamp == "relu":
        y = np.maximum(y, 0)
    elif clamp == "relu6":
        y = np.clip(y, 0, 6)
    xs, ys = "%dx%dx%dx%dxf32" % x.shape, "%dx%dx%dx%dxf32" % y.shape
    ws = "%dx%dx%dx%dxf32" % wt.shape
    body = ('  %%w = "tosa.const"() {values = %s : tensor<%s>} : () -> tensor<%s>\n'
            '  %%b = "tosa.const"() {values = %s : tensor<%dxf32>} : () -> tensor<%dxf32>\n'
            '  %%zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>\n'
            '  %%y = tosa.conv2d %%x, %%w, %%b, %%zp, %%zp {acc_type = f32, '
            'pad = array<i64: %d, %d, %d, %d>, stride = array<i64: %d, %d>, '
            'dilation = array<i64: %d, %d>} : (tensor<%s>, tensor<%s>, tensor<%dxf32>, '
            'tensor<1xf32>, tensor<1xf32>) -> tensor<%s>\n'
            % (dense(wt), ws, ws, dense(b), o, o, pt, pb, pl, pr, s[0], s[1], d[0], d[1],
               xs, ws, o, ys))
    res = "%y"
    if clamp:
        body += ('  %%r = tosa.clamp %%y {min_val = 0.0 : f32, max_val = %s : f32} '
                 ': (tensor<%s>) -> tensor<%s>\n' % ("6.0" if clamp == "relu6" else "3.0e38", ys, ys))
        res = "%r"
    mlir = ("func.func @kernel(%%x: tensor<%s>) -> tensor<%s> {\n%s  return %s : tensor<%s>\n}\n"
            % (xs, ys, body, res, ys))
    return mlir, x, y, mag


def matmul_case(rng, m, k, n):
    x = rng.uniform(-1, 1, (1, m, k)).astype(np.float32)
    wt = rng.uniform(-1, 1, (1, k, n)).astype(np.float32)
    y = x[0].astype(np.float64) @ wt[0].astype(np.float64)
    mag = np.abs(x[0]).astype(np.float64) @ np.abs(wt[0]).astype(np.float64)
    mlir = ('func.func @kernel(%%x: tensor<1x%dx%dxf32>) -> tensor<1x%dx%dxf32> {\n'
            '  %%w = "tosa.const"() {values = %s : tensor<1x%dx%dxf32>} : () -> tensor<1x%dx%dxf32>\n'
            '  %%zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>\n'
            '  %%y = tosa.matmul %%x, %%w, %%zp, %%zp : (tensor<1x%dx%dxf32>, tensor<1x%dx%dxf32>, '
            'tensor<1xf32>, tensor<1xf32>) -> tensor<1x%dx%dxf32>\n'
            '  return %%y : tensor<1x%dx%dxf32>\n}\n'
            % (m, k, m, n, dense(wt), k, n, k, n, m, k, k, n, m, n, m, n))
    return mlir, x, y[None], mag[None]


def dense(a):
    return 'dense<"0x%s">' % a.astype("<f4").tobytes().hex().upper()


def run(cmd):
    return subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--runner", required=True)
    ap.add_argument("--cc-x86", required=True)
    ap.add_argument("--cc-a64")
    ap.add_argument("--run-a64")
    ap.add_argument("--no-aarch64", action="store_true")
    ap.add_argument("--cases", default="", help="run only the cases matching this regular expression")
    args = ap.parse_args()
    if not args.no_aarch64 and not (args.cc_a64 and args.run_a64):
        print("error: the AArch64 toolchain or qemu is missing; pass --no-aarch64 to run x86-64 only")
        return 1
    os.makedirs(args.out, exist_ok=True)
    # The fp32 kernels of each target: generic (no --cpu), AVX2 (x86-64-v3),
    # AVX-512 (sapphirerapids, where the host has it), AArch64 NEON.
    flags = open("/proc/cpuinfo").read()
    targets = [("x86_64", "--target=x86_64", args.cc_x86, "")]
    if re.search(r"\bavx2\b", flags):
        targets.append(("x86_64-avx2", "--target=x86_64 --cpu=x86-64-v3", args.cc_x86, ""))
    if "avx512f" in flags and "avx512bw" in flags:
        targets.append(("x86_64-avx512", "--target=x86_64 --cpu=sapphirerapids", args.cc_x86, ""))
    if not args.no_aarch64:
        targets.append(("aarch64", "--target=aarch64 --cpu=neoverse-n1", args.cc_a64, args.run_a64))

    cases = [(name, "conv", dims) for name, dims in CONVS] + \
            [(name, "matmul", dims) for name, dims in MATMULS]
    cases = [c for c in cases if re.search(args.cases, c[0])]
    passed = {t[0]: 0 for t in targets}
    failures = []
    for i, (name, kind, dims) in enumerate(cases):
        rng = np.random.default_rng(1000 + i)
        mlir, x, y, mag = conv_case(rng, *dims) if kind == "conv" else matmul_case(rng, *dims)
        prefix = os.path.join(args.out, name)
        open(prefix + ".mlir", "w").write(mlir)
        x.tofile(prefix + ".in.bin")
        # fp32 sums in another order than the reference: each output within
        # a few ulps of the sum of the magnitudes of its products.
        tol = 1e-6 * (mag + 1.0) * (1 + np.sqrt(mag.size / y.size))
        for target, tflags, cc, runner in targets:
            obj, exe, res = ("%s.%s.%s" % (prefix, target, e) for e in ("o", "exe", "out"))
            steps = ["intq-compile %s.mlir %s -o %s" % (prefix, tflags, obj),
                     "%s %s %s -o %s" % (cc, args.runner, obj, exe),
                     "%s %s %s.in.bin %s %d" % (runner, exe, prefix, res, 4 * y.size)]
            err = None
            for step in steps:
                r = run(step)
                if r.returncode:
                    err = "%s\n%s" % (step, r.stdout)
                    break
            if err is None:
                got = np.fromfile(res, dtype="<f4").reshape(y.shape).astype(np.float64)
                bad = np.abs(got - y) > tol
                if bad.any():
                    idx = tuple(np.argwhere(bad)[0])
                    err = "%d of %d outputs off; first at %s: %r, expected %r" % (
                        bad.sum(), y.size, idx, got[idx], y[idx])
            if err:
                failures.append("%s [%s]: %s" % (name, target, err))
                print("FAIL %-16s %s" % (name, target))
            else:
                passed[target] += 1
                print("PASS %-16s %-14s %d outputs, max error %.2e" % (
                    name, target, y.size, np.abs(got - y).max()))
    for f in failures:
        print("FAILURE " + f)
    print("cases: %d, %s" % (len(cases), ", ".join("%s: %d within tolerance" % (t, n)
                                                   for t, n in passed.items())))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
