#!/usr/bin/env bash
# Installs every Debian package opendpu's build, demo and tests need.
# Idempotent and quiet: only missing packages are installed; details go to
# a log. Run as root on Debian 12.
set -euo pipefail

PACKAGES=(
	# build
	meson ninja-build pkg-config gcc clang libclang-rt-14-dev python3
	# libraries (DESIGN.md "Dependencies")
	libdpdk-dev dpdk libnl-3-dev libnl-route-3-dev libnl-genl-3-dev
	liburing-dev libisal-dev libjson-c-dev libyaml-dev libipsec-mb-dev
	libibverbs-dev librdmacm-dev
	# real peers and tools the tests drive
	iproute2 iputils-ping iperf3 netcat-openbsd tcpdump tshark
	python3-scapy jq procps psmisc util-linux
	# real-kernel tier (tests/vm): QEMU, Debian's stock kernel and its modules
	# (installed into /boot and /lib/modules only; the running kernel is not
	# touched), a static busybox for the initramfs, the tools the guest drives
	qemu-system-x86 linux-image-amd64 busybox-static kmod nvme-cli fio
	openvswitch-switch rdma-core ibverbs-utils ibverbs-providers
)

log=${OPENDPU_SETUP_LOG:-/tmp/opendpu-setup.log}

if [ "$(id -u)" -ne 0 ]; then
	echo "setup: must run as root (apt-get install)" >&2
	exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all ${#PACKAGES[@]} packages present"
	exit 0
fi

echo "setup: installing ${#missing[@]} packages (${missing[*]}); log: $log"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the answer does not
# matter for root, but the question must not block.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections 2>/dev/null || true
if ! { apt-get update -q && apt-get install -y -q "${missing[@]}"; } >>"$log" 2>&1; then
	echo "setup: apt-get failed; last lines of $log:" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
echo "setup: done"
