#!/usr/bin/env bash
# dpu-fw and dpuctl as separate processes over each transport: HELLO, a
# round of requests (dpuctl selftest checks every answer), JSON output
# parses, a garbage frame is rejected and counted while the card keeps
# serving, and a restarted card comes back with a higher epoch.
set -euo pipefail
fw=$1 ctl=$2
run=$(mktemp -d /tmp/opendpu-fwtest.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT

start_fw() {
	: >"$run/fw.log"
	"$fw" --name t0 --state-dir "$run" --listen "shm:$run/t0.sock" \
		--listen "unix:$run/t0.stream" --listen "tcp:127.0.0.1:0" \
		2>>"$run/fw.log" &
	pid=$!
	for _ in $(seq 100); do
		# port 0: the card says which port it bound
		port=$(sed -n 's/.*listening on tcp:127.0.0.1:\([0-9]*\)$/\1/p' "$run/fw.log" | tail -n 1)
		[ -S "$run/t0.sock" ] && [ -S "$run/t0.stream" ] && [ -n "$port" ] && return 0
		sleep 0.05
	done
	echo "dpu-fw did not come up:"; cat "$run/fw.log"; exit 1
}

start_fw
for addr in "shm:$run/t0.sock" "unix:$run/t0.stream" "tcp:127.0.0.1:$port"; do
	echo "--- selftest over $addr"
	"$ctl" -c "$addr" selftest
done

echo "--- a card without flow hardware (--hal none) keeps records only"
"$fw" --name t1 --hal none --state-dir "$run" --listen "unix:$run/t1.stream" 2>>"$run/fw1.log" &
pid1=$!
for _ in $(seq 100); do [ -S "$run/t1.stream" ] && break; sleep 0.05; done
"$ctl" -c "unix:$run/t1.stream" selftest | tail -n 1
kill "$pid1"; wait "$pid1" 2>/dev/null || true

echo "--- JSON status parses and reports the negotiated version"
"$ctl" -c "shm:$run/t0.sock" -j status | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["abi_major"] == 1, s
assert "flow" in s["features"], s
print("status ok: epoch", s["epoch"], "features", s["features"])'

echo "--- garbage on the stream link is rejected, counted, card keeps serving"
python3 - "$run/t0.stream" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
# Stream frames: u32 length, u32 zero tag, the message (docs/abi.md).
bad = struct.pack("<IBBHHHIQII", 0xdeadbeef, 1, 0, 1, 0, 0, 32, 7, 0, 0)
s.sendall(struct.pack("<II", len(bad), 0) + bad)
s.settimeout(5)
resp = b""
while len(resp) < 8 + 32:
    chunk = s.recv(4096)
    assert chunk, "card closed the link instead of answering a bad message"
    resp += chunk
status, = struct.unpack_from("<H", resp, 8 + 10)
assert status == 2, f"expected E_MAGIC (2), got {status}"
detail = resp[8 + 32 + 8:].split(b"\0")[0].decode()
print("bad magic answered with E_MAGIC:", detail)
# A frame whose length lies: the card must drop this link, nothing else.
s.sendall(struct.pack("<II", 1 << 30, 0))
s.settimeout(5)
assert s.recv(4096) == b"", "card kept a link whose framing lied"
s.close()
print("lying frame length: link closed")
PY
"$ctl" -c "shm:$run/t0.sock" -j status | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["bad_msgs"] >= 1, s
print("card still serving; bad_msgs =", s["bad_msgs"])'

echo "--- restart: the epoch moves on"
e1=$("$ctl" -c "shm:$run/t0.sock" -j status | python3 -c 'import json,sys; print(json.load(sys.stdin)["epoch"])')
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
start_fw
e2=$("$ctl" -c "shm:$run/t0.sock" -j status | python3 -c 'import json,sys; print(json.load(sys.stdin)["epoch"])')
echo "epoch $e1 -> $e2"
[ "$e2" -gt "$e1" ]

echo "--- dpuctl exit codes"
set +e
"$ctl" -c "unix:$run/nothing.sock" status 2>/dev/null; [ $? -eq 3 ] || { echo "unreachable card: want exit 3"; exit 1; }
"$ctl" -c "shm:$run/t0.sock" bogus 2>/dev/null; [ $? -eq 2 ] || { echo "unknown command: want exit 2"; exit 1; }
set -e
echo "all ok"
