#!/usr/bin/python3
"""OVS datapath flow -> tc filter -> dpu-agent placement, and its asserts.

  ovs-offload-table.py DP_FLOWS IFINDEX_MAP AGENT_FLOWS_JSON OVS_LOG TC_JSON...

DP_FLOWS: `ovs-appctl dpctl/dump-flows -m`; IFINDEX_MAP: "ifindex name"
lines; AGENT_FLOWS_JSON: `dpuctl -a -j flow list`; TC_JSON: `tc -j filter
show dev DEV ingress` saved as .../tc-DEV.json; OVS_LOG: ovs-vswitchd's
log with netdev_offload_tc at debug level (why OVS kept a flow to itself). OVS tags each tc filter
with the datapath flow's ufid (the cookie of its actions), which is the
join. Exits 1 (reasons on stderr) if a flow OVS put to tc is not known to
the agent, sits in software without a reason, or is still pending, or if
a flow that only outputs to card ports is not in hardware; also if fewer
than 4 such flows are offloaded or none is in software with a reason.
"""
import json
import os
import re
import struct
import sys

REPS = ("p0", "pf0vf0", "pf0vf1", "pf0vf2")


def ufid_of_cookie(hexstr):
    """OVS's tc cookie is the ufid's four u32 words in host order."""
    b = bytes.fromhex(hexstr)
    if len(b) != 16:
        return None
    w = struct.unpack("<4I", b)
    return "%08x-%04x-%04x-%04x-%04x%08x" % (w[0], w[1] >> 16, w[1] & 0xffff,
                                             w[2] >> 16, w[2] & 0xffff, w[3])


