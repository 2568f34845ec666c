#!/bin/bash
# Resync: the card restarted mid-traffic (new epoch) and the agent
# restarted (with a changed filter set, and a rule on the card it never
# asked for): each time the card ends up with exactly the desired set,
# and rules nobody changed keep forwarding.
. "$(dirname "$0")/lib.sh"

{ vf_pair_filters; echo 'tc filter add dev pf0vf0 ingress protocol ip prio 1 handle 2 flower ip_proto udp dst_port 9999 action drop'; } | record set
vf_pair_filters | record smaller
# The card's tc-owned ids, sorted; the agent's hardware ids, sorted.
card_ids() { ctl "$CARD" -j flow list | jq -r '.[] | select(startswith("0000"))' | sort; }
agent_ids() { actl a -j flow list | jq -r '.[] | select(.where == "hardware") | .id' | sort; }
same_sets() {
	[ "$(card_ids)" = "$(agent_ids)" ] && [ -n "$(card_ids)" ] ||
		{ echo "card:"; card_ids; echo "agent:"; agent_ids; fail "$1: card and agent disagree"; }
}

topo=$(topo_one_card)
sim_up "$topo"
agent_start a "$CARD" set
same_sets "start"

step "the card restarts in the middle of a ping stream"
in_ns "${P}vm0" ping -i 0.05 -c 200 -W 1 10.10.0.2 >"$T/ping.log" &
pp=$!
BG_PIDS="${BG_PIDS:-} $pp"	# killed by the cleanup if a check fails first
sleep 1
"$DPU_SIM" -q restart "$topo" "$CARD"
for _ in $(seq 1 100); do
	[ "$(actl a -j status | jq .card_resets)" -ge 1 ] && [ "$(actl a -j status | jq .queued)" = 0 ] && break
	sleep 0.1
done
wait $pp || true
actl a status
[ "$(actl a -j status | jq .card_resets)" -ge 1 ] || fail "the agent did not see the new epoch"
same_sets "after the card restart"
in_ns "${P}vm0" ping -c 3 -i 0.1 -W 1 10.10.0.2 >/dev/null || fail "no forwarding after the resync"
echo "ping stream: $(grep -o '[0-9]* received' "$T/ping.log") of 200 across the restart; card holds the desired set"

step "the agent restarts with one filter fewer, a foreign tc-id rule on the card"
agent_stop a
ctl "$CARD" flow add id 00000000000000997c0000630000002a pattern port pf0vf1 / eth / ipv4 / udp dst is 4444 / end actions drop / end >/dev/null
ctl "$CARD" flow add pattern port pf0 / end actions drop / end >/dev/null	# dpuctl's own: not the agent's
before=$(ctl "$CARD" -j flow list | jq length)
# No count: the ping must span the whole resync, however long it takes
# here; it ends (SIGINT, with its summary) only once the card is repaired.
ip netns exec "${P}vm0" ping -i 0.05 -W 1 10.10.0.2 >"$T/ping2.log" &
pp=$!
BG_PIDS="${BG_PIDS:-} $pp"	# killed by the cleanup if a check fails first
sleep 0.5
agent_start a "$CARD" smaller
same_sets "after the agent restart"
sleep 0.5
kill -INT $pp
wait $pp || true
[ "$(ctl "$CARD" -j flow list | jq length)" = $((4 + 1)) ] ||
	fail "expected the 4 desired rules and dpuctl's own; card holds: $(ctl "$CARD" flow list)"
loss=$(grep -o '[0-9]*% packet loss' "$T/ping2.log")
[ "$loss" = "0% packet loss" ] || fail "unchanged rules stopped forwarding during the resync ($loss)"
echo "card had $before rules; now exactly the 4 desired + dpuctl's; ping across the resync: $loss"
echo "PASS"
