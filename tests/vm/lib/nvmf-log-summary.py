#!/usr/bin/env python3
"""Summarise what a host did to dpu-nvmf, from its log at log_level debug
(ICReq, Connect, Property Get/Set and admin command lines), and check it.

  nvmf-log-summary.py LOG PASSES
    PASSES: one word per connect pass, 'plain' or 'digests' (in order)

Checks: nothing logged at warn/error; each pass is a discovery controller
(no digests) then a controller whose admin and I/O queues negotiated the
pass's digests; every connection was closed by the host (an I/O queue may
also go with the host's shutdown of its controller), and closed before
the next pass began (the host's disconnect reached the target); every
command succeeded except those in EXPECTED_ERRORS. Prints the sequence of
distinct commands and their counts.
"""
import re
import sys

# Commands a host may send that dpu-nvmf rejects by design (docs/nvmf.md).
EXPECTED_ERRORS = {
    # Identify CNS 06h (I/O command set specific controller, CSI NVM): an
    # NVMe 2.0 structure; dpu-nvmf reports VS 1.3 and answers Invalid Field,
    # which Linux takes as "no extra limits".
    ("06h", "00000006", "002h"),
}
ADMIN = {"02h": "Get Log Page", "06h": "Identify", "09h": "Set Features",
         "0ah": "Get Features", "0ch": "Async Event Request", "18h": "Keep Alive",
         "08h": "Abort"}


def main():
    log, passes = sys.argv[1], sys.argv[2:]
    lines = open(log).read().splitlines()
    fail = []
    bad = [l for l in lines if l.startswith(("nvmf error", "nvmf warn"))]
    if bad:
        fail.append("dpu-nvmf logged warnings/errors: " + "; ".join(bad))

    conns = {}   # peer -> dict(order, hdgst, ddgst, qid, kato, sqsize, closed, closed_at)
    order = []
    for i, l in enumerate(lines):
        m = re.match(r"nvmf debug: conn (\S+): ICReq hpda (\d+) digests hdr (\d) data (\d) maxr2t (\d+)", l)
        if m:
            conns[m[1]] = dict(start=i, hpda=m[2], hd=m[3], dd=m[4], maxr2t=m[5])
            order.append(m[1])
            continue
        m = re.match(r"nvmf debug: conn (\S+): Connect qid (\d+) sqsize (\d+) cattr (\S+) kato (\d+) ms", l)
        if m and m[1] in conns:
            conns[m[1]].update(qid=int(m[2]), sqsize=int(m[3]), cattr=m[4], kato=int(m[5]))
            continue
        m = re.match(r"nvmf info: conn (\S+) qid \d+ closed: (.*)", l)
        if m and m[1] in conns:
            conns[m[1]].update(closed=m[2], end=i)
            continue
        m = re.match(r"nvmf info: ctrlr \d+ on (\S+) for host", l)
        if m and order:
            conns[order[-1]]["nqn"] = m[1]

    # group connections into passes: each starts with a discovery admin queue
    groups = []
    for p in order:
        c = conns[p]
        if c.get("nqn", "").endswith("nvmexpress.discovery"):
            groups.append([])
        if not groups:
            groups.append([])
        groups[-1].append(c)
    if len(groups) != len(passes):
        fail.append(f"{len(groups)} connect passes seen, expected {len(passes)}")
    for n, (g, mode) in enumerate(zip(groups, passes)):
        want = "1" if mode == "digests" else "0"
        kinds = [("discovery" if c.get("nqn", "").endswith("discovery") else
                  "admin" if c.get("qid") == 0 else f"io{c.get('qid')}") for c in g]
        print(f"pass {n + 1} ({mode}): " + ", ".join(
            f"{k} [hpda {c['hpda']} hdgst {c['hd']} ddgst {c['dd']} maxr2t {c['maxr2t']} "
            f"sqsize {c.get('sqsize')} cattr {c.get('cattr')} kato {c.get('kato')} ms; "
            f"closed: {c.get('closed', 'NOT CLOSED')}]" for k, c in zip(kinds, g)))
        if kinds[:1] != ["discovery"] or "admin" not in kinds or not any(k.startswith("io") for k in kinds):
            fail.append(f"pass {n + 1}: expected discovery, admin and I/O queues, saw {kinds}")
        for k, c in zip(kinds, g):
            if k != "discovery" and (c["hd"], c["dd"]) != (want, want):
                fail.append(f"pass {n + 1} {k}: digests hdr {c['hd']} data {c['dd']}, wanted {want}")
            # The kernel closes an I/O queue's socket, then shuts the
            # controller down on the admin queue: when the target handles
            # the shutdown first, it closes the I/O queue itself. Both
            # are the host's disconnect; an I/O queue closed any other way
            # (or an admin/discovery queue not closed by the host) is not.
            ok = {"peer closed the connection"}
            if k.startswith("io"):
                ok.add("controller reset or gone")
            if c.get("closed") not in ok:
                fail.append(f"pass {n + 1} {k}: closed: {c.get('closed', 'never')}")
            if n + 1 < len(groups) and c.get("end", 1 << 30) > groups[n + 1][0]["start"]:
                fail.append(f"pass {n + 1} {k}: still open when pass {n + 2} began")

    for l in lines:
        m = re.match(r"nvmf debug: ctrlr \d+ admin opc (\S+) nsid \d+ cdw10 (\S+) cdw11 \S+: status (\S+)", l)
        if m and m[3] != "000h" and m.groups() not in EXPECTED_ERRORS:
            fail.append(f"unexpected error status: {l}")
    seq, seen = [], {}
    # distinct commands in first-seen order, with counts
    for l in lines:
        m = re.match(r"nvmf debug: ctrlr \d+ (admin opc|Property)(.*)", l)
        if not m:
            continue
        k = re.sub(r"ctrlr \d+ ", "", l[len("nvmf debug: "):])
        if k not in seen:
            seq.append(k)
            seen[k] = 0
        seen[k] += 1
    print("distinct commands the host sent (first-seen order, count):")
    for k in seq:
        m = re.match(r"admin opc (\S+)", k)
        name = f" ({ADMIN.get(m[1], '?')})" if m else ""
        print(f"  {seen[k]:3d}x {k}{name}")
    for f in fail:
        print("FAIL:", f)
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
