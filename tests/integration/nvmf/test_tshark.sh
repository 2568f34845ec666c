#!/bin/bash
# Capture a session (discovery, identify, reads/writes in-capsule and via
# R2T, header+data digests) on lo and check that tshark dissects every
# PDU as NVMe/TCP with digests verified and nothing malformed.
set -u
DPU_NVMF=$1
IDENTIFY=$2
PERF=$3
. "$(dirname "$0")/lib.sh"
command -v tcpdump >/dev/null && command -v tshark >/dev/null || { echo "no tcpdump/tshark"; exit 77; }
TMP=$(mktemp -d)
CAP_PID=
trap 'stop_target; [ -n "$CAP_PID" ] && kill $CAP_PID 2>/dev/null; rm -rf "$TMP"' EXIT
NQN=nqn.2026-01.io.opendpu:capture
cat >"$TMP/cfg.json" <<JSON
{ "subsystems": [ { "nqn": "$NQN", "allow_any_host": true,
    "namespaces": [ { "nsid": 1, "backend": "ram", "size": "16M", "block_size": 512 } ],
    "listeners": [ { "traddr": "127.0.0.1", "port": 0 } ] } ] }
JSON
start_target "$TMP/cfg.json" "$TMP/ready" "$TMP/log" || exit 1
tcpdump -i lo -U -s 0 -w "$TMP/s.pcap" "tcp port $PORT" 2>"$TMP/tcpdump.err" &
CAP_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$TMP/tcpdump.err" && break; sleep 0.05; done
grep -q "listening on" "$TMP/tcpdump.err" || { echo "tcpdump cannot capture:"; cat "$TMP/tcpdump.err"; exit 77; }
# Each step says what it is, and if meson's timeout ends the test (a hang,
# seen once in a full sanitizer run with no output at all), the step and
# the target's log are printed on the way out.
CUR=
trap 'echo "killed during: ${CUR:-?}"; echo "--- target log"; tail -n 30 "$TMP/log"; exit 1' TERM
step() {
	CUR="$*"
	echo "== $*"
	"$@" >/dev/null || { echo "FAIL (exit $?): $*"; exit 1; }
}
step "$IDENTIFY" -a 127.0.0.1 -p "$PORT"
step "$IDENTIFY" -a 127.0.0.1 -p "$PORT" -n "$NQN" --hdgst --ddgst
step "$PERF" -a 127.0.0.1 -p "$PORT" -n "$NQN" --rw randrw --bs 4096 --qd 4 --time 0.3 --warmup 0 --hdgst --ddgst
step "$PERF" -a 127.0.0.1 -p "$PORT" -n "$NQN" --rw randrw --bs 65536 --qd 2 --time 0.3 --warmup 0 --hdgst --ddgst
step "$PERF" -a 127.0.0.1 -p "$PORT" -n "$NQN" --rw randrw --bs 16384 --qd 2 --time 0.2 --warmup 0
sleep 0.3
kill -INT $CAP_PID; wait $CAP_PID 2>/dev/null; CAP_PID=
CUR=tshark
echo "== tshark"
# One dissection pass (tshark is the slow part, and it ran eight under a
# loaded sanitizer suite): per frame the PDU types, the digest checks,
# malformed marks and expert severities, then counted here.
TS="tshark -n -r $TMP/s.pcap -d tcp.port==$PORT,nvme-tcp -o nvme-tcp.check_hdgst:TRUE -o nvme-tcp.check_ddgst:TRUE"
$TS -Y 'nvme-tcp || _ws.malformed || _ws.expert' -T fields -E separator='|' \
	-e frame.number -e nvme-tcp.type -e nvme-tcp.hdgst.status -e nvme-tcp.ddgst.status \
	-e _ws.malformed -e _ws.expert.severity >"$TMP/fields" 2>"$TMP/tshark.err" ||
	{ echo "tshark failed:"; cat "$TMP/tshark.err"; exit 1; }
eval "$(awk -F'|' '
	function any(list, want, neg,   n, v, i) {	# any value == want (or != want)
		n = split(list, v, ",")
		for (i = 1; i <= n; i++) if ((v[i] == want) != neg) return 1
		return 0
	}
	$2 != "" { total++; n = split($2, t, ","); for (i = 1; i <= n; i++) seen[t[i]] = 1 }
	$5 != "" { malformed++ }
	$6 != "" { n = split($6, v, ","); for (i = 1; i <= n; i++) if (v[i] + 0 >= 8388608) { experr++; bad[$1] = 1; break } }
	$3 != "" { if (any($3, 1, 0)) goodh++; if (any($3, 1, 1)) badh++ }
	$4 != "" { if (any($4, 1, 0)) goodd++; if (any($4, 1, 1)) badd++ }
	END {
		for (k in seen) types = types k " "
		printf "total=%d malformed=%d experr=%d goodh=%d badh=%d goodd=%d badd=%d types=\"%s\"\n",
			total, malformed, experr, goodh, badh, goodd, badd, types
	}' "$TMP/fields")"
types=$(echo "$types" | tr ' ' '\n' | sort -n | tr '\n' ' ')
echo "nvme-tcp frames: $total; PDU types: $types"
echo "malformed: $malformed expert errors: $experr; hdgst ok $goodh bad $badh; ddgst ok $goodd bad $badd"
rc=0
[ "$total" -gt 100 ] || { echo "too few NVMe/TCP frames"; rc=1; }
[ "$malformed" -eq 0 ] || { echo "malformed PDUs"; $TS -Y '_ws.malformed' | head; rc=1; }
[ "$experr" -eq 0 ] || { echo "expert errors"; $TS -Y '_ws.expert.severity >= "error"' -V | grep -i expert | sort | uniq -c | head; rc=1; }
[ "$badh" -eq 0 ] && [ "$badd" -eq 0 ] || { echo "digests that did not verify"; rc=1; }
[ "$goodh" -gt 0 ] && [ "$goodd" -gt 0 ] || { echo "digests were not verified"; rc=1; }
for t in 0 1 4 5 6 7 9; do
	echo " $types " | grep -q " $t " || { echo "PDU type $t never seen"; rc=1; }
done
exit $rc
