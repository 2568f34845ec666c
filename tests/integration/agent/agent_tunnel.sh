#!/bin/bash
# Two cards, an agent each: OVS-style VXLAN offload written with real tc —
# tunnel_key set + mirred to vxlan_sys_4789 on the VF's representor, and on
# the tunnel netdev a goto chain into enc_* matches with tunnel_key unset +
# mirred to the representor. Real traffic crosses the wire encapsulated
# (tshark) and the filters' hardware counters move.
. "$(dirname "$0")/lib.sh"

MA=02:aa:00:00:00:01 MB=02:bb:00:00:00:01
side() { # LOCAL_IP REMOTE_IP: the filter set of one side
	cat <<TC
tc filter add dev pf0vf0 ingress protocol all prio 1 handle 1 flower action tunnel_key set src_ip $1 dst_ip $2 id 100 dst_port 4789 action mirred egress redirect dev vxlan_sys_4789
tc filter add dev vxlan_sys_4789 ingress protocol all prio 1 handle 1 flower enc_src_ip $2 enc_dst_ip $1 enc_key_id 100 enc_dst_port 4789 action goto chain 1
tc filter add dev vxlan_sys_4789 ingress protocol all chain 1 prio 1 handle 2 flower enc_src_ip $2 enc_dst_ip $1 enc_key_id 100 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev pf0vf0
TC
}
side 192.0.2.1 192.0.2.2 | record a
side 192.0.2.2 192.0.2.1 | record b
topo=$(topo_two_cards)
step "two cards, an agent each"
sim_up "$topo"
agent_start a "${P}a" a --neigh 192.0.2.2=$MB
agent_start b "${P}b" b --neigh 192.0.2.1=$MA
actl a flow list
for t in a b; do
	[ "$(actl $t -j flow list | jq '[.[] | select(.where == "hardware")] | length')" = 3 ] ||
		fail "agent $t: not all 3 filters in hardware"
done

step "traffic through the tunnel"
cap_start wire "${P}w" br0 udp port 4789
in_ns "${P}va" ping -c 5 -i 0.1 -W 2 10.20.0.2 || fail "ping over the tc-offloaded tunnel"
cap_stop wire
n=$(tshark_count "$T/wire.pcap" 'vxlan.vni == 100 && icmp && ip.src == 10.20.0.1')
[ "$n" -ge 5 ] || fail "tshark: $n echo requests inside VXLAN VNI 100 on the wire"
vx=$(rec_ifindex a vxlan_sys_4789)
chain1=$(actl a -j stats | jq -r --argjson i "$vx" '[.[] | select(.ifindex == $i and .chain == 1)][0].packets')
[ "$chain1" -ge 5 ] || fail "decap filter (chain 1) counted $chain1"
echo "tshark: $n pings inside VNI 100; card a's chain-1 decap filter counted $chain1 in hardware"
echo "PASS"
