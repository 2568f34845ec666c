#!/usr/bin/env bash
# Storage through dpu-agent: `dpuctl -a nvmf ...` -> the agent -> ABI
# storage messages -> dpu-fw's NVMe-oF/TCP target. A real (userspace)
# NVMe/TCP initiator attaches as the one allowed host and writes; then
# the card is killed (-9) and restarted: the agent replays the storage
# configuration and the initiator finds the same namespaces, the file's
# data intact. Then the agent is killed (-9) and the card restarted behind
# its back: the agent's state file brings it all back. Bad requests are
# refused naming the field and change nothing; what dpuctl -c made on the
# card is not the agent's and stays.
fw=$1 ctl=$2 agent=$3 identify=$4 integrity=$5
# $T, step, fail, and the cleanup that kills $BG_PIDS, shows the logs of a
# failed run and fails on a sanitizer report.
. "$(dirname "$0")/../card/lib.sh"
run=$T
fw_pid= agent_pid=

card_start() {
	rm -f "$run/s0.sock"
	"$fw" --name s0 --state-dir "$run" --listen "unix:$run/s0.sock" 2>>"$run/fw.log" &
	fw_pid=$!
	BG_PIDS="${BG_PIDS:-} $!"
	for _ in $(seq 100); do [ -S "$run/s0.sock" ] && return 0; sleep 0.05; done
	fail "dpu-fw did not start"
}
agent_start() {
	: >"$run/devmap"	# no representors: storage only
	"$agent" -c "unix:$run/s0.sock" -s "$run/agent.sock" -S "$run/agent.state" \
		--devmap "$run/devmap" 2>>"$run/agent.log" &
	agent_pid=$!
	BG_PIDS="${BG_PIDS:-} $!"
	for _ in $(seq 100); do [ -S "$run/agent.sock" ] && return 0; sleep 0.05; done
	fail "dpu-agent did not start"
}
actl() { "$ctl" -a"$run/agent.sock" "$@"; }
cctl() { "$ctl" -c "unix:$run/s0.sock" "$@"; }
# expect_fail RC PATTERN cmd...: the command exits RC and says PATTERN
expect_fail() {
	local want=$1 pat=$2 rc=0; shift 2
	"$@" >"$run/out" 2>"$run/err" || rc=$?
	[ "$rc" = "$want" ] || fail "'$*': exit $rc, expected $want: $(cat "$run/err")"
	grep -q -- "$pat" "$run/err" || fail "'$*': no '$pat' in: $(cat "$run/err")"
	echo "refused (exit $rc): $(cat "$run/err")"
}
# One raw request line to the control socket; prints the answer.
raw() {
	python3 - "$run/agent.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.makefile().read().strip())
PY
}
# Wait until the agent has everything on the card again.
wait_replayed() {
	for _ in $(seq 150); do
		[ "$(actl -j status 2>/dev/null | jq -r '.connected and .storage.not_on_card == 0 and .storage.subsystems == 1')" = true ] && return 0
		sleep 0.1
	done
	actl status || true
	fail "$1: the agent did not put the storage configuration back"
}
ns_count() { "$identify" -a 127.0.0.1 -p "$port" -n "$nqn" --hostnqn "$host" | grep -c '^Namespace [0-9]'; }

nqn=nqn.2026-11.org.opendpu:agent-$$
other=nqn.2026-11.org.opendpu:direct-$$
host=nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-0000000000$(printf %02d $(( $$ % 100 )))
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
truncate -s 64M "$run/disk.img"

step "help a newcomer can use; usage errors exit 2 before anything is asked"
"$ctl" nvmf --help | grep -q -- "-a nvmf" || fail "dpuctl nvmf --help does not explain -a"
"$ctl" --help | grep -q "nvmf" || fail "dpuctl --help does not mention nvmf"
expect_fail 2 "one of --ram" "$ctl" -a"$run/nowhere.sock" nvmf ns add "$nqn" 1
expect_fail 2 "NSID" "$ctl" -a"$run/nowhere.sock" nvmf ns add "$nqn" 0 --ram 1M
expect_fail 3 "agent at" "$ctl" -a"$run/nowhere.sock" nvmf subsystem list

