#!/usr/bin/python3
"""Runs intq's benchmarks and writes docs/benchmarks.md (and its chart).

    /usr/bin/python3 scripts/bench.py --write docs/benchmarks.md   (about 2 min)
    /usr/bin/python3 scripts/bench.py --quick                       (a smoke run)

Builds nothing: run `ninja -C build intq-bench` first (./intq build does).
Runs build/bench/intq-bench-kernels (the layers of bench/layers.txt; oneDNN
capped at its AVX512-VNNI path; on a CPU without AVX512-VNNI intq's
x86-avx2 kernels and oneDNN's AVX2 path, written to the AVX2 section) and, on CPUs with AMX-INT8,
build/bench/intq-bench-kernels-amx (intq's x86-amx kernels and oneDNN's AMX
path, the tdpbssd peak) with
one thread (OMP_NUM_THREADS=1 for
oneDNN's OpenMP), six repetitions of each benchmark interleaved in random
order with all others', and reports the median of each
benchmark: GOP/s, the ratios intq int8 / oneDNN int8 (intq with the
default double rounding and with single rounding, #intq.rounding<single>),
intq int8 / intq fp32 and the fraction of the measured peak (the peak/ benchmarks: independent
vpdpbusd zmm and vfmadd231ps zmm chains). All numbers of one table come
from one run: compare within it, not across runs (±15 % here).
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mdsection import write_section  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_bench(binary, quick):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    args = [binary, "--benchmark_format=json"]
    if quick:
        args += ["--benchmark_min_time=0.05", "--benchmark_filter=mm_256|r18_3x3_7_512|mbv2_dw_56|pw_56_64|peak"]
    else:
        # Repetitions in random order across all benchmarks: the host's
        # drift (+-15 % here over minutes) then falls on intq and oneDNN
        # alike instead of on whichever ran during a slow spell.
        args += ["--benchmark_min_time=0.3", "--benchmark_repetitions=6",
                 "--benchmark_enable_random_interleaving=true",
                 "--benchmark_report_aggregates_only=true"]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if r.returncode:
        sys.exit("benchmark failed:\n" + r.stderr)
    data = json.loads(r.stdout)
    results = {}
    for b in data["benchmarks"]:
        name = b["name"]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") != "median":
                continue
            name = name[: -len("_median")]
        results[name] = {"gops": b["GOP/s"] / 1e9, "label": b.get("label", "")}
    return data["context"], results


def cpu_model():
    """The CPU as /proc/cpuinfo names it, with its AMX support."""
    try:
        info = open("/proc/cpuinfo").read()
    except OSError:
        return "unknown CPU"
    m = re.search(r"^model name\s*:\s*(.+)$", info, re.M)
    fam = re.search(r"^cpu family\s*:\s*(\d+)$", info, re.M)
    name = m.group(1).strip() if m else "unknown CPU"
    if fam:
        name += ", family %s" % fam.group(1)
    return name + (", AMX-INT8" if "amx_int8" in info else ", no AMX")


def shape_of(kind, dims):
    if kind == "matmul":
        return "%s x %s x %s" % tuple(dims)
    if kind == "conv":
        return "%sx%s %sx%sx%s->%s s%s" % (dims[4], dims[5], dims[0], dims[1], dims[2], dims[3], dims[6])
    return "dw %sx%s %sx%sx%s s%s" % (dims[3], dims[4], dims[0], dims[1], dims[2], dims[5])


def ratio(a, b):
    return "%.2fx" % (a / b) if a and b else "-"


def fmt(v):
    return "%.0f" % v if v else "-"


def layers_of(res):
    """The layers of bench/layers.txt that `res` has results for, in order."""
    layers = []
    for line in open(os.path.join(ROOT, "bench", "layers.txt")):
        f = line.split("#")[0].split()
        if f and any(k.endswith("/" + f[1] + "/" + f[0]) for k in res):
            layers.append((f[0], f[1], f[2:]))
    return layers


def amx_table(binary, quick):
    """intq's x86-amx kernels next to oneDNN's AMX path (one run of
    intq-bench-kernels-amx), or None on a CPU without AMX."""
    if "amx_int8" not in open("/proc/cpuinfo").read():
        return None
    if not os.path.exists(binary):
        sys.exit("%s is missing: run `ninja -C build intq-bench` first" % binary)
    context, res = run_bench(binary, quick)
    peak = res.get("peak/amx/tdpbssd", {}).get("gops")
    lines = ["| layer | shape | intq AMX | oneDNN AMX | intq / oneDNN | "
             "intq AMX, single rounding | single / oneDNN | "
             "intq, % of AMX peak | oneDNN, % of AMX peak | oneDNN kernel |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, kind, dims in layers_of(res):
        g = lambda k: res.get("%s/%s/%s" % (k, kind, name), {}).get("gops")
        i8, i8s, d8 = g("int8/intq-amx"), g("int8/intq-amx-single"), g("int8/onednn")
        pct = lambda v: "%.0f %%" % (100 * v / peak) if v and peak else "-"
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, shape_of(kind, dims), fmt(i8), fmt(d8), ratio(i8, d8), fmt(i8s),
            ratio(i8s, d8), pct(i8), pct(d8),
            res.get("int8/onednn/%s/%s" % (kind, name), {}).get("label", "-")))
    lines += ["", "Measured peak, one core: `tdpbssd` (4 independent tile chains) %s GOP/s." % (
                  "%.0f" % peak if peak else "-"),
              "", "Run on %s (%s), %s." % (context.get("host_name", "?"), cpu_model(),
                                           context.get("date", "?"))]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--write", help="write the tables into this markdown file")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    binary = os.path.join(args.build, "bench", "intq-bench-kernels")
    if not os.path.exists(binary):
        sys.exit("%s is missing: run `ninja -C %s intq-bench` first" % (binary, args.build))
    context, res = run_bench(binary, args.quick)
    # Without AVX512-VNNI the kernels are intq's x86-avx2 ones and oneDNN
    # runs its AVX2 path: their table goes to a section of its own, next
    # to the ymm peaks (vpmaddwd + vpaddd, vfmadd231ps ymm).
    avx2 = "avx512_vnni" not in open("/proc/cpuinfo").read()
    if avx2:
        peak8 = res.get("peak/int8/vpmaddwd-ymm", {}).get("gops")
        peak32 = res.get("peak/fp32/vfmadd231ps-ymm", {}).get("gops")
        peakW7 = res.get("peak/int8/vpmaddubsw-ymm", {}).get("gops")
        peaks = "int8 `vpmaddwd ymm` + `vpaddd`", "fp32 `vfmadd231ps ymm`"
    else:
        peak8 = res.get("peak/int8/vpdpbusd", {}).get("gops")
        peak32 = res.get("peak/fp32/vfmadd231ps", {}).get("gops")
        peaks = "int8 `vpdpbusd zmm`", "fp32 `vfmadd231ps zmm`"
        peakW7 = None

    layers = layers_of(res)
    # AVX2: also the layers with 7-bit weights (weight-bits=7), which the
    # x86-avx2 kernels multiply with vpmaddubsw (the VNNI kernels do not
    # depend on the weight range).
    lines = ["| layer | shape | intq int8 | oneDNN int8 | intq / oneDNN | "
             "intq int8, single rounding | single / oneDNN | "
             "intq fp32 | oneDNN fp32 | intq int8 / intq fp32 | intq int8, % of peak | "
             "oneDNN int8 kernel |" +
             (" intq int8, 7-bit weights | 7-bit / oneDNN | 7-bit / intq fp32 | 7-bit, % of its peak |"
              if avx2 else ""),
             "|---|---|---|---|---|---|---|---|---|---|---|---|" + ("---|---|---|---|" if avx2 else "")]
    chart = []
    for name, kind, dims in layers:
        g = lambda k: res.get("%s/%s/%s" % (k, kind, name), {}).get("gops")
        i8, d8, f32, d32 = g("int8/intq"), g("int8/onednn"), g("fp32/intq"), g("fp32/onednn")
        i8s = g("int8/intq-single")
        pct = "%.0f %%" % (100 * i8 / peak8) if i8 and peak8 else "-"
        shape = shape_of(kind, dims)
        row = "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, shape, fmt(i8), fmt(d8), ratio(i8, d8), fmt(i8s), ratio(i8s, d8),
            fmt(f32), fmt(d32), ratio(i8, f32), pct,
            res.get("int8/onednn/%s/%s" % (kind, name), {}).get("label", "-"))
        if avx2:
            w7 = g("int8/intq-w7")
            pct7 = "%.0f %%" % (100 * w7 / peakW7) if w7 and peakW7 else "-"
            row += " %s | %s | %s | %s |" % (fmt(w7), ratio(w7, d8), ratio(w7, f32), pct7)
        lines.append(row)
        chart.append((name, i8, d8, f32, d32))
    lines += ["", "Measured peak, one core: %s %s GOP/s, %s "
              "%s GOP/s (2 operations per multiply-accumulate)." % (
                  peaks[0], "%.0f" % peak8 if peak8 else "-", peaks[1],
                  "%.0f" % peak32 if peak32 else "-") +
              (" With 7-bit weights: `vpmaddubsw ymm` + `vpmaddwd` + `vpaddd` %s GOP/s." % (
                  "%.0f" % peakW7 if peakW7 else "-") if avx2 else ""),
              "", "Run on %s (%s), %s CPUs reported, %s." % (
                  context.get("host_name", "?"), cpu_model(), context.get("num_cpus", "?"),
                  context.get("date", "?"))]
    table = "\n".join(lines)
    print(table)
    amx = amx_table(os.path.join(args.build, "bench", "intq-bench-kernels-amx"), args.quick)
    print()
    # Without AMX the section keeps the table of the last AMX host (its own
    # "Run on" line dates it).
    print(amx or "No AMX on this CPU: the x86-amx kernels were not measured "
          "(the AMX section is left as it is).")
    if args.write and avx2:
        write_section(args.write, "bench.py avx2", table)
        print("wrote the AVX2 section of %s (no chart)" % args.write)
    elif args.write:
        write_section(args.write, "bench.py", table)
        if amx:
            write_section(args.write, "bench.py amx", amx)
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            sys.exit("python3-matplotlib is needed for the chart")
        fig, ax = plt.subplots(figsize=(12, 4.5))
        width = 0.2
        labels = ["intq int8", "oneDNN int8", "intq fp32", "oneDNN fp32"]
        for i, label in enumerate(labels):
            ax.bar([x + i * width for x in range(len(chart))],
                   [row[1 + i] or 0 for row in chart], width, label=label)
        if peak8:
            ax.axhline(peak8, color="gray", linestyle="--", linewidth=1)
            ax.text(len(chart) - 0.5, peak8, "int8 peak", va="bottom", ha="right", fontsize=8)
        ax.set_xticks([x + 1.5 * width for x in range(len(chart))])
        ax.set_xticklabels([row[0] for row in chart], rotation=30, ha="right", fontsize=7)
        ax.set_ylabel("GOP/s, one core")
        ax.set_title("bench/layers.txt, batch 1, one thread")
        ax.legend(fontsize=8)
        fig.tight_layout()
        png = os.path.join(os.path.dirname(os.path.abspath(args.write)), "benchmarks.png")
        fig.savefig(png, dpi=100)
        print("wrote %s and %s" % (args.write, png))


if __name__ == "__main__":
    main()
