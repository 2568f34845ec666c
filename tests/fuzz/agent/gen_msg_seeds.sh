#!/bin/sh
# Seeds for fuzz-agent-msgs: what real tc sends for every corpus line
# (../rules/gen_seeds.sh, needs root), the real kernel's notifications OVS
# caused (tests/unit/rules/recordings/*.nl), and the messages that delete
# many filters at once, which no corpus line sends: RTM_DELQDISC of an
# ingress qdisc, RTM_DELCHAIN on either side of clsact, RTM_DELTFILTER
# without a handle.
# Usage: gen_msg_seeds.sh OUTDIR   (env: as ../rules/gen_seeds.sh)
set -eu
out=$1
here=$(dirname "$0")
sh "$here/../rules/gen_seeds.sh" "$out"
for f in "$here"/../../unit/rules/recordings/*.nl; do
	[ -s "$f" ] && cp "$f" "$out/rec-$(basename "$f")"
done
python3 - "$out" <<'PY'
import struct, sys
out = sys.argv[1]
RTM_DELQDISC, RTM_DELTFILTER, RTM_DELCHAIN = 37, 45, 101
TCA_CHAIN = 11
def msg(typ, ifindex, parent, info=0, handle=0, attrs=b""):
    tcm = struct.pack("=BxxxiIII", 0, ifindex, handle, parent, info)
    body = tcm + attrs
    return struct.pack("=IHHII", 16 + len(body), typ, 0, 1, 0) + body
def chain(n):
    return struct.pack("=HHI", 8, TCA_CHAIN, n)
ING, EGR, CLSACT = 0xFFFFFFF2, 0xFFFFFFF3, 0xFFFFFFF1
seeds = {
    "qdisc-del": msg(RTM_DELQDISC, 5, CLSACT, handle=0xFFFF0000),
    "chain-del-ingress": msg(RTM_DELCHAIN, 5, ING, attrs=chain(0)),
    "chain-del-egress": msg(RTM_DELCHAIN, 5, EGR, attrs=chain(3)),
    "filter-del-prio": msg(RTM_DELTFILTER, 5, ING, info=(2 << 16) | 0x0008, attrs=chain(0)),
    "filter-del-all": msg(RTM_DELTFILTER, 5, ING, attrs=chain(0)),
}
for name, b in seeds.items():
    open(f"{out}/teardown-{name}", "wb").write(b)
PY
echo "gen_msg_seeds: $(ls "$out" | wc -l) seeds" >&2