step "card + agent up; a subsystem with a RAM and a file namespace, one allowed host, a listener"
card_start
agent_start
actl nvmf subsystem add "$nqn" --serial AGT0001
actl nvmf ns add "$nqn" 1 --ram 32M
actl nvmf ns add "$nqn" 2 --file "$run/disk.img" --block-size 512
actl nvmf host add "$nqn" "$host"
actl nvmf listener add "$nqn" 127.0.0.1 "$port"
actl nvmf subsystem list
actl nvmf ns list "$nqn"
[ "$(cctl -j nvmf ns list "$nqn" | jq length)" = 2 ] || fail "the card does not hold the 2 namespaces"
[ "$(jq '.nvmf.namespaces | length' "$run/agent.state")" = 2 ] || fail "state file: $(cat "$run/agent.state")"
cctl nvmf subsystem add "$other" --allow-any-host	# dpuctl's own, not the agent's

step "bad requests are refused, naming the field; nothing changes"
cp "$run/agent.state" "$run/agent.state.before"
expect_fail 1 "nqn: no subsystem" actl nvmf ns add nqn.2026-11.org.opendpu:unknown 1 --ram 1M
expect_fail 1 "nsid: namespace 2" actl nvmf ns add "$nqn" 2 --ram 1M
expect_fail 1 "nqn: no subsystem '$other'" actl nvmf ns add "$other" 1 --ram 1M
expect_fail 1 "nsid: no namespace 7" actl nvmf ns del "$nqn" 7
expect_fail 1 "nqn: subsystem '$nqn' already exists" actl nvmf subsystem add "$nqn"
# the card's own refusal, with its reason (no such directory)
expect_fail 1 "card: .*namespace add" actl nvmf ns add "$nqn" 3 --file "$run/no/such/dir.img"
a=$(raw '{"nvmf": "ns", "verb": "add", "spec": {"nqn": "'"$nqn"'", "nsid": 1, "backend": "ram", "size_bytes": 4096') ; echo "$a"
echo "$a" | jq -e '.error | test("malformed JSON")' >/dev/null || fail "truncated JSON: $a"
a=$(raw '{"nvmf": "ns", "verb": "add", "spec": {"nqn": "'"$nqn"'", "nsid": 0, "backend": "ram", "size_bytes": 4096}}'); echo "$a"
echo "$a" | jq -e '.field == "nsid" and (.error | startswith("nsid:"))' >/dev/null || fail "nsid 0: $a"
a=$(raw '{"nvmf": "ns", "verb": "add", "spec": {"nqn": "'"$nqn"'", "nsid": 4, "backend": "tape", "size_bytes": 4096}}'); echo "$a"
echo "$a" | jq -e '.field == "backend"' >/dev/null || fail "backend tape: $a"
a=$(raw '{"nvmf": "listener", "verb": "add", "spec": {"nqn": "'"$nqn"'", "traddr": "localhost", "port": 4420}}'); echo "$a"
echo "$a" | jq -e '.field == "traddr"' >/dev/null || fail "traddr localhost: $a"
a=$(raw '{"nvmf": "host", "verb": "add", "spec": {"nqn": "'"$nqn"'", "host_nqn": "h", "colour": "red"}}'); echo "$a"
echo "$a" | jq -e '.field == "colour"' >/dev/null || fail "unknown field: $a"
a=$(raw '[1, 2]'); echo "$a"
echo "$a" | jq -e '.error' >/dev/null || fail "a JSON array: $a"
cmp -s "$run/agent.state" "$run/agent.state.before" || fail "a refused request changed the state file"
[ "$(cctl -j nvmf ns list "$nqn" | jq length)" = 2 ] || fail "a refused request changed the card"
[ "$(actl -j nvmf ns list "$nqn" | jq length)" = 2 ] || fail "a refused request changed the agent"

