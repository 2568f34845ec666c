#!/usr/bin/env bash
# Sets up a Debian 12 machine (as root), builds opendpu and runs the main
# job: a simulated DPU (dpu-sim: two VMs' network namespaces behind the
# card's VFs, representors on the host, dpu-fw serving the ABI) and the host
# agent: tc flower filters written with real `tc` are offloaded by
# dpu-agent, real traffic (ping, iperf3, UDP) crosses the card's eSwitch,
# then where each filter lives (hardware / software and why) with its
# hardware counters, and what went to the exception path. Last, storage: an
# NVMe-oF/TCP subsystem configured through the agent on the same card and
# attached by an NVMe/TCP initiator.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
echo "== build (release)"
[ -d build ] || meson setup build --buildtype=release >/dev/null
ninja -C build >/dev/null
ninja -C build tests/unit/rules/nlcap_shim.so >/dev/null # tc's netlink recorder (not built by default)

topo=sim/topologies/one-card.json
run=/run/opendpu
sim() { ./build/sim/dpu-sim "$@"; }
dpuctl() { ./build/host-driver/dpuctl -c unix:$run/dpu0.sock "$@"; }
agentctl() { ./build/host-driver/dpuctl --agent=$run/agent.sock "$@"; }
agent_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
	sim -q down "$topo" 2>/dev/null || true
	rm -rf "$run/demo-tc"
}
trap cleanup EXIT

echo "== bring up the simulated card ($topo)"
sim -q down "$topo" 2>/dev/null || true
sim up "$topo"
echo
dpuctl status
echo
dpuctl port list
echo
echo "== tc flower filters on the representors (sim/topologies/one-card.tc)"
grep '^tc ' sim/topologies/one-card.tc
# This machine's kernel has no cls_flower, so real tc cannot install them
# here: tc encodes each filter, a preload shim records the netlink request
# it sends, and the agent replays those bytes. The same agent takes them
# live from a kernel that has cls_flower (tests/vm: vm-tc-flower-agent,
# and OVS in vm-ovs-offload).
sh tests/unit/rules/capture.sh build/tests/unit/rules/nlcap_shim.so \
	sim/topologies/one-card.tc "$run/demo-tc" >/dev/null
echo
echo "== dpu-agent: those filters -> the card"
replays=()
for f in "$run"/demo-tc/*.bin; do replays+=(--replay "$f"); done
# -S '': the demo's storage config lives in memory only (a real agent keeps
# it in a state file across its restarts; docs/agent.md).
./build/host-driver/dpu-agent -c unix:$run/dpu0.sock -s $run/agent.sock -S '' \
	--devmap "$run/demo-tc/devmap" "${replays[@]}" 2>$run/agent.log &
agent_pid=$!
for _ in $(seq 1 100); do [ -S $run/agent.sock ] && break; sleep 0.1; done
agentctl status
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
print("sent 25 UDP datagrams to port 9999 (the drop filter takes them)")
PY
sleep 0.2
echo
echo "== where each filter lives, with its hardware counters (dpuctl -a stats)"
agentctl stats
echo
echo "== per-port counters: hw_hits went through rules, exceptions reached the representor"
dpuctl -j port stats | jq -r '(["port","rx_pkts","hw_hits","exceptions","tx_pkts"] | @tsv),
  (.[] | [.port_id, .rx_packets, .hw_hits, .exceptions, .tx_packets] | @tsv)' | column -t
echo
echo "== storage on the same card (dpuctl -a nvmf -> the agent -> ABI -> the card's NVMe-oF/TCP target)"
nqn=nqn.2026-11.org.opendpu:demo
nvmf_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
agentctl nvmf subsystem add "$nqn" --allow-any-host
agentctl nvmf ns add "$nqn" 1 --ram 64M
agentctl nvmf listener add "$nqn" 127.0.0.1 "$nvmf_port"
agentctl nvmf ns list "$nqn"
./build/nvmeof-target/nvmf-identify -a 127.0.0.1 -p "$nvmf_port" -n "$nqn" | grep -E "Serial|Model|Namespace"
./build/nvmeof-target/nvmf-perf -a 127.0.0.1 -p "$nvmf_port" -n "$nqn" --qd 16 --bs 4096 --rw randread --time 1 | head -n 1
echo
echo "== done: 'dpu-sim down $topo' ran on exit; bring it up again with ./build/sim/dpu-sim up $topo"
