#!/bin/bash
# A card with no rules is a switchdev NIC with an empty table: what a
# function sends arrives on its representor, what the host sends on a
# representor leaves through the represented port, so a Linux bridge over
# the representors switches in software.  Garbage frames on every port and
# garbage on the ABI socket are refused and counted; forwarding goes on.
. "$(dirname "$0")/lib.sh"

topo=$(topo_one_card)
step "dpu-sim up"
sim_up "$topo"
ip link show "${P}pf0vf0" >/dev/null || fail "representor ${P}pf0vf0 missing"
in_ns "${P}vm0" ip -br addr show eth0 | grep -q 10.10.0.1 || fail "vm0 eth0 not configured"
[ "$(ctl "$CARD" -j port list | jq length)" = 4 ] || fail "port list"

step "a miss reaches the representor"
cap_start rep0 "" "${P}pf0vf0" arp or icmp
if in_ns "${P}vm0" ping -c 3 -i 0.2 -W 1 10.10.0.2 >/dev/null; then
	fail "ping succeeded with no rules and no host switching"
fi
cap_stop rep0
n=$(cap_count rep0 arp and ether src 02:10:00:00:00:01)
[ "$n" -ge 1 ] || fail "no ARP from vm0 on the representor (got $n)"
exc=$(port_stat "$CARD" 2 exceptions)
[ "$exc" -ge "$n" ] || fail "exceptions counter $exc < $n frames seen"
echo "representor saw $n ARP requests; pf0vf0 exceptions=$exc"

step "the host sends on a representor, the function receives"
cap_start vm1 "${P}vm1" eth0 ether src 02:99:00:00:00:99
"$PY" - "${P}pf0vf1" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, Raw, sendp
sendp(Ether(src="02:99:00:00:00:99", dst="02:10:00:00:00:02") / IP(dst="10.10.0.2") /
      UDP(dport=9) / Raw(b"from-the-host" * 4), iface=sys.argv[1], count=5, verbose=False)
PY
cap_stop vm1
n=$(cap_count vm1)
[ "$n" = 5 ] || fail "vm1 received $n of 5 frames sent on its representor"

step "a bridge over the representors switches in software"
ip link add "${P}br" type bridge
ip link set "${P}br" up
ip link set "${P}pf0vf0" master "${P}br"
ip link set "${P}pf0vf1" master "${P}br"
in_ns "${P}vm0" ip neigh flush all	# the failed ping above left FAILED entries
in_ns "${P}vm0" ping -c 3 -i 0.2 -W 2 10.10.0.2 || { in_ns "${P}vm0" ip neigh; bridge link; ctl "$CARD" port stats; fail "ping over the slow path"; }
nc_check "${P}vm0" "${P}vm1" 10.10.0.2 2000000 || fail "nc transfer corrupted"
echo "2 MB over TCP through the exception path: identical"

step "garbage frames on every port are refused and counted"
before=()
for id in 0 1 2 3; do before[$id]=$(port_stat "$CARD" $id rx_errors); done
garbage() { # NS IFACE
	local nsx=()
	[ -n "$1" ] && nsx=(ip netns exec "$1")
	"${nsx[@]}" "$PY" - "$2" <<'PY'
import sys
from scapy.all import Ether, Raw, sendp
bad = [
    Ether(dst="02:10:00:00:00:02", type=0x0800) / Raw(b"\x45\x00\x00"),        # IPv4 header cut
    Ether(dst="02:10:00:00:00:02", type=0x0800) / Raw(b"\x45\x00\xff\xff" + b"\x00" * 40),  # length > frame
    Ether(dst="02:10:00:00:00:02", type=0x0800) / Raw(b"\x42" + b"\x00" * 40), # IHL 8 bytes
    Ether(dst="02:10:00:00:00:02", type=0x86dd) / Raw(b"\x60" + b"\x00" * 10), # IPv6 header cut
    Ether(dst="02:10:00:00:00:02", type=0x8100) / Raw(b"\x00"),                # VLAN tag cut
]
sendp(bad * 4, iface=sys.argv[1], verbose=False)
PY
}
garbage "${P}vm0" eth0
garbage "${P}vm1" eth0
garbage "${P}w" "${CARD}_p0"
garbage "" "${P}pf0"
for id in 0 1 2 3; do
	now=$(port_stat "$CARD" $id rx_errors)
	[ $((now - before[id])) = 20 ] || fail "port $id: rx_errors +$((now - before[id])), expected +20"
done
echo "20 garbage frames refused on each of 4 ports"

step "garbage on the ABI socket is refused and counted"
bad0=$(ctl "$CARD" -j status | jq .bad_msgs)
"$PY" - "$T/$CARD.sock" <<'PY'
import socket, struct, sys
def frame(msg):
    return struct.pack("<II", len(msg), 0) + msg + b"\x00" * (-len(msg) % 8)
def hdr(magic, opcode):  # struct dpu_abi_hdr, 32 bytes (docs/abi.md)
    return struct.pack("<IBBHHHIQII", magic, 1, 0, opcode, 0, 0, 32, 1, 0, 0)
bad_magic = hdr(0x12345678, 1)
bad_opcode = hdr(0x5550444f, 0x7777)
for payload in (b"\xff" * 64,                       # a frame length no card takes
                struct.pack("<II", 40, 0) + b"\x00" * 40,  # frame and message disagree
                frame(bad_magic), frame(bad_opcode)):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    s.sendall(payload)
    s.settimeout(2)
    try:
        s.recv(4096)
    except OSError:
        pass
    s.close()
PY
bad1=$(ctl "$CARD" -j status | jq .bad_msgs)
[ "$bad1" -gt "$bad0" ] || fail "bad_msgs did not move ($bad0 -> $bad1)"
in_ns "${P}vm0" ping -c 2 -i 0.2 -W 2 10.10.0.2 >/dev/null || fail "forwarding stopped after garbage"
echo "bad_msgs $bad0 -> $bad1; the card still forwards"

step "dpu-sim down removes everything"
"$DPU_SIM" -q down "$topo"
! ip link show "${P}pf0vf0" 2>/dev/null || fail "representor left behind"
! ip netns list | grep -q "${P}vm0" || fail "namespace left behind"
ip link del "${P}br" 2>/dev/null || true
echo "PASS"
