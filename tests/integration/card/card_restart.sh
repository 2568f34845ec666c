#!/bin/bash
# Firmware restart mid-traffic: the card's netdevs stay (as PCIe functions
# do), traffic resumes, and the host side sees the new epoch: the event
# stream reconnects and reports the restart, so a host knows to resync.
. "$(dirname "$0")/lib.sh"

topo=$(topo_one_card)
step "dpu-sim up; host switches between the representors"
sim_up "$topo"
ip link add "${P}br" type bridge
ip link set "${P}br" up
ip link set "${P}pf0vf0" master "${P}br"
ip link set "${P}pf0vf1" master "${P}br"
in_ns "${P}vm0" ping -c 2 -i 0.2 -W 2 10.10.0.2 >/dev/null || fail "no traffic before the restart"
epoch0=$(ctl "$CARD" -j status | jq .epoch)
if0=$(in_ns "${P}vm0" cat /sys/class/net/eth0/ifindex)
rep0=$(cat "/sys/class/net/${P}pf0vf0/ifindex")

step "restart the firmware while a ping runs and a host listens for events"
ctl "$CARD" events 60 >"$T/events.txt" 2>&1 &
evpid=$!
in_ns "${P}vm0" ping -i 0.05 -c 120 -W 1 10.10.0.2 >"$T/ping.txt" 2>&1 &
pingpid=$!
sleep 1
"$DPU_SIM" restart "$topo" "$CARD"
wait $pingpid || true
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$T/ping.txt")
echo "ping across the restart: $received of 120 replies"
[ "${received:-0}" -gt 60 ] || fail "traffic did not resume after the restart"

step "the host saw the new epoch"
epoch1=$(ctl "$CARD" -j status | jq .epoch)
[ "$epoch1" -gt "$epoch0" ] || fail "epoch $epoch0 -> $epoch1"
for _ in $(seq 1 100); do grep -q 'firmware restart' "$T/events.txt" && break; sleep 0.1; done
kill $evpid 2>/dev/null || true
cat "$T/events.txt"
grep -q "epoch $epoch0 -> $epoch1 (firmware restart)" "$T/events.txt" ||
	fail "no restart event with epoch $epoch0 -> $epoch1"

step "netdevs survived: same ifindex, same addresses"
[ "$(in_ns "${P}vm0" cat /sys/class/net/eth0/ifindex)" = "$if0" ] || fail "vm0 eth0 was recreated"
[ "$(cat "/sys/class/net/${P}pf0vf0/ifindex")" = "$rep0" ] || fail "representor was recreated"
in_ns "${P}vm0" ip -br addr show eth0 | grep -q 10.10.0.1 || fail "vm0 lost its address"
ip link del "${P}br"
echo "PASS"
