#!/usr/bin/env python3
"""Runs every command of a Markdown guide (docs/guide.md), in order.

    run_guide.py docs/guide.md --src <checkout> [--build <build dir>]
                 [--workdir <empty or new dir>] [--list]

Each fenced code block of the guide is one of these, by its info string
(the text after the opening ```), or the script refuses the guide:

  ```sh                  run
  ```sh env              the environment the guide tells users to set up:
                         run, with the value of its `export INTQ=...` line
                         replaced by --src (exactly one such block, first)
  ```sh no-run: REASON   shown, not run; the reason is required
  ```text                output: every line must match a line of the
                         preceding sh block's output, in order ("..." matches
                         any text, a run of blanks any run of blanks)
  <!-- file: NAME -->    (on the line before the fence, any language): the
                         block is written to NAME, at that point of the run

The sh blocks run in order in one bash process (`set -euo pipefail`, so
variables and the current directory carry from block to block) in a fresh
work directory, with PATH reset to the system's: the guide's own `sh env`
block sets up PATH, as a user would. When --build is not <src>/build,
"$INTQ/build" in the sh blocks is replaced by it. A failing command stops the
run; the script then prints the block's number and line, the command, and
the block's output, and exits 1. The output of every block is printed under
a "== block N" header, for FileCheck.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import uuid

FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
INDENTED_FENCE = re.compile(r"^\s+(`{3,}|~{3,})")
FILE_MARKER = re.compile(r"^<!--\s*file:\s*(\S+)\s*-->\s*$")
INTQ_EXPORT = re.compile(r"^(\s*export\s+INTQ=)(\S+)(.*)$")
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class GuideError(Exception):
    pass


class Block:
    def __init__(self, number, line, info, text, file_name):
        self.number = number  # 1-based, over every fenced block
        self.line = line  # line of the opening fence, 1-based
        self.info = info.strip()
        self.text = text
        self.file_name = file_name
        self.kind = None  # run, env, no-run, output, file
        self.reason = None

    def where(self, guide):
        return "%s:%d: block %d" % (guide, self.line, self.number)


def parse(file_name, path):
    """Splits the guide into blocks and classifies them, or raises. `path`
    is the name used in messages."""
    with open(file_name, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks, errors = [], []
    pending_file, pending_line = None, 0
    i = 0
    while i < len(lines):
        line = lines[i]
        m = FENCE.match(line)
        if not m:
            if INDENTED_FENCE.match(line):
                errors.append("%s:%d: indented code fence: put fenced blocks "
                              "at the start of the line" % (path, i + 1))
            fm = FILE_MARKER.match(line)
            if fm:
                if pending_file:
                    errors.append("%s:%d: file marker for '%s' is not "
                                  "followed by a code block" %
                                  (path, pending_line, pending_file))
                pending_file, pending_line = fm.group(1), i + 1
            elif line.strip() and pending_file:
                errors.append("%s:%d: file marker for '%s' is not followed "
                              "by a code block" %
                              (path, pending_line, pending_file))
                pending_file = None
            i += 1
            continue
        fence, info = m.group(1), m.group(2)
        start = i
        body = []
        i += 1
        while i < len(lines) and not (lines[i].startswith(fence) and
                                      not lines[i][len(fence):].strip()):
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise GuideError("%s:%d: unterminated code block" %
                             (path, start + 1))
        i += 1
        blocks.append(Block(len(blocks) + 1, start + 1, info,
                            "\n".join(body) + "\n", pending_file))
        pending_file = None

    seen_run = False
    envs = []
    for b in blocks:
        words = b.info.split(None, 1)
        lang = words[0] if words else ""
        rest = words[1].strip() if len(words) > 1 else ""
        if b.file_name:
            name = b.file_name
            if os.path.isabs(name) or ".." in name.split("/"):
                errors.append("%s: file name '%s' must stay inside the work "
                              "directory" % (b.where(path), name))
            b.kind = "file"
        elif lang == "sh" and rest == "":
            b.kind = "run"
            seen_run = True
        elif lang == "sh" and rest == "env":
            b.kind = "env"
            envs.append(b)
            if seen_run:
                errors.append("%s: the sh env block must come before every "
                              "sh block" % b.where(path))
            exports = [l for l in b.text.splitlines() if INTQ_EXPORT.match(l)]
            if len(exports) != 1:
                errors.append("%s: the sh env block needs exactly one "
                              "`export INTQ=<checkout>` line" % b.where(path))
        elif lang == "sh" and rest.startswith("no-run"):
            reason = rest[len("no-run"):].lstrip(":").strip()
            if not reason:
                errors.append("%s: ```sh no-run needs a reason "
                              "(```sh no-run: why it is not run)" %
                              b.where(path))
            b.kind, b.reason = "no-run", reason
        elif lang == "text" and rest == "":
            b.kind = "output"
        else:
            errors.append(
                "%s: ```%s is neither run nor marked: use ```sh, ```sh env, "
                "```sh no-run: <reason>, ```text (the output of the sh block "
                "before it), or put <!-- file: NAME --> on the line before "
                "it" % (b.where(path), b.info))
    if len(envs) != 1:
        errors.append("%s: needs exactly one ```sh env block (found %d)" %
                      (path, len(envs)))
    last_run = None
    for b in blocks:
        if b.kind in ("run", "env"):
            last_run = b
        elif b.kind == "output":
            if last_run is None:
                errors.append("%s: ```text output before any sh block" %
                              b.where(path))
            b.source = last_run
    if errors:
        line_of = lambda e: int(e.split(":", 2)[1]) if \
            e.startswith(path + ":") and e.split(":", 2)[1].isdigit() else 0
        raise GuideError("\n".join(sorted(errors, key=line_of)))
    return blocks


def output_pattern(line):
    parts = []
    for piece in line.strip().split("..."):
        words = [re.escape(w) for w in piece.split()]
        s = r"\s+".join(words)
        if piece[:1].isspace():
            s = r"\s*" + s
        if piece[-1:].isspace():
            s = s + r"\s*"
        parts.append(s)
    return re.compile(".*".join(parts))


def check_output(expected, actual):
    """Returns None, or the first expected line not found (in order)."""
    out = [l.strip() for l in actual.splitlines()]
    pos = 0
    for want in expected.splitlines():
        if not want.strip():
            continue
        pattern = output_pattern(want)
        while pos < len(out) and not pattern.fullmatch(out[pos]):
            pos += 1
        if pos == len(out):
            return want
        pos += 1
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("guide")
    ap.add_argument("--src", required=True, help="the intq checkout")
    ap.add_argument("--build", help="the build directory (default "
                    "<src>/build)")
    ap.add_argument("--workdir", help="an empty or new directory to run in "
                    "(default: a new temporary one)")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--list", action="store_true",
                    help="print the blocks and their kinds, run nothing")
    args = ap.parse_args()

    src = os.path.realpath(args.src)
    guide = os.path.realpath(args.guide)
    name = os.path.relpath(guide, src) \
        if guide.startswith(src + os.sep) else args.guide
    try:
        blocks = parse(guide, name)
    except GuideError as e:
        print(e, file=sys.stderr)
        return 2

    if args.list:
        for b in blocks:
            extra = b.file_name or b.reason or ""
            print("block %d line %d: %s %s" % (b.number, b.line, b.kind,
                                                extra))
        return 0

    build = os.path.realpath(args.build or os.path.join(src, "build"))
    other_build = build != os.path.join(src, "build")

    if args.workdir:
        workdir = os.path.abspath(args.workdir)
        os.makedirs(workdir, exist_ok=True)
        if os.listdir(workdir):
            print("run_guide: %s is not empty" % workdir, file=sys.stderr)
            return 2
    else:
        workdir = tempfile.mkdtemp(prefix="intq-guide-")

    nonce = uuid.uuid4().hex
    mark = "@@guide-" + nonce
    script = ["set -Eeuo pipefail",
              "trap 'echo \"%s failed $? $BASH_COMMAND\"' ERR" % mark]
    for b in blocks:
        if b.kind == "file":
            d = os.path.dirname(b.file_name)
            script.append("echo '%s file %d'" % (mark, b.number))
            if d:
                script.append("mkdir -p %s" % shlex.quote(d))
            script.append("cat > %s <<'%s-EOF'" %
                          (shlex.quote(b.file_name), mark))
            script.append(b.text.rstrip("\n"))
            script.append("%s-EOF" % mark)
        elif b.kind in ("run", "env"):
            text = b.text
            if b.kind == "env":
                text = "\n".join(
                    INTQ_EXPORT.sub(lambda m: m.group(1) + shlex.quote(src) +
                                    m.group(3), l)
                    for l in text.split("\n"))
            if other_build:
                text = text.replace("$INTQ/build", shlex.quote(build))
            script.append("echo '%s block %d'" % (mark, b.number))
            script.append(text.rstrip("\n"))
    script.append("echo '%s done'" % mark)

    env = dict(os.environ)
    env["PATH"] = SYSTEM_PATH
    env.pop("INTQ", None)
    try:
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-s"],
                              input="\n".join(script) + "\n", cwd=workdir,
                              env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              errors="replace", timeout=args.timeout)
        raw, rc = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as e:
        raw = e.stdout.decode(errors="replace") \
            if isinstance(e.stdout, bytes) else (e.stdout or "")
        rc = None

    # Split the output at the markers: block number -> its output.
    by_number = {b.number: b for b in blocks}
    outputs, current, failed, done = {}, None, None, False
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    for line in raw[:-1].split("\n") if raw.endswith("\n") else \
            raw.split("\n"):
        if line.startswith(mark + " "):
            what = line[len(mark) + 1:].split(" ", 2)
            if what[0] in ("block", "file"):
                current = int(what[1])
                outputs[current] = ""
            elif what[0] == "failed":
                failed = (what[1], what[2] if len(what) > 2 else "")
            elif what[0] == "done":
                done = True
            continue
        if current is not None:
            outputs[current] += line + "\n"

    for n in sorted(outputs):
        if by_number[n].kind == "file":
            continue
        print("== block %d (%s:%d)" % (n, name, by_number[n].line))
        sys.stdout.write(outputs[n])
    sys.stdout.flush()

    if not done:
        b = by_number.get(current)
        where = b.where(name) if b else name
        if rc is None:
            why = "timed out after %g s" % args.timeout
        elif failed:
            why = "failed (exit %s): %s" % failed
        else:
            why = "stopped (exit %s)" % rc
        print("run_guide: %s %s" % (where, why), file=sys.stderr)
        if b:
            print("--- the block:\n%s--- its output:\n%s---" %
                  (b.text, outputs.get(b.number, "")), file=sys.stderr)
        print("run_guide: work directory %s" % workdir, file=sys.stderr)
        return 1

    mismatches = 0
    for b in blocks:
        if b.kind != "output":
            continue
        missing = check_output(b.text, outputs.get(b.source.number, ""))
        if missing is not None:
            mismatches += 1
            print("run_guide: %s: the output of block %d (line %d) has no "
                  "line matching\n  %s\n(in order after the lines before "
                  "it in the ```text block)" %
                  (b.where(name), b.source.number, b.source.line,
                   missing.strip()), file=sys.stderr)
    if mismatches:
        print("run_guide: work directory %s" % workdir, file=sys.stderr)
        return 1

    count = lambda kind: sum(1 for b in blocks if b.kind == kind)
    print("== %s: %d sh blocks run, %d files written, %d outputs checked, "
          "%d blocks not run" % (name, count("run") + count("env"),
                                 count("file"), count("output"),
                                 count("no-run")))
    for b in blocks:
        if b.kind == "no-run":
            print("   not run: block %d (line %d): %s" %
                  (b.number, b.line, b.reason))
    return 0


if __name__ == "__main__":
    sys.exit(main())
