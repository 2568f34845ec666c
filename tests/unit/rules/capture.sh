#!/bin/sh
# Run every `tc ...` line of a corpus under the netlink capture shim, in a
# throwaway network namespace whose devices stand in for a card's ports.
#
# Usage: capture.sh SHIM CORPUS OUTDIR
# Writes OUTDIR/NNN.bin (the raw netlink request of command NNN, 1-based),
# OUTDIR/NNN.rc (tc's exit code) and OUTDIR/devmap ("ifindex name" lines).
set -euf
shim=$1 corpus=$2 out=$3
ns=dpurules$$
tc_bin=$(command -v tc)

cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

rm -rf "$out"
mkdir -p "$out"
ip netns add "$ns"
nsx() { ip netns exec "$ns" "$@"; }

# Representors of the uplink (p0) and three VFs; a tunnel netdev of each
# kind OVS creates; one netdev that is not the card's. The kernel here has
# no dummy or geneve drivers: veth and ifb do as well, since tc only needs
# a name to resolve and the test's port resolver decides what each one is.
for d in p0 pf0vf0 pf0vf1 pf0vf2; do
	nsx ip link add "$d" type veth peer name "${d}_peer"
done
nsx ip link add vxlan_sys_4789 type vxlan dstport 4789 external
nsx ip link add genev_sys_6081 type ifb
nsx ip link add host0 type ifb
nsx ip -o link show | sed -n 's/^\([0-9]*\): \([^:@]*\)[:@].*/\1 \2/p' \
	>"$out/devmap"

n=0
grep -v '^[[:space:]]*#' "$corpus" | grep '^tc ' | while IFS= read -r line; do
	n=$((n + 1))
	f=$(printf '%s/%03d' "$out" "$n")
	# The corpus is ours, so word splitting of the line is intended.
	# shellcheck disable=SC2086
	set +e
	nsx env LD_PRELOAD="$shim" DPU_NLCAP_FILE="$f.bin" \
		"$tc_bin" ${line#tc } >"$f.log" 2>&1
	echo $? >"$f.rc"
	set -e
done
