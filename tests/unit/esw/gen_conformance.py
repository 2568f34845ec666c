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


def random_overlaps(seed, nrules, npkts):
    """Random overlapping wildcard rules with random priorities; the expected
    winner comes from a reference model of the documented semantics: lowest
    priority value wins; equal priority -> the (priority, mask) subtable
    created first wins (mlx5 matcher order); same key in one subtable is
    EEXIST.  Returns spec lines."""
    import random
    rnd = random.Random(seed)
    lines = ["test random_overlaps_s%d_r%d" % (seed, nrules)]
    rules, seen_keys, matcher_seq = [], set(), {}

    def pick():
        plen = rnd.choice([None, 8, 16, 24, 32])
        dst = "10.%d.%d.%d" % (rnd.randint(0, 1), rnd.randint(0, 1), rnd.randint(0, 2))
        dport = rnd.choice([None, 80, 443])
        proto = rnd.choice([None, "tcp", "udp"])
        if dport is not None and proto is None:
            proto = rnd.choice(["tcp", "udp"])
        prio = rnd.randint(0, 3)
        return plen, dst, dport, proto, prio

    def netof(dst, plen):
        a = [int(x) for x in dst.split(".")]
        v = (a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]
        m = ((1 << 32) - 1) ^ ((1 << (32 - plen)) - 1) if plen else 0
        return v & m, m

    for i in range(nrules):
        plen, dst, dport, proto, prio = pick()
        net, m = netof(dst, plen)
        mask_id = (plen, dport is not None, proto)
        key = (prio, mask_id, net, dport)
        items = "eth / ipv4" + (" dst=%s/%d" % (dst, plen) if plen else "")
        if proto:
            items += " / %s" % proto + (" dport=%d" % dport if dport else "")
        acts = "mark %d / count / port %d" % (i + 1, i % 60 + 1)
        if key in seen_keys:
            lines.append("rule!EEXIST r%d p=%d : %s -> %s" % (i, prio, items, acts))
            continue
        seen_keys.add(key)
        if (prio, mask_id) not in matcher_seq:
            matcher_seq[(prio, mask_id)] = len(matcher_seq)
        rules.append((i, prio, matcher_seq[(prio, mask_id)], net, m, dport, proto))
        lines.append("rule r%d p=%d : %s -> %s" % (i, prio, items, acts))
    hits = {}
    for k in range(npkts):
        d = "10.%d.%d.%d" % (rnd.randint(0, 1), rnd.randint(0, 1), rnd.randint(0, 2))
        proto = rnd.choice(["tcp", "udp"])
        dport = rnd.choice([80, 443, 22])
        dv, _ = netof(d, 32)
        best = None
        for (i, prio, mseq, net, m, rdport, rproto) in rules:
            if (dv & m) != net:
                continue
            if rproto and rproto != proto:
                continue
            if rdport and rdport != dport:
                continue
            cand = (prio, mseq, i)
            if best is None or cand < best:
                best = cand
        l4 = "TCP" if proto == "tcp" else "UDP"
        lines.append('pkt 0 Ether(src=A, dst=B)/IP(src="1.1.1.1", dst="%s")/%s(sport=5, dport=%d)' % (d, l4, dport))
        if best is None:
            lines.append("expect sw miss")
        else:
            i = best[2]
            hits[i] = hits.get(i, 0) + 1
            lines.append("expect port %d mark=%d" % (i % 60 + 1, i + 1))
    for (i, *_rest) in rules:
        lines.append("count r%d %d" % (i, hits.get(i, 0)))
    return lines


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
    if toks[0] == "generate":
        for l in eval(line[len("generate"):].strip(), env):
            emit(l, env, out)
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
