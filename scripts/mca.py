#!/usr/bin/python3
"""Scores intq's AArch64 kernel inner loops with llvm-mca.

    /usr/bin/python3 scripts/mca.py --write docs/benchmarks.md
    /usr/bin/python3 scripts/mca.py                     (print only)

For each int8 kernel of bench/layers.txt that is a matmul or a dense conv,
compiles it for AArch64 (`intq-compile --target=aarch64 --cpu=CPU
--kernels=K`: the aarch64-dotprod kernels on Neoverse N1 and V1, the
aarch64-i8mm kernels on V1), finds the innermost loop that holds the dot
product / matrix multiply instructions (the basic block from a label to the
branch back to it), and runs `llvm-mca -mcpu=CPU` on it. Where the
reduction is a single step there is no such loop of its own: the loop
scored is then the row block's, output stage included, and the row says so.
MACs count only the real reduction: where a matrix's K is padded to a
multiple of the kernel's step (4 x the sdot groups per iteration, 8 for
smmla), or a conv with C % 4 != 0 reads its kernel rows in groups of 4
bytes padded past the row (the sdot kernels), the padded multiplies are
left out, and so are the padded rows of the smmla kernels' row pairs
(M = 1). Reported: the
instructions per iteration, llvm-mca's block reciprocal throughput (cycles
per iteration), the MACs per cycle that gives (16 per sdot, 32 per smmla),
and that as a fraction of the issue limit of the core's pipes (N1 sdot:
2 x 128-bit, 32 MACs/cycle; V1 sdot: 4 x 128-bit, 64; V1 smmla: 128).
Static analysis: no AArch64 hardware is needed, and the figures do not move
between runs.
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))
from mdsection import write_section  # noqa: E402
from gen_kernels import parse  # noqa: E402  (bench/layers.txt's reader)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# (cpu, kernels, instruction, MACs per instruction, MACs per cycle limit)
CONFIGS = [
    ("neoverse-n1", "aarch64-dotprod", "sdot", 16, 32),
    ("neoverse-v1", "aarch64-dotprod", "sdot", 16, 64),
    ("neoverse-v1", "aarch64-i8mm", "smmla", 32, 128),
]


def inner_loop(asm, insn):
    """The instructions of the loop that holds the most `insn` instructions."""
    lines = asm.splitlines()
    best = None
    for i, line in enumerate(lines):
        m = re.match(r"^(\.LBB\d+_\d+):", line)
        if not m:
            continue
        label = m.group(1)
        body = []
        for line2 in lines[i + 1:]:
            if re.match(r"^\.LBB\d+_\d+:", line2):
                break
            s = line2.split("//")[0].strip()
            if s and not s.startswith("."):
                body.append(s)
            if s.endswith(label) and s.split()[0].startswith(("b", "cb", "tb")):
                n = sum(1 for b in body if b.split()[0] == insn)
                if n and (best is None or n > best[0]):
                    best = (n, body)
                break
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--write", help="write the table into this markdown file")
    ap.add_argument("--layers", default=None, help="comma-separated layer names (default: all)")
    args = ap.parse_args()
    bindir = os.path.join(args.build, "bin")
    kernels = os.path.join(args.build, "bench", "kernels")
    mca = "/usr/lib/llvm-22/bin/llvm-mca"
    wanted = set(args.layers.split(",")) if args.layers else None
    # The matmuls and dense convs (all of dilation 1), with their reduction
    # length (K, or KH x KW x C) and the length of the sdot kernels' one: a
    # conv with C % 4 != 0 reads each kernel row's KW x C bytes in groups of
    # 4 (ConvRows::group in passes/Codegen.cpp), its padding included.
    layers = [(L["name"], L["m"], L["k"], L["k"]) if L["kind"] == "matmul" else
              (L["name"], L["oh"] * L["ow"], L["kh"] * L["kw"] * L["c"],
               L["kh"] * -(-L["kw"] * L["c"] // 4) * 4)
              for L in parse(os.path.join(ROOT, "bench", "layers.txt"))
              if L["kind"] in ("matmul", "conv") and (wanted is None or L["name"] in wanted)]
    rows = ["| layer | cpu | kernels | instructions / iteration | cycles / iteration (llvm-mca) | MACs / cycle | % of the issue limit |",
            "|---|---|---|---|---|---|---|"]
    for name, m_rows, k, k_sdot in layers:
        src = os.path.join(kernels, name + "_i8.mlir")
        if not os.path.exists(src):
            sys.exit("%s is missing: run `ninja -C %s intq-bench` first" % (src, args.build))
        for cpu, kern, insn, per, limit in CONFIGS:
            r = subprocess.run([os.path.join(bindir, "intq-compile"), src, "--target=aarch64",
                                "--cpu=" + cpu, "--kernels=" + kern, "--emit=asm", "-o", "-"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if r.returncode:
                sys.exit("intq-compile failed for %s:\n%s" % (name, r.stderr))
            loop = inner_loop(r.stdout, insn)
            if not loop:
                rows.append("| %s | %s | %s | no %s loop | - | - | - |" % (name, cpu, kern, insn))
                continue
            n, body = loop
            m = subprocess.run([mca, "-mtriple=aarch64", "-mcpu=" + cpu, "-iterations=200"],
                               input="\n".join(body) + "\n", stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            if m.returncode:
                sys.exit("llvm-mca failed for %s:\n%s" % (name, m.stderr))
            rt = float(re.search(r"Block RThroughput:\s*([0-9.]+)", m.stdout).group(1))
            # Only the MACs of the real reduction count: the kernel's K is
            # padded to a multiple of the step. The sdot kernels take 4 rows
            # x 16 outputs, 16 sdot per group of 4 K; smmla steps by 8 K
            # (over an im2col copy where C % 8 != 0).
            step = 4 * (n // 16) if insn == "sdot" else 8
            kk = k_sdot if insn == "sdot" else k
            useful = k / (-(-kk // step) * step)
            # smmla multiplies row pairs: blocks of 2 rows (4 when M > 2)
            # pad M (half of every smmla at M = 1).
            if insn == "smmla":
                mr = 4 if m_rows > 2 else 2
                useful *= m_rows / (-(-m_rows // mr) * mr)
            macs = float(per) * n / rt * useful
            # Where the reduction is one step (no K loop), the loop scored
            # is the row block's, with its output stage.
            whole = any(b.split()[0] in ("sqrdmulh", "sqdmulh", "srshl") for b in body)
            rows.append("| %s | %s | %s | %d %s%s | %.2f | %.1f | %.0f %% |"
                        % (name, cpu, kern, n, insn,
                           " (one K step: the row block with its output stage)" if whole else "",
                           rt, macs, 100 * macs / limit))
    table = "\n".join(rows)
    print(table)
    if args.write:
        write_section(args.write, "mca.py", table)


if __name__ == "__main__":
    main()