step "the initiator attaches as the allowed host: both namespaces, I/O on each"
"$identify" -a 127.0.0.1 -p "$port" --hostnqn "$host" | grep -q "$nqn" || fail "discovery does not list $nqn to its host"
"$identify" -a 127.0.0.1 -p "$port" -n "$nqn" --hostnqn "$host" | tee "$run/id1" | grep -E "Serial|^Namespace"
grep -q AGT0001 "$run/id1" || fail "identify lacks the serial"
[ "$(grep -c '^Namespace [0-9]' "$run/id1")" = 2 ] || fail "expected 2 namespaces"
if "$identify" -a 127.0.0.1 -p "$port" -n "$nqn" >/dev/null 2>&1; then
	fail "a host that is not allowed connected"
fi
"$integrity" write -a 127.0.0.1 -p "$port" -n "$nqn" --hostnqn "$host" --nsid 2 --seed 11 --ops 300
"$integrity" write -a 127.0.0.1 -p "$port" -n "$nqn" --hostnqn "$host" --nsid 1 --seed 12 --ops 100

step "kill -9 the card and restart it: the agent replays, the file's data is intact"
kill -9 "$fw_pid"; wait "$fw_pid" 2>/dev/null || true
card_start
wait_replayed "after the card restart"
actl status | grep -E "epoch|storage"
[ "$(actl -j status | jq .card_resets)" -ge 1 ] || fail "the agent did not see the new epoch"
[ "$(ns_count)" = 2 ] || fail "after the card restart: not 2 namespaces"
"$integrity" verify -a 127.0.0.1 -p "$port" -n "$nqn" --hostnqn "$host" --nsid 2 --seed 11 --ops 300
cctl -j nvmf subsystem list | jq -e --arg o "$other" 'map(.nqn) | index($o) == null' >/dev/null ||
	fail "the restarted card should not have dpuctl's subsystem (the agent does not own it)"

step "dpuctl's own subsystem survives an agent restart untouched"
cctl nvmf subsystem add "$other" --allow-any-host
kill "$agent_pid"; wait "$agent_pid" 2>/dev/null || true
agent_start
wait_replayed "after the agent restart"
[ "$(cctl -j nvmf subsystem list | jq length)" = 2 ] || fail "card: $(cctl nvmf subsystem list)"

step "kill -9 the agent, restart the card behind its back, start the agent: its state file"
kill -9 "$agent_pid"; wait "$agent_pid" 2>/dev/null || true
agent_pid=
kill -9 "$fw_pid"; wait "$fw_pid" 2>/dev/null || true
card_start
[ "$(cctl -j nvmf subsystem list | jq length)" = 0 ] || fail "a restarted card should start empty"
agent_start
wait_replayed "after the agent and the card restarted"
actl nvmf ns list "$nqn"
[ "$(ns_count)" = 2 ] || fail "after the agent restart: not 2 namespaces"
"$integrity" verify -a 127.0.0.1 -p "$port" -n "$nqn" --hostnqn "$host" --nsid 2 --seed 11 --ops 300

step "take it apart through the agent"
actl nvmf listener del "$nqn" 127.0.0.1 "$port"
actl nvmf host del "$nqn" "$host"
actl nvmf ns del "$nqn" 1
actl -j nvmf ns list "$nqn" | jq -e 'length == 1 and .[0].nsid == 2' >/dev/null || fail "ns del 1"
actl nvmf subsystem del "$nqn"
[ "$(actl -j nvmf subsystem list | jq length)" = 0 ] || fail "the agent still has a subsystem"
[ "$(jq '.nvmf.subsystems + .nvmf.namespaces | length' "$run/agent.state")" = 0 ] || fail "state file not empty"
[ "$(cctl -j nvmf subsystem list | jq length)" = 0 ] || fail "card: $(cctl nvmf subsystem list)"
echo "PASS"
