#!/usr/bin/env bash
# Storage configured on the card over the ABI: dpuctl nvmf ... -> dpu-fw ->
# its NVMe-oF/TCP target; then a real NVMe/TCP initiator (the userspace
# one; the kernel's is in tests/vm) discovers and identifies it, does I/O,
# and the configuration can be taken apart again. Bad requests are refused
# with a reason and leave the configuration as it was.
set -euo pipefail
fw=$1 ctl=$2 identify=$3 perf=$4
run=$(mktemp -d /tmp/opendpu-storage.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT

"$fw" --name s0 --state-dir "$run" --listen "unix:$run/s0.sock" 2>"$run/fw.log" &
pid=$!
for _ in $(seq 100); do [ -S "$run/s0.sock" ] && break; sleep 0.05; done
ctl() { "$ctl" -c "unix:$run/s0.sock" "$@"; }
nqn=nqn.2026-11.org.opendpu:test-$$
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

echo "--- configure: subsystem, two namespaces, a listener"
ctl status | grep -q nvmf || { echo "card does not offer nvmf"; exit 1; }
ctl nvmf subsystem add "$nqn" --allow-any-host --serial SIM0001
ctl nvmf ns add "$nqn" 1 --ram 64M
ctl nvmf ns add "$nqn" 2 --null 1G --block-size 512
ctl nvmf listener add "$nqn" 127.0.0.1 "$port"
ctl nvmf subsystem list
ctl nvmf ns list "$nqn"
ctl -j nvmf listener list "$nqn" | python3 -c '
import json, sys
l = json.load(sys.stdin)
assert len(l) == 1 and l[0]["traddr"] == "127.0.0.1", l
print("listener ok:", l)'

echo "--- refusals leave the configuration alone"
set +e
ctl nvmf subsystem add "$nqn" 2>"$run/err"; rc=$?
set -e
[ $rc -eq 1 ] && grep -qi "exist" "$run/err" || { echo "duplicate subsystem: rc $rc, $(cat "$run/err")"; exit 1; }
echo "duplicate subsystem refused: $(cat "$run/err")"
set +e
ctl nvmf ns add "$nqn" 1 --ram 1M 2>"$run/err"; rc=$?
set -e
[ $rc -eq 1 ] || { echo "duplicate nsid: rc $rc"; exit 1; }
echo "duplicate nsid refused: $(cat "$run/err")"
[ "$(ctl -j nvmf ns list "$nqn" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 2 ]

echo "--- a real NVMe/TCP initiator attaches the card's storage"
"$identify" -a 127.0.0.1 -p "$port" | tee "$run/disc"
grep -q "$nqn" "$run/disc" || { echo "discovery log lacks $nqn"; exit 1; }
"$identify" -a 127.0.0.1 -p "$port" -n "$nqn" --hdgst --ddgst | tee "$run/id"
grep -q "SIM0001" "$run/id" || { echo "identify lacks the serial"; exit 1; }
"$perf" -a 127.0.0.1 -p "$port" -n "$nqn" --nsid 1 --qd 4 --bs 4096 --rw randwrite --time 1 | tail -n 3

echo "--- take it apart"
ctl nvmf listener del "$nqn" 127.0.0.1 "$port"
ctl nvmf ns del "$nqn" 2
ctl nvmf subsystem del "$nqn"
[ "$(ctl -j nvmf subsystem list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ]
echo "all ok"
