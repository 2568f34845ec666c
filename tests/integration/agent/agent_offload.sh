#!/bin/bash
# Filters written with real tc (recorded, this kernel has no cls_flower)
# are offloaded by dpu-agent and steer real traffic: redirect between VFs,
# drop, vlan push, a filter that stays in software with its reason; dpuctl
# shows where each filter lives and its hardware counters moving.
. "$(dirname "$0")/lib.sh"

M1=02:10:00:00:00:02
{ vf_pair_filters; cat <<'TC'
tc filter add dev pf0vf0 ingress protocol ip prio 1 handle 2 flower ip_proto udp dst_port 9999 action drop
tc filter add dev pf0vf0 ingress protocol ip prio 2 handle 3 flower ip_proto udp dst_port 7000 action vlan push id 42 priority 5 action mirred egress redirect dev pf0vf1
tc filter add dev pf0vf0 ingress protocol ip prio 3 handle 4 flower skip_hw ip_proto tcp dst_port 22 action drop
TC
} | record set
topo=$(topo_one_card)
step "dpu-sim up, dpu-agent replaying what tc sent"
sim_up "$topo"
agent_start a "$CARD" set
actl a status
actl a flow list
[ "$(actl a -j flow list | jq '[.[] | select(.where == "hardware")] | length')" = 6 ] ||
	fail "expected 6 filters in hardware"
[ "$(actl a -j flow list | jq -r '.[] | select(.prio == 3) | .where')" = software ] ||
	fail "the skip_hw filter is not listed as software"
actl a -j flow list | jq -r '.[] | select(.prio == 3) | .reason' | grep -q skip_hw ||
	fail "the skip_hw filter has no reason"
[ "$(ctl "$CARD" -j flow list | jq length)" = 6 ] || fail "the card does not hold exactly 6 rules"

step "redirect between the VFs"
in_ns "${P}vm0" ping -c 5 -i 0.1 -W 2 10.10.0.2 || fail "ping over tc-offloaded rules"
vf0=$(rec_ifindex set pf0vf0)
n=$(filter_pkts a 10 "$vf0")
[ "$n" -ge 5 ] || fail "redirect filter counted $n packets"
echo "redirect filter: $n packets in hardware"

step "drop"
cap_start vm1 "${P}vm1" eth0 -Q in udp port 9999
send_udp "${P}vm0" 10.10.0.1 $M1 10.10.0.2 9999 30
cap_stop vm1
[ "$(cap_count vm1)" = 0 ] || fail "dropped traffic arrived"
[ "$(filter_pkts a 1 "$vf0")" = 30 ] || fail "drop filter counted $(filter_pkts a 1 "$vf0") of 30"
echo "30 dropped and counted"

step "vlan push"
cap_start vm1 "${P}vm1" eth0 -Q in vlan 42 and udp port 7000
send_udp "${P}vm0" 10.10.0.1 $M1 10.10.0.2 7000 9
cap_stop vm1
[ "$(cap_count vm1)" = 9 ] || fail "vm1 got $(cap_count vm1) of 9 frames tagged 42"
tcpdump -n -e -r "$T/vm1.pcap" 2>/dev/null | head -1 | grep -q "vlan 42, p 5" || fail "tag is not vid 42 pcp 5"
echo "9 frames arrived tagged vid 42 pcp 5"

step "a deleted filter leaves the card"
record del <<'TC'
tc filter del dev pf0vf0 ingress protocol ip prio 1 handle 2 flower
TC
agent_replay a "$T/del/001.bin"
[ "$(ctl "$CARD" -j flow list | jq length)" = 5 ] || fail "the card still holds the deleted rule"
[ "$(actl a -j flow list | jq length)" = 6 ] || fail "the agent did not forget the filter"

# The kernel announces these with one message for many filters (a priority
# without a handle, a chain, the qdisc): none may be left on the card.
step "deleting a whole priority, the ingress qdisc, every filter of a chain"
record flush <<'TC'
tc filter del dev pf0vf0 ingress protocol ip prio 2
tc qdisc del dev pf0vf1 ingress
tc chain del dev pf0vf0 egress chain 0
tc filter del dev pf0vf0 ingress
TC
expect_counts() { # AGENT_FILTERS CARD_RULES WHAT
	[ "$(actl a -j flow list | jq length)" = "$1" ] ||
		fail "$3: the agent holds $(actl a -j flow list | jq length) filters, expected $1"
	[ "$(ctl "$CARD" -j flow list | jq length)" = "$2" ] ||
		fail "$3: the card holds $(ctl "$CARD" -j flow list | jq length) rules, expected $2"
	echo "$3: agent $1 filters, card $2 rules"
}
agent_replay a "$T/flush/001.bin"
expect_counts 5 4 "prio 2 of pf0vf0 deleted"
agent_replay a "$T/flush/002.bin"
expect_counts 3 2 "pf0vf1's ingress qdisc deleted"
agent_replay a "$T/flush/003.bin"
expect_counts 3 2 "chain 0 of pf0vf0's egress deleted (its ingress keeps its filters)"
agent_replay a "$T/flush/004.bin"
expect_counts 0 0 "every filter of pf0vf0 deleted"
in_ns "${P}vm0" ping -c 2 -i 0.1 -W 1 10.10.0.2 >/dev/null 2>&1 &&
	fail "ping still passes with no rule on the card"

# OVS makes an OpenFlow meter a shared police action and names only its
# index in filters: the agent must know the rate from RTM_NEWACTION.
step "a shared police action and a filter naming only its index"
record police <<'TC'
tc actions add action police index 42 rate 8kbit burst 10k conform-exceed drop/pipe
tc filter add dev pf0vf0 ingress protocol ip prio 5 handle 6 flower ip_proto udp dst_port 7100 action police index 42 action mirred egress redirect dev pf0vf1
TC
agent_replay a "$T/police/001.bin"
agent_replay a "$T/police/002.bin"
[ "$(actl a -j flow list | jq -r '.[] | select(.prio == 5) | .where')" = hardware ] ||
	{ actl a flow list; fail "the filter naming police index 42 is not in hardware"; }
[ "$(ctl "$CARD" -j flow list | jq length)" = 1 ] || fail "the card does not hold exactly the police filter"
id=$(actl a -j flow list | jq -r '.[] | select(.prio == 5) | .id')
actl a flow show "$id" | grep -q "meter 42 srtcm cir 1000 cbs 10240" ||
	{ actl a flow show "$id"; fail "the rule sent for it has no meter 42 at 8 kbit/10 KB"; }
# 100 datagrams of 1000 bytes at once against a 10 KB bucket refilled at
# 1000 B/s: ~10 pass however slowly scapy sends.
cap_start vm1 "${P}vm1" eth0 -Q in udp port 7100
send_udp "${P}vm0" 10.10.0.1 $M1 10.10.0.2 7100 100 1000
cap_stop vm1
got=$(cap_count vm1)
[ "$got" -ge 1 ] && [ "$got" -le 30 ] || fail "police index 42 let $got of 100 through (expected ~10)"
echo "police index 42 in hardware: $got of 100 datagrams passed the 10 KB bucket"
echo "PASS"
