#!/usr/bin/env bash
# Sets up a Debian 12 machine (as root), builds opendpu and runs the main
# job: a simulated DPU (dpu-sim: two VMs' network namespaces behind the
# card's VFs, representors on the host, dpu-fw serving the ABI), rules
# installed over the ABI with dpuctl, real traffic (ping, iperf3) through
# the card's eSwitch, then per-rule hardware counters and what went to the
# exception path. Last, storage: an NVMe-oF/TCP subsystem configured on the
# same card over the ABI and attached by an NVMe/TCP initiator.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
echo "== build (release)"
[ -d build ] || meson setup build --buildtype=release >/dev/null
ninja -C build >/dev/null

topo=sim/topologies/one-card.json
sim() { ./build/sim/dpu-sim "$@"; }
dpuctl() { ./build/host-driver/dpuctl -c unix:/run/opendpu/dpu0.sock "$@"; }
cleanup() { sim -q down "$topo" 2>/dev/null || true; }
trap cleanup EXIT

echo "== bring up the simulated card ($topo)"
sim -q down "$topo" 2>/dev/null || true
sim up "$topo"
echo
dpuctl status
echo
dpuctl port list
echo
echo "== install rules over the ABI (sim/topologies/one-card.rules)"
grep -v '^#' sim/topologies/one-card.rules
dpuctl flow load sim/topologies/one-card.rules
echo
echo "== traffic between vm0 (10.10.0.1) and vm1 (10.10.0.2) through the card"
ip netns exec vm0 ping -c 5 -i 0.2 10.10.0.2 | tail -n 2
ip netns exec vm1 iperf3 -s -1 -D >/dev/null
sleep 0.3
ip netns exec vm0 iperf3 -c 10.10.0.2 -t 3 | grep -E 'sender|receiver'
ip netns exec vm0 /usr/bin/python3 - <<'PY'
from scapy.all import Ether, IP, UDP, Raw, sendp, get_if_hwaddr
sendp(Ether(src=get_if_hwaddr("eth0"), dst="02:10:00:00:00:02") / IP(src="10.10.0.1", dst="10.10.0.2") /
      UDP(dport=9999) / Raw(b"blocked" * 8), iface="eth0", count=25, verbose=False)
print("sent 25 UDP datagrams to port 9999 (rule 5 drops them)")
PY
sleep 0.2
echo
echo "== per-rule hardware counters (dpuctl flow query)"
dpuctl flow query
echo
echo "== per-port counters: hw_hits went through rules, exceptions reached the representor"
dpuctl -j port stats | jq -r '(["port","rx_pkts","hw_hits","exceptions","tx_pkts"] | @tsv),
  (.[] | [.port_id, .rx_packets, .hw_hits, .exceptions, .tx_packets] | @tsv)' | column -t
echo
echo "== storage on the same card (dpuctl nvmf over the ABI -> the card's NVMe-oF/TCP target)"
nqn=nqn.2026-11.org.opendpu:demo
nvmf_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dpuctl nvmf subsystem add "$nqn" --allow-any-host
dpuctl nvmf ns add "$nqn" 1 --ram 64M
dpuctl nvmf listener add "$nqn" 127.0.0.1 "$nvmf_port"
./build/nvmeof-target/nvmf-identify -a 127.0.0.1 -p "$nvmf_port" -n "$nqn" | grep -E "Serial|Model|Namespace"
./build/nvmeof-target/nvmf-perf -a 127.0.0.1 -p "$nvmf_port" -n "$nqn" --qd 16 --bs 4096 --rw randread --time 1 | head -n 1
echo
echo "== done: 'dpu-sim down $topo' ran on exit; bring it up again with ./build/sim/dpu-sim up $topo"
