# Shared by the card tests: a private topology (names unique to this run,
# so tests and a running demo never collide), dpu-sim up/down around the
# test, and small helpers.  Needs DPU_SIM, DPUCTL and DPU_FW from meson.
set -euo pipefail

PY=/usr/bin/python3	# Debian's, with scapy (a pyenv python may shadow it)
P="t$(( $$ % 10000 ))"	# prefix: card ${P}c, namespaces ${P}vm0.., reps ${P}pf0vf0..
T=$(mktemp -d "${TMPDIR:-/tmp}/card-test.XXXXXX")
CARD="${P}c"

step() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

cleanup() {
	local rc=$?
	set +e
	[ -n "${BG_PIDS:-}" ] && kill $BG_PIDS 2>/dev/null
	if [ $rc -ne 0 ]; then
		for f in "$T"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done
	fi
	for topo in "$T"/*.json; do [ -f "$topo" ] && "$DPU_SIM" -q down "$topo"; done
	# A sanitizer report from a card (written at its exit) fails the test.
	if grep -l -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T"/*.log 2>/dev/null; then
		grep -h -A30 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T"/*.log | head -60
		rc=1
	fi
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT

# One card, uplink on a wire, two VFs in namespaces ${P}vm0/${P}vm1.
topo_one_card() {
	cat >"$T/one.json" <<JSON
{
  "name": "test-one", "run_dir": "$T",
  "wires": [ { "name": "${P}w", "mtu": 9000 } ],
  "cards": [ {
    "name": "$CARD", "rep_prefix": "$P",
    "uplinks": [ { "wire": "${P}w", "mac": "02:0e:00:00:00:01" } ],
    "vfs": [
      { "netns": "${P}vm0", "ifname": "eth0", "ip": ["10.10.0.1/24", "fd10::1/64"], "mac": "02:10:00:00:00:01" },
      { "netns": "${P}vm1", "ifname": "eth0", "ip": ["10.10.0.2/24", "fd10::2/64"], "mac": "02:10:00:00:00:02" }
    ] } ]
}
JSON
	echo "$T/one.json"
}

# Two cards on one wire, one VF each.
topo_two_cards() {
	local drv=${1:-vtap}
	cat >"$T/two.json" <<JSON
{
  "name": "test-two", "run_dir": "$T",
  "wires": [ { "name": "${P}w", "mtu": 9000 } ],
  "cards": [
    { "name": "${P}a", "rep_prefix": "${P}a",
      "uplinks": [ { "wire": "${P}w", "mac": "02:aa:00:00:00:01", "driver": "$drv" } ],
      "vfs": [ { "netns": "${P}va", "ifname": "eth0", "ip": "10.20.0.1/24", "mac": "02:aa:00:00:01:00" } ] },
    { "name": "${P}b", "rep_prefix": "${P}b",
      "uplinks": [ { "wire": "${P}w", "mac": "02:bb:00:00:00:01" } ],
      "vfs": [ { "netns": "${P}vb", "ifname": "eth0", "ip": "10.20.0.2/24", "mac": "02:bb:00:00:01:00" } ] }
  ]
}
JSON
	echo "$T/two.json"
}

sim_up() { "$DPU_SIM" up "$1"; }

# dpuctl against one card of this run: ctl CARD args...
ctl() { local c=$1; shift; "$DPUCTL" -c "unix:$T/$c.sock" "$@"; }

# JSON field of a port's stats: port_stat CARD PORT_ID FIELD
port_stat() {
	ctl "$1" -j port stats | jq -r --argjson id "$2" --arg f "$3" \
		'.[] | select(.port_id == $id) | .[$f]'
}

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Capture on an interface in the background: cap_start NAME NS IFACE FILTER...
cap_start() {
	local name=$1 ns=$2 ifc=$3; shift 3
	local nsx=()
	[ -n "$ns" ] && nsx=(ip netns exec "$ns")
	"${nsx[@]}" tcpdump --immediate-mode -U -n -i "$ifc" -w "$T/$name.pcap" "$@" 2>"$T/$name.tcpdump.log" &
	BG_PIDS="${BG_PIDS:-} $!"
	eval "CAP_$name=$!"
	# tcpdump says "listening on" once its socket is bound.
	for _ in $(seq 1 200); do
		grep -q 'listening on' "$T/$name.tcpdump.log" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "tcpdump on $ifc did not start"
}
cap_stop() {
	local pid
	eval "pid=\$CAP_$1"
	sleep 0.3	# frames already sent are in the capture buffer
	kill -INT "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
# Frames in a capture (with an optional filter). A capture tcpdump cannot
# read is an error, never "0 frames": negative checks rely on it.
cap_count() {
	local out
	out=$(tcpdump -n -r "$T/$1.pcap" "${@:2}" 2>"$T/$1.read.log") ||
		fail "tcpdump cannot read $T/$1.pcap: $(tail -n 1 "$T/$1.read.log")"
	if [ -z "$out" ]; then echo 0; else printf '%s\n' "$out" | wc -l; fi
}

# Hit counters of one rule: flow_pkts CARD ID
flow_pkts() { ctl "$1" -j flow query "$2" | jq -r '.[0].packets'; }

# COUNT UDP datagrams of SIZE payload bytes from a namespace's eth0, sent
# at once (scapy): send_udp NS SRC_IP DST_MAC DST_IP DPORT COUNT [SIZE]
send_udp() {
	ip netns exec "$1" "$PY" - "$2" "$3" "$4" "$5" "$6" "${7:-64}" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, Raw, sendp, get_if_hwaddr
src, dmac, dst, dport, n, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
p = Ether(src=get_if_hwaddr("eth0"), dst=dmac) / IP(src=src, dst=dst) / UDP(sport=4242, dport=dport) / Raw(b"x" * size)
sendp([p] * n, iface="eth0", verbose=False)
PY
}

# nc_check FROM_NS TO_NS TO_IP BYTES: a TCP transfer with nc that must
# arrive intact.
nc_check() {
	local pid
	head -c "$4" /dev/urandom >"$T/blob"
	in_ns "$2" nc -l -p 7001 >"$T/blob.out" &
	pid=$!
	for _ in $(seq 1 100); do in_ns "$2" ss -ltn | grep -q ':7001' && break; sleep 0.05; done
	in_ns "$1" nc -q 1 "$3" 7001 <"$T/blob"
	wait $pid || true
	cmp -s "$T/blob" "$T/blob.out"
}

# Frames of a capture that match a display filter. A filter tshark rejects
# fails the test (a count of 0 from an error would pass a "none bad" check).
tshark_count() {
	local out
	out=$(tshark -r "$1" -Y "$2" 2>"$T/tshark.err") ||
		fail "tshark -Y '$2': $(grep -v 'Running as user' "$T/tshark.err" | tail -n 1)"
	if [ -z "$out" ]; then echo 0; else printf '%s\n' "$out" | wc -l; fi
}
