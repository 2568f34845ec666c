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
set -e
"$IDENTIFY" -a 127.0.0.1 -p "$PORT" >/dev/null
"$IDENTIFY" -a 127.0.0.1 -p "$PORT" -n "$NQN" --hdgst --ddgst >/dev/null
"$PERF" -a 127.0.0.1 -p "$PORT" -n "$NQN" --rw randrw --bs 4096 --qd 4 --time 0.3 --warmup 0 --hdgst --ddgst >/dev/null
"$PERF" -a 127.0.0.1 -p "$PORT" -n "$NQN" --rw randrw --bs 65536 --qd 2 --time 0.3 --warmup 0 --hdgst --ddgst >/dev/null
"$PERF" -a 127.0.0.1 -p "$PORT" -n "$NQN" --rw randrw --bs 16384 --qd 2 --time 0.2 --warmup 0 >/dev/null
set +e
sleep 0.3
kill -INT $CAP_PID; wait $CAP_PID 2>/dev/null; CAP_PID=
TS="tshark -n -r $TMP/s.pcap -d tcp.port==$PORT,nvme-tcp -o nvme-tcp.check_hdgst:TRUE -o nvme-tcp.check_ddgst:TRUE"
total=$($TS -Y nvme-tcp 2>/dev/null | wc -l)
types=$($TS -Y nvme-tcp -T fields -e nvme-tcp.type 2>/dev/null | tr ',' '\n' | sort -u | tr '\n' ' ')
malformed=$($TS -Y '_ws.malformed' 2>/dev/null | wc -l)
experr=$($TS -Y '_ws.expert.severity >= "error"' 2>/dev/null | wc -l)
badh=$($TS -Y 'nvme-tcp.hdgst.status != 1 && nvme-tcp.hdgst.status' -T fields -e frame.number 2>/dev/null | wc -l)
badd=$($TS -Y 'nvme-tcp.ddgst.status != 1 && nvme-tcp.ddgst.status' -T fields -e frame.number 2>/dev/null | wc -l)
goodh=$($TS -Y 'nvme-tcp.hdgst.status == 1' 2>/dev/null | wc -l)
goodd=$($TS -Y 'nvme-tcp.ddgst.status == 1' 2>/dev/null | wc -l)
echo "nvme-tcp frames: $total; PDU types: $types"
echo "malformed: $malformed expert errors: $experr; hdgst ok $goodh bad $badh; ddgst ok $goodd bad $badd"
rc=0
[ "$total" -gt 100 ] || { echo "too few NVMe/TCP frames"; rc=1; }
[ "$malformed" -eq 0 ] || { echo "malformed PDUs"; $TS -Y '_ws.malformed' | head; rc=1; }
[ "$experr" -eq 0 ] || { echo "expert errors"; $TS -Y '_ws.expert.severity >= "error"' -V | grep -i expert | sort | uniq -c | head; rc=1; }
[ "$goodh" -gt 0 ] && [ "$goodd" -gt 0 ] || { echo "digests were not verified"; rc=1; }
for t in 0 1 4 5 6 7 9; do
	echo " $types " | grep -q " $t " || { echo "PDU type $t never seen"; rc=1; }
done
exit $rc
