#!/bin/bash
# Rules in the card's eSwitch carry real traffic: forwarding between VFs
# (ping, nc, iperf3) with nothing on the representors, exact hit counters,
# drop, VLAN pop/push, mirror to a representor, header rewrite with valid
# checksums, a meter, and a deleted rule's traffic falling back to the
# exception path.  Rules are written with dpuctl flow add (testpmd syntax).
. "$(dirname "$0")/lib.sh"

M0=02:10:00:00:00:01 M1=02:10:00:00:00:02
topo=$(topo_one_card)
step "dpu-sim up"
sim_up "$topo"
add() { ctl "$CARD" flow add "$@" >>"$T/flows.log" || fail "flow add $*"; }

step "forwarding rules between the VFs (priority 10), everything else specific (priority 1)"
add id 1 priority 10 pattern port pf0vf0 / end actions count / port pf0vf1 / end
add id 2 priority 10 pattern port pf0vf1 / end actions count / port pf0vf0 / end
cat "$T/flows.log"
cap_start rep0 "" "${P}pf0vf0" -Q in
cap_start rep1 "" "${P}pf0vf1" -Q in
in_ns "${P}vm0" ping -c 5 -i 0.1 -W 2 10.10.0.2 || fail "ping through the rules"
for ns in "${P}vm0" "${P}vm1"; do	# IPv6 addresses wait for DAD
	for _ in $(seq 1 100); do [ -z "$(in_ns "$ns" ip -6 addr show tentative)" ] && break; sleep 0.1; done
done
in_ns "${P}vm0" ping6 -c 3 -i 0.1 -W 2 fd10::2 || fail "ping6 through the rules"
nc_check "${P}vm0" "${P}vm1" 10.10.0.2 3000000 || fail "nc transfer corrupted"
in_ns "${P}vm1" iperf3 -s -1 -D -p 5201 >/dev/null
sleep 0.3
in_ns "${P}vm0" iperf3 -c 10.10.0.2 -p 5201 -t 1 -J >"$T/iperf.out" || fail "iperf3"
gbps=$(jq '.end.sum_received.bits_per_second / 1e9' "$T/iperf.out")
cap_stop rep0
cap_stop rep1
n=$(( $(cap_count rep0) + $(cap_count rep1) ))
[ "$n" = 0 ] || fail "$n frames reached the representors although rules matched"
echo "ping, ping6, 3 MB nc and iperf3 (${gbps} Gbit/s) over the rules; representors saw nothing"

step "hit counters match what was sent"
add id 3 priority 1 pattern port pf0vf0 / eth / ipv4 / udp dst is 5000 / end actions count / port pf0vf1 / end
send_udp "${P}vm0" 10.10.0.1 $M1 10.10.0.2 5000 37
sleep 0.2
[ "$(flow_pkts "$CARD" 3)" = 37 ] || { ctl "$CARD" flow query; fail "rule 3 counted $(flow_pkts "$CARD" 3), sent 37"; }
echo "37 sent, 37 counted"

step "drop rules drop"
add id 4 priority 1 pattern port pf0vf0 / eth / ipv4 / udp dst is 5001 / end actions count / drop / end
cap_start vm1 "${P}vm1" eth0 udp port 5001
send_udp "${P}vm0" 10.10.0.1 $M1 10.10.0.2 5001 20
cap_stop vm1
[ "$(cap_count vm1)" = 0 ] || fail "dropped traffic arrived"
[ "$(flow_pkts "$CARD" 4)" = 20 ] || fail "drop rule counted $(flow_pkts "$CARD" 4), sent 20"
echo "20 sent, 20 dropped and counted, 0 arrived"

step "mirror to the representor"
add id 5 priority 1 pattern port pf0vf0 / eth / ipv4 / udp dst is 5002 / end actions mirror pf0vf0 representor / port pf0vf1 / end
cap_start vm1 "${P}vm1" eth0 udp port 5002
cap_start rep0 "" "${P}pf0vf0" udp port 5002
send_udp "${P}vm0" 10.10.0.1 $M1 10.10.0.2 5002 7
cap_stop vm1
cap_stop rep0
[ "$(cap_count vm1)" = 7 ] || fail "vm1 got $(cap_count vm1) of 7"
[ "$(cap_count rep0)" = 7 ] || fail "the representor got $(cap_count rep0) mirrored copies of 7"
echo "7 delivered, 7 copies on the representor"

