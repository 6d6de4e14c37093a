#!/usr/bin/python3
"""Whole-model latency of the reference models at batch 1, one thread:
intq int8 and fp32 against ONNX Runtime and PyTorch.

    /usr/bin/python3 scripts/latency.py --write docs/benchmarks.md   (about 3 min)

intq: each model is imported at batch 1, batch-norm folded, calibrated
(MSE, 500 training images) and compiled by `intq-compile --cpu=native`
(int8 with --ptq; fp32 from the folded float model), linked with
bench/latency/latency_main.c and timed (200 warm-up runs, then 3 000; the
median; three such runs interleaved over the model's variants and peers,
the best of the three medians). ONNX Runtime: npm `onnxruntime-node` (installed under
build/ort with ONNXRUNTIME_NODE_INSTALL=skip when missing), one intra-op
thread, all graph optimizations, float models and the QDQ export that
exists (models/cnn.qdq.onnx, PyTorch's own int8 export); timed the same way
from node (its call overhead included). PyTorch: eager float and FX PTQ
int8 (engine onednn), torch.set_num_threads(1). All inputs are one
Fashion-MNIST-sized image, float in, logits out.

On an x86 CPU without AVX512-VNNI (the x86-avx2 kernels) the table goes to
the section "latency.py avx2" instead, with one more column: int8 with
weight-bits=7 (every layer on the vpmaddubsw kernels).
"""

import argparse
import os
import platform
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mdsection import write_section  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODELS = ["cnn", "mobilenet", "mlp"]
DATA = "/usr/share/datasets/fashion-mnist"


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r.stdout


def median(out):
    return float(re.search(r"median ([0-9.]+) us", out).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--write", help="write the table into this markdown file")
    ap.add_argument("--runs", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3,
                    help="time each model this many times, interleaved; the best median")
    args = ap.parse_args()
    bindir = os.path.join(args.build, "bin")
    work = os.path.join(args.build, "latency")
    os.makedirs(work, exist_ok=True)
    cc = "/usr/lib/llvm-22/bin/clang"
    harness = os.path.join(ROOT, "bench", "latency", "latency_main.c")

    ort_dir = os.path.join(args.build, "ort")
    ort_mod = os.path.join(ort_dir, "node_modules")
    if not os.path.isdir(os.path.join(ort_mod, "onnxruntime-node")):
        os.makedirs(ort_dir, exist_ok=True)
        run(["npm", "install", "--prefix", ort_dir, "--no-audit", "--no-fund", "onnxruntime-node@1"],
            env=dict(os.environ, ONNXRUNTIME_NODE_INSTALL="skip"))
    ort_js = os.path.join(ROOT, "bench", "latency", "ort_latency.js")

    cpuinfo = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
    avx2 = platform.machine() == "x86_64" and "avx512_vnni" not in cpuinfo
    variants = [("intq int8", "cal", ["--ptq"]), ("intq fp32", "f", [])]
    if avx2:
        variants.insert(1, ("intq int8, 7-bit weights", "cal",
                            ["--ptq", "--ptq-options=weight-bits=7"]))

    results = {}
    for name in MODELS:
        f = os.path.join(work, name + ".f.mlir")
        imported = run([os.path.join(bindir, "intq-import-onnx"),
                        os.path.join(ROOT, "models", name + ".onnx"), "--input-shape", "input=1x1x28x28"])
        run([os.path.join(bindir, "intq-opt"), "-", "--intq-fold-batchnorm", "--mlir-print-debuginfo",
             "-o", f], input=imported)
        cal = os.path.join(work, name + ".cal.mlir")
        run([os.path.join(bindir, "intq-calibrate"), f, "--fashion-mnist=" + DATA, "--images=500",
             "--method=mse", "-o", cal])
        row, cmds = {}, {}
        for kind, src, extra in variants:
            src = cal if src == "cal" else f
            obj = os.path.join(work, "%s.%s.o" % (
                name, kind.split()[1].rstrip(",") + ("w7" if "7-bit" in kind else "")))
            exe = obj[:-2] + ".exe"
            run([os.path.join(bindir, "intq-compile"), src, "--cpu=native", "--symbol-prefix=model_",
                 "-o", obj] + extra)
            run([cc, "-O2", harness, obj, "-o", exe])
            cmds[kind] = [exe, "784", "10", str(args.runs)]
        cmds["ORT fp32"] = ["node", ort_js, ort_mod, os.path.join(ROOT, "models", name + ".onnx"),
                            str(args.runs)]
        qdq = os.path.join(ROOT, "models", name + ".qdq.onnx")
        if os.path.exists(qdq):
            cmds["ORT int8"] = ["node", ort_js, ort_mod, qdq, str(args.runs)]
        # Rounds over all of them, the best median of each: load from
        # elsewhere on a shared host comes in bursts longer than one run.
        for _ in range(args.rounds):
            for kind, cmd in cmds.items():
                m = median(run(cmd))
                row[kind] = min(row.get(kind, m), m)
        results[name] = row
        print(name, row, flush=True)

    # PyTorch, if this machine has it (python3-torch).
    torch_script = r'''
import sys, time, numpy as np
sys.path.insert(0, %r)
import torch, torch_ptq, train
torch.set_num_threads(1)
torch.backends.quantized.engine = "onednn"
xtr = torch.from_numpy(train.load_idx("train-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
x = xtr[:1]
def lat(f):
    with torch.no_grad():
        for _ in range(200): f(x)
        t = []
        for _ in range(%d):
            a = time.perf_counter(); f(x); t.append((time.perf_counter() - a) * 1e6)
    t.sort(); return t[len(t)//2]
for name in %r:
    m = train.load_exported(name).eval()
    q = torch_ptq.quantize(m, xtr, (x,))
    print("%%s %%.2f %%.2f" %% (name, lat(m), lat(q)), flush=True)
''' % (os.path.join(ROOT, "models"), args.runs // 3, MODELS)
    r = subprocess.run(["/usr/bin/python3", "-c", torch_script], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, cwd=os.path.join(ROOT, "models"))
    if r.returncode == 0:
        for line in r.stdout.split("\n"):
            f = line.split()
            if len(f) == 3 and f[0] in results:
                results[f[0]]["PyTorch fp32"] = float(f[1])
                results[f[0]]["PyTorch int8"] = float(f[2])
    else:
        print("PyTorch skipped: %s" % r.stderr.strip().splitlines()[-1:])

    cols = [v[0] for v in variants] + ["ORT int8", "ORT fp32", "PyTorch int8", "PyTorch fp32"]
    lines = ["| model | " + " | ".join(cols) + " | intq int8 vs the fastest ORT |",
             "|---" * (len(cols) + 2) + "|"]
    for name in MODELS:
        row = results[name]
        ort = [row[c] for c in ("ORT int8", "ORT fp32") if c in row]
        vs = "%.1fx faster" % (min(ort) / row["intq int8"]) if ort else "-"
        lines.append("| %s | %s | %s |" % (name, " | ".join(
            "%.1f" % row[c] if c in row else "-" for c in cols), vs))
    table = "\n".join(lines + ["", "Median microseconds per image, batch 1, one thread; "
                               "ORT int8 only where a QDQ export exists (cnn)."])
    print(table)
    if args.write:
        write_section(args.write, "latency.py avx2" if avx2 else "latency.py", table)


if __name__ == "__main__":
    main()
