#!/bin/bash
# dpu-nvmf configuration: YAML and JSON load, ephemeral ports are reported,
# errors name the offending field and fail startup.
set -u
DPU_NVMF=$1
IDENTIFY=$2
. "$(dirname "$0")/lib.sh"
TMP=$(mktemp -d)
trap 'stop_target; rm -rf "$TMP"' EXIT
rc=0
cat >"$TMP/ok.yaml" <<YAML
target: { reactors: 1 }
subsystems:
  - nqn: nqn.2026-01.io.opendpu:yaml
    allow_any_host: yes
    namespaces:
      - { backend: ram, size: 8M, block_size: 512 }
      - { backend: file, path: $TMP/f.img, size: 4M }
    listeners: [ { traddr: 127.0.0.1, port: 0 } ]
YAML
start_target "$TMP/ok.yaml" "$TMP/ready" "$TMP/log" || exit 1
out=$("$IDENTIFY" -a 127.0.0.1 -p "$PORT" -n nqn.2026-01.io.opendpu:yaml)
echo "$out" | grep -q "Namespace 1: 16384 blocks of 512" || { echo "YAML ns1 wrong: $out"; rc=1; }
echo "$out" | grep -q "Namespace 2: 1024 blocks of 4096" || { echo "YAML ns2 wrong: $out"; rc=1; }
disc=$("$IDENTIFY" -a 127.0.0.1 -p "$PORT")
echo "$disc" | grep -q "subnqn:  nqn.2026-01.io.opendpu:yaml" || { echo "discovery: $disc"; rc=1; }
stop_target

# A listener reached through a port forward advertises the forwarded address
# (the discovery log), while the bound one still serves.
cat >"$TMP/adv.json" <<JSON
{ "target": { "reactors": 1 },
  "subsystems": [ { "nqn": "nqn.2026-01.io.opendpu:adv", "allow_any_host": true,
    "namespaces": [ { "backend": "ram", "size": "4M" } ],
    "listeners": [ { "traddr": "127.0.0.1", "port": 0,
                     "advertise": { "traddr": "10.0.2.100", "port": 4420 } } ] } ] }
JSON
start_target "$TMP/adv.json" "$TMP/ready" "$TMP/log" || exit 1
disc=$("$IDENTIFY" -a 127.0.0.1 -p "$PORT")
echo "$disc" | grep -q "traddr:  10.0.2.100" && echo "$disc" | grep -q "trsvcid: 4420\$" ||
	{ echo "advertised address not in the discovery log: $disc"; rc=1; }
"$IDENTIFY" -a 127.0.0.1 -p "$PORT" -n nqn.2026-01.io.opendpu:adv | grep -q "Namespace 1:" ||
	{ echo "bound address of an advertised listener does not serve"; rc=1; }
stop_target

bad() { # $1 = config text, $2 = expected message fragment
	printf '%s\n' "$1" >"$TMP/bad.json"
	if "$DPU_NVMF" -c "$TMP/bad.json" >"$TMP/bad.out" 2>&1; then
		echo "accepted bad config: $1"; rc=1
	elif ! grep -q -- "$2" "$TMP/bad.out"; then
		echo "message for '$1' lacks '$2':"; cat "$TMP/bad.out"; rc=1
	fi
}
bad '{"subsystems":[{"nqn":"nqn.2026-01.x:y","namespaces":[{"backend":"tape","size":4096}]}]}' 'backend'
bad '{"subsystems":[{"nqn":"bogus"}]}' 'nqn'
bad '{"subsystems":[{"nqn":"nqn.2026-01.x:y","namespaces":[{"backend":"ram","size":1000}]}]}' 'size_bytes'
bad '{"target":{"max_io_size":12345}}' 'max_io_size'
bad '{"subsystems":[{"nqn":"nqn.2026-01.x:y","listeners":[{"traddr":"not-an-ip","port":0}]}]}' 'traddr'
bad '{"subsystems":[{"nqn":"nqn.2026-01.x:y","listeners":[{"port":0,"advertise":{"traddr":"vm-host"}}]}]}' 'advertise traddr'
bad '{"subsystems":[{"nqn":"nqn.2026-01.x:y","listeners":[{"port":0,"advertise":{"port":4420}}]}]}' 'advertise'
bad '{ not json' 'bad.json'
exit $rc
