#!/bin/bash
# Two cards on one wire: each VF's traffic is encapsulated by its card
# (VXLAN, then Geneve with an option) and decapsulated by the other.
# tshark on the wire confirms the encapsulation; ping, nc and iperf3 run
# inside the tunnel; counters on both cards match.
. "$(dirname "$0")/lib.sh"

A="${P}a" B="${P}b"
MA=02:aa:00:00:00:01 MB=02:bb:00:00:00:01	# uplink MACs (the outer Ethernet)
topo=$(topo_two_cards)
step "dpu-sim up (two cards, one wire)"
sim_up "$topo"
add() { local c=$1; shift; ctl "$c" flow add "$@" >>"$T/flows.log" || fail "$c: flow add $*"; }

tunnel_rules() { # KIND(vxlan|geneve) VNI [encap extras]
	local kind=$1 vni=$2; shift 2
	ctl "$A" flow flush >/dev/null; ctl "$B" flow flush >/dev/null
	add "$A" id 1 pattern port pf0vf0 / end actions count / ${kind}_encap vni "$vni" src 192.0.2.1 dst 192.0.2.2 eth_src $MA eth_dst $MB "$@" / port p0 / end
	add "$A" id 2 pattern port p0 / eth / ipv4 src is 192.0.2.2 dst is 192.0.2.1 / udp / "$kind" vni is "$vni" / end actions count / tunnel_decap / port pf0vf0 / end
	add "$B" id 1 pattern port pf0vf0 / end actions count / ${kind}_encap vni "$vni" src 192.0.2.2 dst 192.0.2.1 eth_src $MB eth_dst $MA "$@" / port p0 / end
	add "$B" id 2 pattern port p0 / eth / ipv4 src is 192.0.2.1 dst is 192.0.2.2 / udp / "$kind" vni is "$vni" / end actions count / tunnel_decap / port pf0vf0 / end
}

traffic() { # LABEL CAPTURE_PORT: ping and nc captured on the wire, iperf3 not
	cap_start wire "${P}w" br0 udp port "$2"
	in_ns "${P}va" ip neigh flush all
	in_ns "${P}va" ping -c 5 -i 0.1 -W 2 10.20.0.2 || fail "$1: ping through the tunnel"
	nc_check "${P}va" "${P}vb" 10.20.0.2 2000000 || fail "$1: nc transfer corrupted"
	cap_stop wire
	in_ns "${P}vb" iperf3 -s -1 -D -p 5201 >/dev/null
	sleep 0.3
	in_ns "${P}va" iperf3 -c 10.20.0.2 -p 5201 -t 1 -J >"$T/iperf.out" || fail "$1: iperf3"
	echo "$1: ping, 2 MB nc, iperf3 $(jq '.end.sum_received.bits_per_second / 1e9 | . * 100 | floor / 100' "$T/iperf.out") Gbit/s"
}

step "VXLAN VNI 100"
tunnel_rules vxlan 100
traffic vxlan 4789
n=$(tshark_count "$T/wire.pcap" 'vxlan.vni == 100 && icmp && ip.src == 10.20.0.1')
[ "$n" -ge 5 ] || fail "tshark: $n ICMP echo requests from 10.20.0.1 inside VXLAN VNI 100 on the wire"
bad=$(tshark_count "$T/wire.pcap" '!vxlan || _ws.malformed || _ws.expert.severity >= error')
[ "$bad" = 0 ] || { tshark -r "$T/wire.pcap" -Y '!vxlan || _ws.malformed || _ws.expert.severity >= error' -T fields -e frame.number -e _ws.col.Info -e _ws.expert.message 2>/dev/null | head; fail "$bad frames on the wire are not clean VXLAN"; }
echo "tshark: $(tshark -r "$T/wire.pcap" 2>/dev/null | wc -l) frames on the wire, all VXLAN VNI 100, pings inside"
for c in "$A" "$B"; do
	e=$(flow_pkts "$c" 1) d=$(flow_pkts "$c" 2)
	[ "$e" -gt 0 ] && [ "$d" -gt 0 ] || fail "$c: encap/decap counters $e/$d"
done
pa=$(flow_pkts "$A" 1) pb=$(flow_pkts "$B" 2)
echo "card a encapsulated $pa, card b decapsulated $pb"

step "a packet with the wrong VNI misses and reaches the uplink representor"
cap_start rep "" "${B}p0" -Q in udp port 4789
in_ns "${P}w" "$PY" - <<'PY'
from scapy.all import Ether, IP, UDP, Raw, sendp
from scapy.layers.vxlan import VXLAN
sendp(Ether(src="02:aa:00:00:00:01", dst="02:bb:00:00:00:01") / IP(src="192.0.2.1", dst="192.0.2.2") /
      UDP(sport=1234, dport=4789) / VXLAN(vni=999) / Ether() / IP(dst="10.20.0.2") / Raw(b"x" * 20),
      iface="br0", count=3, verbose=False)
PY
cap_stop rep
n=$(tshark_count "$T/rep.pcap" 'vxlan.vni == 999')
[ "$n" = 3 ] || fail "uplink representor got $n of 3 unknown-VNI frames"
echo "3 frames with VNI 999 went to ${B}p0"

step "Geneve VNI 200 with an option"
tunnel_rules geneve 200 opt 0102:80:00112233
traffic geneve 6081
n=$(tshark_count "$T/wire.pcap" 'geneve.vni == 200 && geneve.option.class == 0x0102 && icmp && ip.src == 10.20.0.1')
[ "$n" -ge 5 ] || fail "tshark: $n ICMP echo requests inside Geneve VNI 200 with option class 0x0102"
bad=$(tshark_count "$T/wire.pcap" '!geneve || _ws.malformed || _ws.expert.severity >= error')
[ "$bad" = 0 ] || { tshark -r "$T/wire.pcap" -Y '!geneve || _ws.malformed || _ws.expert.severity >= error' -T fields -e frame.number -e _ws.col.Info -e _ws.expert.message 2>/dev/null | head; fail "$bad frames on the wire are not clean Geneve"; }
echo "tshark: all frames on the wire Geneve VNI 200 with option 0102:80, pings inside"
echo "PASS"
