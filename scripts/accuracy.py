#!/usr/bin/python3
"""Accuracy of intq's post-training quantization on the reference models.

    /usr/bin/python3 scripts/accuracy.py --write docs/accuracy.md   (full, ~5 min)
    /usr/bin/python3 scripts/accuracy.py --quick                     (the test's short form)

For every model in models/: import, fold batch normalization, evaluate float;
calibrate on the first training images with each method (max, percentile
99.99 and 99.9, MSE, entropy) and evaluate int8 (per-channel weights);
with the best method's ranges, int16 activations (int8 weights), 4-bit
weights, ternary weights in clusters of 4 filters, and ternary with the
first and last layer kept at 8 bits; the per-layer SQNR report's worst
layer; PyTorch's own PTQ (models/torch_ptq.py) in the full form. Test
images: all 10 000 (full) or the first 500 (quick). The check (skip with
--no-check) fails unless int8 with the best method and int16 activations
are within 0.5 points of float, 4-bit within 2 (3 in the quick form, whose
500 test images move in steps of 0.2 points), and (full form) int8 at or
above PyTorch, on every model.
"""

import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mdsection import write_section  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = "/usr/share/datasets/fashion-mnist"
MODELS = ["cnn", "mobilenet", "mlp"]
METHODS = [("max", []), ("percentile 99.99", ["--method=percentile", "--percentile=99.99"]),
           ("percentile 99.9", ["--method=percentile", "--percentile=99.9"]),
           ("MSE", ["--method=mse"]), ("entropy", ["--method=entropy"])]


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode != 0:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r.stdout


def accuracy(out):
    m = re.search(r"top-1 accuracy ([0-9.]+)%", out)
    if not m:
        sys.exit("no accuracy in:\n" + out)
    return float(m.group(1))


