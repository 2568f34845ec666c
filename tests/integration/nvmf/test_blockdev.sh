#!/bin/bash
# Block-device namespace (O_DIRECT through io_uring) on a loop device:
# random write/verify, Flush, kill -9, restart, verify. Skips (77) where
# loop devices cannot be set up.
set -u
DPU_NVMF=$1
INTEGRITY=$2
. "$(dirname "$0")/lib.sh"
TMP=$(mktemp -d)
LOOP=
trap 'stop_target; [ -n "$LOOP" ] && losetup -d "$LOOP"; rm -rf "$TMP"' EXIT
truncate -s 64M "$TMP/backing.img"
LOOP=$(losetup -f --show "$TMP/backing.img" 2>/dev/null) || { echo "no loop devices"; LOOP=; exit 77; }
NQN=nqn.2026-01.io.opendpu:blockdev
cat >"$TMP/cfg.json" <<JSON
{ "subsystems": [ { "nqn": "$NQN", "allow_any_host": true,
    "namespaces": [ { "nsid": 1, "backend": "file", "path": "$LOOP", "block_size": 4096 } ],
    "listeners": [ { "traddr": "127.0.0.1", "port": 0 } ] } ] }
JSON
start_target "$TMP/cfg.json" "$TMP/ready" "$TMP/log" || exit 1
"$INTEGRITY" write -a 127.0.0.1 -p "$PORT" -n "$NQN" --seed 99 --ops 800 || { cat "$TMP/log"; exit 1; }
kill -9 "$TGT_PID"; wait "$TGT_PID" 2>/dev/null; TGT_PID=
start_target "$TMP/cfg.json" "$TMP/ready" "$TMP/log2" || exit 1
"$INTEGRITY" verify -a 127.0.0.1 -p "$PORT" -n "$NQN" --seed 99 --ops 800 || { cat "$TMP/log2"; exit 1; }
