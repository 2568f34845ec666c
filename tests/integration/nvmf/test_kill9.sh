#!/bin/bash
# Data integrity across a target crash: random writes + Flush on a
# file-backed namespace, kill -9 the target, restart it on the same file
# and verify every block written before the Flush.
set -u
DPU_NVMF=$1
INTEGRITY=$2
. "$(dirname "$0")/lib.sh"
TMP=$(mktemp -d)
trap 'stop_target; rm -rf "$TMP"' EXIT
NQN=nqn.2026-01.io.opendpu:kill9
cat >"$TMP/cfg.json" <<JSON
{ "target": { "reactors": 2 },
  "subsystems": [ { "nqn": "$NQN", "allow_any_host": true,
    "namespaces": [ { "nsid": 1, "backend": "file", "path": "$TMP/disk.img",
                      "size": "64M", "block_size": 4096 } ],
    "listeners": [ { "traddr": "127.0.0.1", "port": 0 } ] } ] }
JSON
start_target "$TMP/cfg.json" "$TMP/ready" "$TMP/log1" || exit 1
"$INTEGRITY" write -a 127.0.0.1 -p "$PORT" -n "$NQN" --seed 777 --ops 1500 || { cat "$TMP/log1"; exit 1; }
kill -9 "$TGT_PID"
wait "$TGT_PID" 2>/dev/null
TGT_PID=
start_target "$TMP/cfg.json" "$TMP/ready" "$TMP/log2" || exit 1
"$INTEGRITY" verify -a 127.0.0.1 -p "$PORT" -n "$NQN" --seed 777 --ops 1500 || { cat "$TMP/log2"; exit 1; }
echo "kill -9 after flush: data intact"
