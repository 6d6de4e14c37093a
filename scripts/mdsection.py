"""Replaces the generated part of a markdown file: the lines between
`<!-- TAG begin -->` and `<!-- TAG end -->` (the scripts that write tables
into docs/ share it)."""

import sys


def write_section(path, tag, table):
    text = open(path).read()
    begin, end = "<!-- %s begin -->" % tag, "<!-- %s end -->" % tag
    if begin not in text or end not in text:
        sys.exit("%s has no %s ... %s markers" % (path, begin, end))
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    open(path, "w").write(head + begin + "\n" + table + "\n" + end + tail)