def split_top(s):
    """Split at commas outside parentheses."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


ZERO_MASK = re.compile(r"/(0x)?[0:.]*$")


def compact(match):
    """The match without the fields OVS fully wildcards (mask 0)."""
    keep = []
    for item in split_top(match):
        m = re.match(r"^(\w+)\((.*)\)$", item)
        if not m:
            if not ZERO_MASK.search(item):
                keep.append(item)
            continue
        key, inner = m.groups()
        sub = compact(inner)
        if not sub or (key == "recirc_id" and inner == "0"):
            continue
        keep.append("%s(%s)" % (key, sub))
    return ",".join(keep)


def dp_flows(path):
    rx = re.compile(r"^ufid:(\S+), (.*), packets:(\d+), bytes:\d+, used:[^,]*,"
                    r"(?: offloaded:\w+,)? dp:(\w+), actions:(.*)$")
    flows = []
    for line in open(path):
        m = rx.match(line.strip())
        if m:
            ufid, match, pkts, dp, actions = m.groups()
            flows.append(dict(ufid=ufid, match=compact(match), packets=int(pkts),
                              dp=dp, actions=actions))
        elif line.strip():
            print("unparsed datapath flow: " + line.strip(), file=sys.stderr)
    return flows


def tc_filters(paths, ifindex):
    """ufid -> (dev, ifindex, chain, prio, handle), and all filters."""
    by_ufid, every = {}, []
    for p in paths:
        dev = re.match(r"tc-(.*)\.json$", os.path.basename(p)).group(1)
        for line in open(p):
            if not line.strip():
                continue
            for f in json.loads(line):
                opts = f.get("options")
                if not opts:
                    continue
                ident = (dev, ifindex[dev], f.get("chain", 0), f["pref"], opts["handle"])
                every.append(ident)
                for a in opts.get("actions", []):
                    u = a.get("cookie") and ufid_of_cookie(a["cookie"])
                    if u:
                        by_ufid[u] = ident
    return by_ufid, every


def ovs_reason(f, log):
    """Why OVS did not put a flow to tc, from what its log says."""
    if "userspace(" in f["actions"]:
        why, said = "userspace action (controller)", "unsupported put action type: 2"
    elif "recirc(" in f["actions"] or "recirc_id(" in f["match"]:
        why, said = ("recirc (ct): the kernel has no CONFIG_NET_TC_SKB_EXT",
                     "recirc_id sharing not supported")
    else:
        return "OVS kept it in the kernel datapath (reason not known here)"
    return "OVS: %s ('%s'%s)" % (why, said, "" if said in log else ", NOT in its log")


def outputs_only_to_reps(actions):
    acts = split_top(actions)
    return bool(acts) and all(a in REPS for a in acts)


def main():
    dp_path, ifmap_path, agent_path, log_path, *tc_paths = sys.argv[1:]
    log = open(log_path, errors="replace").read()
    ifindex = {}
    for line in open(ifmap_path):
        i, name = line.split()
        ifindex[name] = int(i)
    agent = {(r["ifindex"], r["chain"], r["prio"], r["handle"]): r
             for r in json.load(open(agent_path))}
    by_ufid, every = tc_filters(tc_paths, ifindex)
    flows = dp_flows(dp_path)
    errors = []
    rows = []
    n_hw = n_sw = n_ovs = 0
    for f in sorted(flows, key=lambda f: (f["dp"], f["match"])):
        where = "?"
        filt = "-"
        if f["dp"] == "tc":
            ident = by_ufid.get(f["ufid"])
            if not ident:
                errors.append("dp:tc flow %s: no tc filter carries its ufid" % f["ufid"])
                where = "?"
            else:
                dev, ifi, chain, prio, handle = ident
                filt = "%s chain %d prio %d handle 0x%x" % (dev, chain, prio, handle)
                r = agent.get((ifi, chain, prio, handle))
                if not r:
                    errors.append("tc filter %s (ufid %s): unknown to the agent" % (filt, f["ufid"]))
                    where = "MISSING"
                elif r["where"] == "hardware":
                    where = "hw (card)"
                    n_hw += 1
                elif r["where"].startswith("software") and r.get("reason"):
                    where = "sw: " + r["reason"]
                    if r["where"] != "software":
                        where = "sw (card refused): " + r["reason"]
                    n_sw += 1
                else:
                    errors.append("tc filter %s: %s without a reason" % (filt, r["where"]))
                    where = r["where"]
                if outputs_only_to_reps(f["actions"]) and where != "hw (card)":
                    errors.append("flow %s -> %s only outputs to card ports but is not in hardware"
                                  % (f["match"], f["actions"]))
        else:
            where = ovs_reason(f, log)
            n_ovs += 1
        rows.append((f["match"] + " -> " + f["actions"], filt, where))
    # tc filters OVS did not (or no longer) list: still never silently missing
    listed = {by_ufid.get(f["ufid"]) for f in flows}
    for ident in every:
        if ident not in listed:
            r = agent.get(ident[1:])
            rows.append(("(no datapath flow listed)", "%s chain %d prio %d handle 0x%x" %
                         (ident[0], ident[2], ident[3], ident[4]),
                         r["where"] + (": " + r["reason"] if r.get("reason") else "") if r else "MISSING"))
            if not r:
                errors.append("tc filter %s: unknown to the agent" % (ident,))
    w1 = max(len(r[0]) for r in rows) if rows else 10
    w2 = max(len(r[1]) for r in rows) if rows else 10
    print("%-*s | %-*s | %s" % (w1, "OVS datapath flow -> actions", w2, "tc filter", "agent placement"))
    print("-" * (w1 + w2 + 40))
    for r in rows:
        print("%-*s | %-*s | %s" % (w1, r[0], w2, r[1], r[2]))
    print("datapath flows: %d; put to tc: %d (card: %d, software with a reason: %d); kept by OVS in the kernel datapath: %d"
          % (len(flows), n_hw + n_sw, n_hw, n_sw, n_ovs))
    n_out = sum(1 for f in flows if f["dp"] == "tc" and outputs_only_to_reps(f["actions"]))
    if n_out < 4:
        errors.append("only %d offloaded flows that output to card ports, expected >= 4" % n_out)
    if n_sw < 1:
        errors.append("no filter in software with a reason (the flow to br0 should be one)")
    for e in errors:
        print("FAIL: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