def layer_names(mlir_path):
    """Names (ONNX nodes) of the conv / matmul layers, in program order."""
    text = open(mlir_path).read()
    aliases = dict(re.findall(r'^(#loc\d+) = loc\("([^"]+)"', text, re.M))
    names = []
    for m in re.finditer(r"tosa\.(conv2d|depthwise_conv2d|matmul) .*loc\((#loc\d+)\)", text):
        if m.group(2) in aliases:
            names.append(aliases[m.group(2)])
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--write", help="write the table into this markdown file")
    ap.add_argument("--no-check", action="store_true")
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()
    bin_ = os.path.join(args.build, "bin")
    work = args.workdir or os.path.join(args.build, "accuracy")
    os.makedirs(work, exist_ok=True)
    limit = ["--limit=500"] if args.quick else []
    calib = 200 if args.quick else 500
    methods = [METHODS[0], METHODS[3]] if args.quick else METHODS
    rows, notes, failures = [], [], []
    torch = {}
    if not args.quick:
        out = run(["/usr/bin/python3", os.path.join(ROOT, "models", "torch_ptq.py")])
        for name, acc in re.findall(r"^(\w+): torch float [0-9.]+ %, torch int8 [^%]*?([0-9.]+) %$", out, re.M):
            torch[name] = float(acc)
    for name in MODELS:
        f = os.path.join(work, name + ".f.mlir")
        imported = run([os.path.join(bin_, "intq-import-onnx"),
                        os.path.join(ROOT, "models", name + ".onnx"),
                        "--input-shape", "input=100x1x28x28"])
        run([os.path.join(bin_, "intq-opt"), "-", "--intq-fold-batchnorm",
             "--mlir-print-debuginfo", "-o", f], input=imported)
        evaluate = lambda model, *opts: accuracy(run(
            [os.path.join(bin_, "intq-run"), model, "--fashion-mnist=" + DATA] + limit + list(opts)))
        row = {"model": name, "float": evaluate(f)}
        cal = {}
        for label, opts in methods:
            c = os.path.join(work, "%s.%s.mlir" % (name, label.replace(" ", "")))
            run([os.path.join(bin_, "intq-calibrate"), f, "--fashion-mnist=" + DATA,
                 "--images=%d" % calib, "-o", c] + opts)
            cal[label] = c
            row[label] = evaluate(c, "--ptq")
        best = max((label for label, _ in methods), key=lambda l: row[l])
        row["best"] = best
        layers = layer_names(f)
        row["int16 act."] = evaluate(cal[best], "--ptq", "--ptq-options=activation-type=int16")
        row["4-bit"] = evaluate(cal[best], "--ptq", "--ptq-options=weight-bits=4")
        row["ternary N=4"] = evaluate(cal[best], "--ptq", "--ptq-options=weight-bits=2 weight-cluster=4")
        keep8 = "layer-weight-bits=%s=8,%s=8" % (layers[0], layers[-1])
        row["ternary N=4, first/last 8-bit"] = evaluate(
            cal[best], "--ptq", "--ptq-options=weight-bits=2 weight-cluster=4 " + keep8)
        report = run([os.path.join(bin_, "intq-run"), cal[best], "--report",
                      "--fashion-mnist=" + DATA, "--limit=500"])
        m = re.search(r"loses most: (\S+) \(own SQNR ([0-9.]+) dB\)", report)
        row["worst layer"] = "%s (%s dB)" % (m.group(1), m.group(2)) if m else "-"
        if not args.quick:
            t0 = time.time()
            run([os.path.join(bin_, "intq-calibrate"), f, "--fashion-mnist=" + DATA,
                 "--images=1000", "--method=mse", "-o", os.devnull])
            row["calibration 1000 images (MSE)"] = "%.1f s" % (time.time() - t0)
            row["PyTorch PTQ"] = torch.get(name)
        rows.append(row)
        # The short form sees 500 test images (one image = 0.2 points) and
        # 200 calibration images: its 4-bit bound is looser.
        bound4 = 3.0 if args.quick else 2.0
        if row[best] < row["float"] - 0.5:
            failures.append("%s: int8 %.2f is more than 0.5 below float %.2f" % (name, row[best], row["float"]))
        if row["int16 act."] < row["float"] - 0.5:
            failures.append("%s: int16 activations %.2f are more than 0.5 below float %.2f"
                            % (name, row["int16 act."], row["float"]))
        if row["4-bit"] < row["float"] - bound4:
            failures.append("%s: 4-bit %.2f is more than %g below float %.2f"
                            % (name, row["4-bit"], bound4, row["float"]))
        if name in torch and row[best] < torch[name]:
            failures.append("%s: int8 %.2f is below PyTorch's %.2f" % (name, row[best], torch[name]))
        print("%s: %s" % (name, ", ".join("%s %s" % kv for kv in row.items() if kv[0] != "model")), flush=True)

    cols = ["float"] + [l for l, _ in methods] + ["int16 act.", "4-bit", "ternary N=4", "ternary N=4, first/last 8-bit"]
    if not args.quick:
        cols += ["PyTorch PTQ"]
    lines = ["| model | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            s = "-" if v is None else "%.2f" % v
            if c == r["best"]:
                s = "**%s**" % s
            cells.append(s)
        lines.append("| %s | %s |" % (r["model"], " | ".join(cells)))
    lines += ["", "| model | best int8 method | layer that loses most (own SQNR, int8) |"
              + ("" if args.quick else " calibration of 1 000 images (MSE) |"),
              "|---|---|---|" + ("" if args.quick else "---|")]
    for r in rows:
        lines.append("| %s | %s | %s |%s" % (r["model"], r["best"], r["worst layer"],
                                             "" if args.quick else " %s |" % r["calibration 1000 images (MSE)"]))
    table = "\n".join(lines)
    print(table)
    if args.write:
        write_section(args.write, "accuracy.py", table)
    if failures and not args.no_check:
        sys.exit("accuracy check failed:\n  " + "\n  ".join(failures))
    print("accuracy check: %s" % ("passed" if not failures else "skipped"))


if __name__ == "__main__":
    main()
