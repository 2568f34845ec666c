#!/usr/bin/env bash
# Sets up a Debian 12 machine (as root), builds opendpu and runs the main
# job: a simulated card's firmware (dpu-fw, flows into its software
# eSwitch) serving the shared ABI over the shared-memory BAR model and over
# TCP; the host side (dpuctl) doing HELLO and a round of requests, printing
# what was negotiated; then storage configured on the card over the ABI and
# attached by an NVMe/TCP initiator.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
echo "== build (release)"
[ -d build ] || meson setup build --buildtype=release >/dev/null
ninja -C build >/dev/null

run=$(mktemp -d /tmp/opendpu-demo.XXXXXX)
fw_pid=
cleanup() {
	[ -n "$fw_pid" ] && kill "$fw_pid" 2>/dev/null && wait "$fw_pid" 2>/dev/null
	rm -rf "$run"
}
trap cleanup EXIT

echo "== start the card: dpu-fw (shm BAR model + TCP management link)"
./build/dpu-firmware/dpu-fw --name demo0 --state-dir "$run" \
	--listen "shm:$run/demo0.sock" --listen tcp:127.0.0.1:0 \
	2>"$run/fw.log" &
fw_pid=$!
for _ in $(seq 100); do
	# port 0 above: the card logs the TCP port it bound
	tcp=$(sed -n 's/.*listening on \(tcp:.*\)$/\1/p' "$run/fw.log")
	[ -S "$run/demo0.sock" ] && [ -n "$tcp" ] && break
	sleep 0.1
done

dpuctl() { ./build/host-driver/dpuctl "$@"; }

echo "== host: dpuctl status (over shared memory)"
dpuctl -c "shm:$run/demo0.sock" status
echo
echo "== host: dpuctl port list"
dpuctl -c "shm:$run/demo0.sock" port list
echo
echo "== host: a round of requests over shared memory"
dpuctl -c "shm:$run/demo0.sock" selftest
echo
echo "== host: the same over the TCP stream transport"
dpuctl -c "$tcp" selftest | tail -n 1
echo
echo "== host: storage on the card (dpuctl nvmf over the ABI -> the card's NVMe-oF/TCP target)"
nqn=nqn.2026-11.org.opendpu:demo
nvmf_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dpuctl -c "shm:$run/demo0.sock" nvmf subsystem add "$nqn" --allow-any-host
dpuctl -c "shm:$run/demo0.sock" nvmf ns add "$nqn" 1 --ram 64M
dpuctl -c "shm:$run/demo0.sock" nvmf listener add "$nqn" 127.0.0.1 "$nvmf_port"
dpuctl -c "shm:$run/demo0.sock" nvmf subsystem list
echo "-- an NVMe/TCP initiator attaches it:"
./build/nvmeof-target/nvmf-identify -a 127.0.0.1 -p "$nvmf_port" -n "$nqn" | grep -E "Serial|Model|Namespace"
./build/nvmeof-target/nvmf-perf -a 127.0.0.1 -p "$nvmf_port" -n "$nqn" --qd 16 --bs 4096 --rw randread --time 1 | head -n 1
echo
echo "== card log"
cat "$run/fw.log"
