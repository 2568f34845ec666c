# Shared by the agent tests: the card tests' helpers (private topologies,
# dpu-sim up/down, captures), plus real tc as the encoder of the filters
# (this kernel has no cls_flower: the capture shim records what tc sends)
# and dpu-agent fed with those recordings.  Needs DPU_AGENT and NLCAP_SHIM.
. "$(dirname "$0")/../card/lib.sh"

# record NAME <<'TC': one `tc filter add ...` per line, devices named as
# the card's ports (p0, pf0vf0, ...) plus vxlan_sys_4789; writes
# $T/NAME/NNN.bin and $T/NAME/devmap.
record() {
	local name=$1
	cat >"$T/$name.tc"
	sh "$(dirname "$0")/../../unit/rules/capture.sh" "$NLCAP_SHIM" "$T/$name.tc" "$T/$name" \
		>/dev/null || fail "capturing tc for $name"
	for rc in "$T/$name"/*.rc; do
		[ "$(cat "$rc")" = 0 ] || { cat "${rc%.rc}.log"; fail "tc refused a filter of $name"; }
	done
}

# agent_start TAG CARD RECORDING [agent options...]: a dpu-agent for CARD
# that has already replayed RECORDING; its socket is $T/TAG.agent.
agent_start() {
	local tag=$1 card=$2 rec=$3; shift 3
	local args=(-c "unix:$T/$card.sock" -s "$T/$tag.agent" -S "$T/$tag.state" --devmap "$T/$rec/devmap")
	for f in "$T/$rec"/*.bin; do args+=(--replay "$f"); done
	"$DPU_AGENT" "${args[@]}" "$@" 2>>"$T/$tag.agent.log" &
	eval "AGENT_$tag=$!"
	BG_PIDS="${BG_PIDS:-} $!"
	for _ in $(seq 1 100); do [ -S "$T/$tag.agent" ] && return 0; sleep 0.05; done
	fail "dpu-agent $tag did not start"
}
agent_stop() { local pid; eval "pid=\$AGENT_$1"; kill "$pid"; wait "$pid" 2>/dev/null || true; }
actl() { local tag=$1; shift; "$DPUCTL" --agent="$T/$tag.agent" "$@"; }

# Feed more recorded messages to a running agent: agent_replay TAG FILE
agent_replay() {
	"$PY" - "$T/$1.agent" "$2" <<'PY'
import socket, sys, json
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(("replay " + sys.argv[2] + "\n").encode())
r = json.loads(s.makefile().read())
assert "error" not in r, r
PY
}

# Hardware packet counter of the filter on port-netdev IFINDEX, prio PRIO.
filter_pkts() { actl "$1" -j stats | jq -r --argjson p "$2" --argjson i "$3" \
	'[.[] | select(.prio == $p and .ifindex == $i)][0].packets'; }
# ifindex of a recorded device
rec_ifindex() { awk -v n="$2" '$2 == n { print $1 }' "$T/$1/devmap"; }

# The filters that connect the two VFs of topo_one_card (IPv4 and ARP).
vf_pair_filters() {
	cat <<'TC'
tc filter add dev pf0vf0 ingress protocol ip prio 10 handle 1 flower dst_ip 10.10.0.2 action mirred egress redirect dev pf0vf1
tc filter add dev pf0vf1 ingress protocol ip prio 10 handle 1 flower dst_ip 10.10.0.1 action mirred egress redirect dev pf0vf0
tc filter add dev pf0vf0 ingress protocol arp prio 11 handle 1 flower action mirred egress redirect dev pf0vf1
tc filter add dev pf0vf1 ingress protocol arp prio 11 handle 1 flower action mirred egress redirect dev pf0vf0
TC
}
