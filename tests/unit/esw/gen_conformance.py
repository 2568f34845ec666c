#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Expand conformance.spec into the case file the C runner executes.

The spec is line oriented; the runner's commands pass through unchanged
except that packets are written as scapy expressions and become hex:

  test NAME [ports=N max_rules=N max_group_rules=N table_size=N]
  rule NAME [g=G] [p=P] : ITEMS -> ACTIONS        (items/actions: see runner)
  rule!ERRNO[@item:N|@action:N|@attr] NAME ...    expect the create to fail
  async NAME ... / push [fail=N] / del NAME [ERRNO] / adel NAME
  pkt PORT <scapy>            send a packet in on PORT
  expect port N [k=v] [<scapy>] | expect sw REASON [user=N mark=N] [<scapy>] | expect drop
  count NAME PKTS [BYTES]     rules NTOTAL    miss G drop|sw   limit G N
  meter ID srtcm|trtcm cir=.. cbs=.. ebs=.. [pir=.. pbs=..]   meter_stats ID G Y R
  advance SECONDS   aged NAME... | aged -   flush   pcap FILE   meta k=v...

Generator-only:
  let NAME = <scapy>          bind a packet for later expressions
  repeat VAR in <python iterable> ... endrepeat   (nested ok)
  {python expr}               substituted anywhere (repeat vars, len(pkt), ...)
"""
import re
import sys

from scapy.all import (Ether, Dot1Q, Dot1AD, IP, IPv6, TCP, UDP, ICMP, Raw,  # noqa: F401
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, ICMPv6EchoRequest)
from scapy.layers.sctp import SCTP  # noqa: F401
from scapy.layers.vxlan import VXLAN  # noqa: F401
from scapy.contrib.geneve import GENEVE  # noqa: F401

ENV = dict(globals())


def hexof(expr, env):
    expr = expr.strip()
    if expr.startswith("hex:"):
        return expr[4:]
    return bytes(eval(expr, env)).hex()


def subst(line, env):
    return re.sub(r"\{([^{}]+)\}", lambda m: str(eval(m.group(1), env)), line)


def emit(line, env, out):
    line = subst(line, env)
    toks = line.split()
    if not toks:
        return
    if toks[0] == "let":
        name, expr = line[3:].split("=", 1)
        env[name.strip()] = eval(expr, env)
        return
    if toks[0] == "pkt":
        rest = line.split(None, 2)
        out.append("pkt %s %s" % (rest[1], hexof(rest[2], env)))
        return
    if toks[0] == "expect" and len(toks) >= 3 and toks[1] in ("port", "sw"):
        head = toks[:3]
        i = 3
        while i < len(toks) and re.fullmatch(r"\w+=\S+", toks[i]) and "(" not in toks[i]:
            head.append(toks[i])
            i += 1
        expr = " ".join(toks[i:])
        if expr:
            head.append(hexof(expr, env))
        out.append(" ".join(head))
        return
    out.append(line)


def expand(lines, env, out):
    i = 0
    while i < len(lines):
        raw = lines[i].rstrip("\n")
        s = raw.strip()
        if not s or s.startswith("#"):
            i += 1
            continue
        m = re.match(r"repeat\s+(\w+)\s+in\s+(.+)$", s)
        if m:
            depth, j = 1, i + 1
            while j < len(lines):
                t = lines[j].strip()
                if t.startswith("repeat "):
                    depth += 1
                elif t == "endrepeat":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            body = lines[i + 1:j]
            for v in eval(subst(m.group(2), env), env):
                env[m.group(1)] = v
                expand(body, env, out)
            i = j + 1
            continue
        emit(s, env, out)
        i += 1


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        lines = f.readlines()
    out = ["# generated from %s by gen_conformance.py: do not edit" % src.split("/")[-1]]
    expand(lines, dict(ENV), out)
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")
    ntests = sum(1 for l in out if l.startswith("test "))
    print("%d tests, %d lines" % (ntests, len(out)))


if __name__ == "__main__":
    main()
