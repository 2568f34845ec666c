#!/bin/bash
# Descriptor exhaustion: with a tiny RLIMIT_NOFILE, a flood of idle TCP
# connections must neither wedge the target nor make it spin; once they
# go away a real host connects normally.
set -u
DPU_NVMF=$1
IDENTIFY=$2
. "$(dirname "$0")/lib.sh"
TMP=$(mktemp -d)
trap 'stop_target; rm -rf "$TMP"' EXIT
cat >"$TMP/cfg.json" <<JSON
{ "target": { "reactors": 1 },
  "subsystems": [ { "nqn": "nqn.2026-01.io.opendpu:fd", "allow_any_host": true,
    "namespaces": [ { "backend": "null", "size": "1M" } ],
    "listeners": [ { "traddr": "127.0.0.1", "port": 0 } ] } ] }
JSON
OLD=$(ulimit -Sn)
ulimit -Sn 48
start_target "$TMP/cfg.json" "$TMP/ready" "$TMP/log" || exit 1
ulimit -Sn "$OLD"
T0=$(awk '{print $14+$15}' /proc/$TGT_PID/stat)
python3 - "$PORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
socks = []
for _ in range(120):
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    socks.append(s)
time.sleep(1.0)
for s in socks:
    s.close()
PY
T1=$(awk '{print $14+$15}' /proc/$TGT_PID/stat)
sleep 0.5
rc=0
# 1 s with 120 pending connections: a spinning accept loop would burn ~100 ticks
[ $((T1 - T0)) -lt 50 ] || { echo "target burnt $((T1 - T0)) ticks while out of descriptors"; rc=1; }
"$IDENTIFY" -a 127.0.0.1 -p "$PORT" -n nqn.2026-01.io.opendpu:fd >/dev/null || { echo "target unusable after EMFILE"; cat "$TMP/log"; rc=1; }
grep -q "dropping a connection" "$TMP/log" || { echo "no EMFILE shedding logged"; rc=1; }
exit $rc