step "header rewrite keeps checksums valid"
add id 6 priority 1 pattern port pf0vf0 / eth / ipv4 / udp dst is 5003 / end actions set_tp_dst port 5004 / set_ipv4_src 10.10.0.9 / port pf0vf1 / end
cap_start vm1 "${P}vm1" eth0 udp
send_udp "${P}vm0" 10.10.0.1 $M1 10.10.0.2 5003 5
cap_stop vm1
"$PY" - "$T/vm1.pcap" <<'PY' || fail "rewritten packets wrong"
import sys
from scapy.all import rdpcap, IP, UDP
pk = [p for p in rdpcap(sys.argv[1]) if UDP in p]
assert len(pk) == 5, f"{len(pk)} packets"
for p in pk:
    assert p[UDP].dport == 5004 and p[IP].src == "10.10.0.9", p.summary()
    ic, uc = p[IP].chksum, p[UDP].chksum
    del p[IP].chksum
    del p[UDP].chksum
    q = p.__class__(bytes(p))
    assert q[IP].chksum == ic and q[UDP].chksum == uc, "checksum not updated"
print("5 rewritten packets: dport 5004, src 10.10.0.9, checksums valid")
PY

step "VLAN: pop towards vm1, push towards vm0"
# (this kernel has no 8021q, so scapy writes and reads the tags)
add id 7 priority 1 pattern port pf0vf0 / eth / vlan vid is 100 / end actions count / of_pop_vlan / port pf0vf1 / end
add id 8 priority 1 pattern port pf0vf1 / eth / ipv4 / udp dst is 5006 / end actions count / of_push_vlan ethertype 0x8100 / of_set_vlan_vid vlan_vid 100 / of_set_vlan_pcp vlan_pcp 3 / port pf0vf0 / end
cap_start vm1 "${P}vm1" eth0 -Q in udp port 5006
cap_start vm0 "${P}vm0" eth0 -Q in vlan 100 and udp port 5006
in_ns "${P}vm0" "$PY" - $M1 <<'PY'
import sys
from scapy.all import Ether, Dot1Q, IP, UDP, Raw, sendp
sendp(Ether(src="02:10:00:00:00:01", dst=sys.argv[1]) / Dot1Q(vlan=100) / IP(src="10.10.0.1", dst="10.10.0.2") /
      UDP(sport=1, dport=5006) / Raw(b"tagged" * 10), iface="eth0", count=4, verbose=False)
PY
send_udp "${P}vm1" 10.10.0.2 $M0 10.10.0.1 5006 6
cap_stop vm1
cap_stop vm0
[ "$(cap_count vm1 vlan)" = 0 ] && [ "$(cap_count vm1 udp port 5006)" = 4 ] || fail "vm1: $(cap_count vm1 vlan) tagged, $(cap_count vm1) frames; expected 4 untagged"
"$PY" - "$T/vm0.pcap" <<'PY' || fail "pushed tags wrong"
import sys
from scapy.all import rdpcap, Dot1Q, UDP
pk = [p for p in rdpcap(sys.argv[1]) if Dot1Q in p and UDP in p and p[UDP].dport == 5006]
assert len(pk) == 6, f"{len(pk)} tagged frames, expected 6"
assert all(p[Dot1Q].vlan == 100 and p[Dot1Q].prio == 3 for p in pk), pk[0].summary()
print("6 frames arrived at vm0 tagged vid 100 pcp 3")
PY
[ "$(flow_pkts "$CARD" 7)" = 4 ] && [ "$(flow_pkts "$CARD" 8)" = 6 ] || fail "vlan rules counted $(flow_pkts "$CARD" 7)/$(flow_pkts "$CARD" 8)"
echo "VLAN 100 popped towards vm1 (4) and pushed towards vm0 (6)"

step "a meter polices"
# 1000 B/s refills about one frame a second: the bound holds however slowly
# scapy sends on a busy machine.
add id 9 priority 1 pattern port pf0vf0 / eth / ipv4 / udp dst is 5005 / end actions meter id 1 cir 1000 cbs 3000 / count / port pf0vf1 / end
cap_start vm1 "${P}vm1" eth0 udp port 5005
send_udp "${P}vm0" 10.10.0.1 $M1 10.10.0.2 5005 100 1000
cap_stop vm1
got=$(cap_count vm1)
[ "$got" -gt 0 ] && [ "$got" -lt 15 ] || fail "meter at 1000 B/s, burst 3000 B let $got of 100 x 1 kB through"
echo "100 x 1 kB at once through a 1000 B/s meter with a 3000 B bucket: $got delivered"

step "a deleted rule's traffic falls back to the representor"
ctl "$CARD" flow del 1 2 >/dev/null || fail "flow del"
cap_start rep0 "" "${P}pf0vf0" udp port 5999
send_udp "${P}vm0" 10.10.0.1 $M1 10.10.0.2 5999 3
cap_stop rep0
[ "$(cap_count rep0)" = 3 ] || fail "representor got $(cap_count rep0) of 3 after the rule went"
ctl "$CARD" flow query
left=$(ctl "$CARD" -j flow list | jq length)
[ "$left" = 7 ] || fail "$left rules left, expected 7"
echo "PASS"
