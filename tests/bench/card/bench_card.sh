#!/bin/bash
# card-vf2vf: VF-to-VF TCP throughput and ping latency through the simulated
# card, beside the same measurements over (a) a plain veth pair -- the
# kernel's ceiling -- and (b) Open vSwitch's userspace datapath (a private
# ovsdb-server/ovs-vswitchd in their own network namespace, bridge
# datapath_type=netdev, two port-to-port OpenFlow rules) in its best
# configuration.  Then the card's CPU use when idle.
#
#   bench_card.sh DPU_SIM DPU_FW DPUCTL [secs=5] [pings=1000] [idle=5]
#                 [ovs=afp-tso,afp,tap-tso,tap] [card=1]
#
# ovs= lists the OVS configurations measured: afp-tso / afp (veth pairs whose
# outer ends are AF_PACKET "system" ports, userspace-tso on / off) and
# tap-tso / tap (OVS tap ports moved into the namespaces).  The fastest is
# the throughput reference.  The one with the lowest ping p50 is brought up
# again beside the card and pinged in rounds alternating with the card's:
# on this shared 2-vCPU VM a ping 2 ms after the last mostly measures how
# fast a sleeping thread (and vCPU) wakes, which drifts with what else runs,
# so the two latencies compared are taken over the same seconds.
#
# The last line is the JSON of /work/shared/BENCH.md; the script reports, it
# does not judge (exit 0 when a target is missed, 1 only when it cannot run).
set -uo pipefail

[ $# -ge 3 ] || { echo "usage: $0 DPU_SIM DPU_FW DPUCTL [secs=3] [runs=3] [pings=1000] [idle=5] [ovs=LIST] [card=1]" >&2; exit 2; }
DPU_SIM=$1 DPU_FW=$2 DPUCTL=$3
shift 3
# A single stream on 2 shared CPUs swings by +-20 % from run to run (where
# the scheduler puts sender, receiver and forwarder): every configuration
# gets RUNS streams and reports the median.
SECS=3 RUNS=3 PINGS=1000 IDLE=5 OVS_CONFIGS=afp-tso,afp,tap-tso,tap CARD_ON=1
for a in "$@"; do
	case $a in
	secs=*) SECS=${a#*=} ;;
	runs=*) RUNS=${a#*=} ;;
	pings=*) PINGS=${a#*=} ;;
	idle=*) IDLE=${a#*=} ;;
	ovs=*) OVS_CONFIGS=${a#*=} ;;
	card=*) CARD_ON=${a#*=} ;;
	*) echo "unknown argument: $a" >&2; exit 2 ;;
	esac
done
export DPU_FW
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

P="b$(( $$ % 10000 ))"	# names unique to this run: namespaces, netdevs, card
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-card.XXXXXX")
O="$T/ovs"		# private OVS: db, sockets, pid and log files
CARD="${P}c"
NETNS=()		# namespaces this run created
BG=()			# the background process running now (an iperf3 server)
OVS_UP=0
CARD_UP=0
SEP='--------------------------------------------------------------'

log() { printf '%s\n' "$*"; }
die() { printf 'bench_card: %s\n' "$*" >&2; exit 1; }

ovs_freeze() {	# STOP|CONT our private OVS daemons (if running)
	local f pid
	for f in "$O/vswitchd.pid" "$O/ovsdb-server.pid"; do
		pid=$(cat "$f" 2>/dev/null) && [ -n "$pid" ] && kill -"$1" "$pid" 2>/dev/null
	done
	return 0
}

stop_pidfile() {	# stop_pidfile FILE: the daemon we started, by its pid
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null
}

cleanup() {
	local rc=$?
	set +e
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done
	[ "$CARD_UP" = 1 ] && "$DPU_SIM" -q down "$T/card.json"
	if [ "$OVS_UP" = 1 ]; then
		ovs_freeze CONT	# interrupted while frozen: let it hear the exit
		ovs-appctl -t "$O/vswitchd.ctl" exit --cleanup >/dev/null 2>&1
		stop_pidfile "$O/vswitchd.pid"
		ovs-appctl -t "$O/ovsdb-server.ctl" exit >/dev/null 2>&1
		stop_pidfile "$O/ovsdb-server.pid"
	fi
	for ns in "${NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	if [ $rc -ne 0 ]; then
		for f in "$T"/*.log "$O"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
	fi
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ns_add() { ip netns add "$1" && NETNS+=("$1") && ip -n "$1" link set lo up; }
ns_del() {
	local ns=$1 keep=()
	ip netns del "$ns" 2>/dev/null
	for n in "${NETNS[@]}"; do [ "$n" = "$ns" ] || keep+=("$n"); done
	NETNS=("${keep[@]}")
}
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# ---------------------------------------------------------------- measuring
# iperf3 single TCP stream, CLIENT_NS -> SERVER_NS:IP, prints Gbit/s (or null).
tcp_gbps_once() {
	local cns=$1 sns=$2 ip=$3 tag=$4 spid bps
	# not through in_ns: $! must be iperf3 itself (ip netns exec execs it)
	ip netns exec "$sns" iperf3 -s -1 -p 5201 >"$T/$tag.iperf-s.log" 2>&1 &
	spid=$!
	BG=("$spid")
	for _ in $(seq 1 100); do
		in_ns "$sns" ss -Hltn 'sport = :5201' | grep -q . && break
		sleep 0.05
	done
	in_ns "$cns" timeout $((SECS + 10)) iperf3 -c "$ip" -p 5201 -t "$SECS" -J \
		>"$T/$tag.iperf.json" 2>"$T/$tag.iperf-c.log"
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	BG=()
	bps=$(jq -r '.end.sum_received.bits_per_second // empty' "$T/$tag.iperf.json" 2>/dev/null)
	if [ -z "$bps" ]; then
		echo "  iperf3 failed ($tag): $(jq -r '.error // empty' "$T/$tag.iperf.json" 2>/dev/null)" >&2
		echo null
		return
	fi
	awk -v b="$bps" 'BEGIN { printf "%.2f\n", b / 1e9 }'
}

# The median of RUNS streams (failed runs count as missing).
tcp_gbps() {
	local r v all=()
	for r in $(seq 1 "$RUNS"); do
		v=$(tcp_gbps_once "$@")
		[ "$v" != null ] && all+=("$v")
	done
	[ ${#all[@]} = 0 ] && { echo null; return; }
	printf '%s\n' "${all[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# ping_raw NS IP INTERVAL COUNT FILE: append each echo's RTT in us to FILE
# (ping's per-packet time=, taken from the kernel's receive timestamp).
ping_raw() {
	in_ns "$1" ping -n -c "$4" -i "$3" -W 1 "$2" 2>&1 |
		sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' | awk '{ printf "%.1f\n", $1 * 1000 }' >>"$5"
}
ping_warm() { in_ns "$1" ping -n -q -c 5 -i 0.01 -W 1 "$2" >/dev/null 2>&1; }	# ARP, flow set-up

pct() {	# FILE -> "p50 p99 n" (nearest rank)
	sort -g "$1" | awk '
		{ v[NR] = $1 }
		function q(f,  i) { i = int(f * NR + 0.999999); if (i < 1) i = 1; return v[i] }
		END { if (NR == 0) print "null null 0"; else printf "%.0f %.0f %d\n", q(0.50), q(0.99), NR }'
}

declare -A R	# R[config.tcp|p50|p99|fp50|fp99|n|fn] = value; R[config.desc]

# After iperf3: pings 2 ms apart (each echo finds the forwarding thread
# asleep: wake-up included), then 0.2 ms apart (it is still polling: the
# forwarding cost alone).  LAT=0 leaves the 2 ms pings to the caller.
measure() {	# measure CONFIG DESC CLIENT_NS SERVER_NS SERVER_IP [LAT]
	local c=$1 desc=$2 cns=$3 sns=$4 ip=$5 lat=${6:-1}
	R[$c.desc]=$desc
	R[$c.tcp]=$(tcp_gbps "$cns" "$sns" "$ip" "$c")
	ping_warm "$cns" "$ip"
	if [ "$lat" = 1 ]; then
		ping_raw "$cns" "$ip" 0.002 "$PINGS" "$T/$c.rtt"
		read -r R[$c.p50] R[$c.p99] R[$c.n] < <(pct "$T/$c.rtt")
	fi
	ping_raw "$cns" "$ip" 0.0002 "$PINGS" "$T/$c.fast.rtt"
	read -r R[$c.fp50] R[$c.fp99] R[$c.fn] < <(pct "$T/$c.fast.rtt")
	[ "$lat" = 1 ] && report "$c"
}

report() {	# one line per configuration
	local c=$1
	printf '%-11s %6s Gbit/s  ping 2 ms apart p50 %4s p99 %4s us (%s/%s)  0.2 ms apart p50 %4s p99 %4s us (%s/%s)  %s\n' \
		"$c" "${R[$c.tcp]:--}" "${R[$c.p50]}" "${R[$c.p99]}" "${R[$c.n]}" "$PINGS" \
		"${R[$c.fp50]:--}" "${R[$c.fp99]:--}" "${R[$c.fn]:-0}" "$PINGS" "${R[$c.desc]}"
}

# Two workload namespaces NS0 (10.10.0.1) and NS1 (10.10.0.2) with eth0
# already in them: address and bring up.
addr_pair() {
	in_ns "$1" ip addr add 10.10.0.1/24 dev eth0 && in_ns "$1" ip link set eth0 up &&
	in_ns "$2" ip addr add 10.10.0.2/24 dev eth0 && in_ns "$2" ip link set eth0 up
}

for tool in iperf3 ping jq ss ethtool ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl ovs-appctl ovsdb-tool; do
	command -v "$tool" >/dev/null || die "$tool not found"
done
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
log "card-vf2vf: $(nproc) CPUs, kernel $(uname -r), iperf3 -t $SECS (median of $RUNS streams), $PINGS pings 2 ms and 0.2 ms apart, prefix $P"
log "$SEP"

# ------------------------------------------------- (a) the kernel: veth pair
ns_add "${P}k0" && ns_add "${P}k1" || die "cannot create namespaces"
ip link add eth0 netns "${P}k0" type veth peer name eth0 netns "${P}k1" || die "veth"
addr_pair "${P}k0" "${P}k1" || die "veth addresses"
measure veth "veth pair between two namespaces (kernel)" "${P}k0" "${P}k1" 10.10.0.2
ns_del "${P}k0"; ns_del "${P}k1"

# -------------------------------------- (b) OVS userspace datapath (netdev)
export OVS_RUNDIR="$O" OVS_LOGDIR="$O" OVS_DBDIR="$O" OVS_SYSCONFDIR="$O" OVS_PKGDATADIR=/usr/share/openvswitch
VSCTL=(ovs-vsctl --db="unix:$O/db.sock" --timeout=20)
BR="${P}br"
OVS0="${P}o0" OVS1="${P}o1"	# the workload namespaces on the switch

ovs_start_db() {
	mkdir -p "$O"
	ovsdb-tool create "$O/conf.db" /usr/share/openvswitch/vswitch.ovsschema || return 1
	OVS_UP=1
	ovsdb-server "$O/conf.db" --remote="punix:$O/db.sock" --unixctl="$O/ovsdb-server.ctl" \
		--pidfile="$O/ovsdb-server.pid" -vconsole:off --log-file="$O/ovsdb-server.log" \
		--detach --no-chdir || return 1
	"${VSCTL[@]}" --no-wait init
}

ovs_stop_db() {
	ovs-appctl -t "$O/ovsdb-server.ctl" exit >/dev/null 2>&1
	stop_pidfile "$O/ovsdb-server.pid"
	OVS_UP=0
	ns_del "${P}ov"
}

# The daemon runs in its own namespace ${P}ov, so the datapath's own taps
# (ovs-netdev, the bridge port) never meet another OVS on this host.
# userspace-tso-enable is read at start-up: one daemon per configuration.
ovs_start_switch() {	# TSO(true|false)
	"${VSCTL[@]}" --no-wait set Open_vSwitch . other_config:userspace-tso-enable="$1" || return 1
	in_ns "${P}ov" ovs-vswitchd "unix:$O/db.sock" --unixctl="$O/vswitchd.ctl" \
		--pidfile="$O/vswitchd.pid" -vconsole:off --log-file="$O/vswitchd.log" \
		--detach --no-chdir --disable-system || return 1
	"${VSCTL[@]}" add-br "$BR" -- set bridge "$BR" datapath_type=netdev
}

ovs_flows() {	# port-to-port, both ways
	local a b
	a=$("${VSCTL[@]}" get Interface "$1" ofport) && b=$("${VSCTL[@]}" get Interface "$2" ofport) || return 1
	ovs-ofctl del-flows "unix:$O/$BR.mgmt" &&
	ovs-ofctl add-flow "unix:$O/$BR.mgmt" "in_port=$a,actions=output:$b" &&
	ovs-ofctl add-flow "unix:$O/$BR.mgmt" "in_port=$b,actions=output:$a"
}

ovs_setup() {	# CONFIG (afp-tso | afp | tap-tso | tap): sets R[ovs-CONFIG.desc]
	local c=$1 tso=false kind desc
	case $c in *-tso) tso=true ;; esac
	kind=${c%-tso}
	ns_add "$OVS0" && ns_add "$OVS1" || return 1
	ovs_start_switch "$tso" || return 1
	if [ "$kind" = afp ]; then
		ip link add eth0 netns "$OVS0" type veth peer name "${P}pa" netns "${P}ov" &&
		ip link add eth0 netns "$OVS1" type veth peer name "${P}pb" netns "${P}ov" &&
		ip -n "${P}ov" link set "${P}pa" up && ip -n "${P}ov" link set "${P}pb" up &&
		"${VSCTL[@]}" add-port "$BR" "${P}pa" -- add-port "$BR" "${P}pb" || return 1
		ovs_flows "${P}pa" "${P}pb" || return 1
		# Without userspace TSO an AF_PACKET port can take neither 64 KiB
		# super-frames nor partial checksums: the senders do both.
		if [ "$tso" = false ]; then
			in_ns "$OVS0" ethtool -K eth0 tx off >/dev/null 2>&1
			in_ns "$OVS1" ethtool -K eth0 tx off >/dev/null 2>&1
		fi
		desc="veth pairs, outer ends AF_PACKET system ports"
	elif [ "$kind" = tap ]; then
		"${VSCTL[@]}" add-port "$BR" "${P}ta" -- set Interface "${P}ta" type=tap \
			-- add-port "$BR" "${P}tb" -- set Interface "${P}tb" type=tap || return 1
		ip -n "${P}ov" link set "${P}ta" netns "$OVS0" && in_ns "$OVS0" ip link set "${P}ta" name eth0 &&
		ip -n "${P}ov" link set "${P}tb" netns "$OVS1" && in_ns "$OVS1" ip link set "${P}tb" name eth0 || return 1
		ovs_flows "${P}ta" "${P}tb" || return 1
		desc="tap ports moved into the namespaces"
	else
		log "ovs-$c: unknown configuration"
		return 1
	fi
	addr_pair "$OVS0" "$OVS1" || return 1
	R[ovs-$c.desc]="OVS $(ovs-vswitchd --version | sed -n '1s/.* //p') netdev datapath, userspace-tso=$tso, $desc, 2 port-to-port flows"
}

ovs_teardown() {
	"${VSCTL[@]}" --no-wait --if-exists del-br "$BR"
	ovs-appctl -t "$O/vswitchd.ctl" exit --cleanup >/dev/null 2>&1
	stop_pidfile "$O/vswitchd.pid"
	ns_del "$OVS0"; ns_del "$OVS1"
	ip -n "${P}ov" link del "${P}pa" 2>/dev/null
	ip -n "${P}ov" link del "${P}pb" 2>/dev/null
}

# best OVS configuration for a metric: higher tcp, lower p50/p99
best() {	# METRIC higher|lower -> config name
	local m=$1 dir=$2 c best= bv= v
	for c in "${OVS_MEASURED[@]}"; do
		v=${R[$c.$m]:-null}
		[ "$v" = null ] && continue
		if [ -z "$best" ] || awk -v a="$v" -v b="$bv" -v d="$dir" \
			'BEGIN { exit !(d == "higher" ? a > b : a < b) }'; then
			best=$c bv=$v
		fi
	done
	echo "$best"
}

OVS_MEASURED=()
LREF=		# the OVS configuration pinged beside the card
if [ -n "$OVS_CONFIGS" ]; then
	ns_add "${P}ov" && ovs_start_db || die "cannot start ovsdb-server (see $O/ovsdb-server.log)"
	for c in ${OVS_CONFIGS//,/ }; do
		if ovs_setup "$c"; then
			measure "ovs-$c" "${R[ovs-$c.desc]}" "$OVS0" "$OVS1" 10.10.0.2
			OVS_MEASURED+=("ovs-$c")
		else
			log "ovs-$c: set-up failed"; tail -n 5 "$O/vswitchd.log" 2>/dev/null
		fi
		ovs_teardown
	done
	LREF=$(best p50 lower)
	if [ "$CARD_ON" = 1 ] && [ -n "$LREF" ] && ! ovs_setup "${LREF#ovs-}"; then
		log "$LREF: set-up failed the second time"
		ovs_teardown
		LREF=
	fi
	[ -n "$LREF" ] && [ "$CARD_ON" = 1 ] || ovs_stop_db
fi

# ------------------------------------------------- (c) the simulated card
ctl() { "$DPUCTL" -c "unix:$T/$CARD.sock" "$@"; }

cpu_ticks() {	# utime + stime of a process, all its threads, in clock ticks
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}

flow_add() {	# IN OUT: prints dpuctl's answer, sets FLOW_ID ("flow ID created: ...")
	local out
	FLOW_ID=
	out=$(ctl flow add pattern port "$1" / end actions count / port "$2" / end) || return 1
	log "  $out"
	FLOW_ID=$(sed -n 's/^flow \([0-9a-f]*\) created:.*/\1/p' <<<"$out")
	[ -n "$FLOW_ID" ]
}

# Pings 2 ms apart, in ROUNDS rounds alternating between the card and the
# OVS reference (which goes first alternates too).
ping_interleaved() {
	local rounds=5 n r
	n=$(( (PINGS + rounds - 1) / rounds ))
	[ -n "$LREF" ] && ping_warm "$OVS0" 10.10.0.2
	for r in $(seq 1 $rounds); do
		if [ -n "$LREF" ] && [ $((r % 2)) = 0 ]; then
			ping_raw "$OVS0" 10.10.0.2 0.002 "$n" "$T/ref.rtt"
		fi
		ping_raw "${P}vm0" 10.10.0.2 0.002 "$n" "$T/card.rtt"
		if [ -n "$LREF" ] && [ $((r % 2)) = 1 ]; then
			ping_raw "$OVS0" 10.10.0.2 0.002 "$n" "$T/ref.rtt"
		fi
	done
	read -r R[card.p50] R[card.p99] R[card.n] < <(pct "$T/card.rtt")
	if [ -n "$LREF" ]; then
		R[ref.desc]="${R[$LREF.desc]}; pinged in $rounds rounds alternating with the card"
		read -r R[ref.p50] R[ref.p99] R[ref.n] < <(pct "$T/ref.rtt")
	fi
}

card_phase() {
	local pid id0 id1 t0 t1 c0 c1 q0 q1
	cat >"$T/card.json" <<JSON
{
  "name": "bench-card", "run_dir": "$T",
  "wires": [ { "name": "${P}w", "mtu": 9000 } ],
  "cards": [ {
    "name": "$CARD", "rep_prefix": "$P",
    "uplinks": [ { "wire": "${P}w", "mac": "02:0e:00:00:00:01" } ],
    "vfs": [
      { "netns": "${P}vm0", "ifname": "eth0", "ip": "10.10.0.1/24", "mac": "02:10:00:00:00:01" },
      { "netns": "${P}vm1", "ifname": "eth0", "ip": "10.10.0.2/24", "mac": "02:10:00:00:00:02" }
    ] } ]
}
JSON
	CARD_UP=1
	"$DPU_SIM" up "$T/card.json" >"$T/dpu-sim.log" 2>&1 || { cat "$T/dpu-sim.log"; return 1; }
	pid=$(cat "$T/$CARD.pid") || return 1
	[ "$(ctl -j port list | jq -r '[.[].name] | map(select(. == "pf0vf0" or . == "pf0vf1")) | length')" = 2 ] ||
		{ log "card: no ports pf0vf0/pf0vf1"; ctl port list; return 1; }
	flow_add pf0vf0 pf0vf1 && id0=$FLOW_ID && flow_add pf0vf1 pf0vf0 && id1=$FLOW_ID ||
		{ log "card: dpuctl flow add failed"; return 1; }
	# OVS stays up for the interleaved pings below; frozen meanwhile so
	# its idle polling does not share the CPUs with the card's stream.
	ovs_freeze STOP
	measure card "dpu-sim card, VF to VF through 2 rules (port -> count, port)" \
		"${P}vm0" "${P}vm1" 10.10.0.2 0
	ovs_freeze CONT
	ping_interleaved
	report card
	[ -n "${R[ref.p50]:-}" ] &&
		printf '%-11s beside the card, rounds alternating with it: ping 2 ms apart p50 %4s p99 %4s us (%s/%s)\n' \
			"$LREF" "${R[ref.p50]}" "${R[ref.p99]}" "${R[ref.n]}" "$PINGS"
	q0=$(ctl -j flow query "$id0" | jq -c '.[0] | {packets, bytes}')
	q1=$(ctl -j flow query "$id1" | jq -c '.[0] | {packets, bytes}')
	log "card rules: #$id0 pf0vf0->pf0vf1 $q0, #$id1 pf0vf1->pf0vf0 $q1"
	log "card ports: $(ctl -j port stats | jq -c '[.[] | {port_id, rx_packets, exceptions}]')"
	if [ "$OVS_UP" = 1 ]; then ovs_teardown; ovs_stop_db; fi
	# Idle: no traffic; the dataplane should sleep once its spin window ends.
	sleep 0.5
	c0=$(cpu_ticks "$pid") t0=$(date +%s.%N)
	sleep "$IDLE"
	c1=$(cpu_ticks "$pid") t1=$(date +%s.%N)
	R[card.idle]=$(awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { if (c0 == "" || c1 == "") print "null"; else printf "%.1f\n", (c1 - c0) / hz / (t1 - t0) * 100 }')
	log "card idle: dpu-fw (pid $pid) used ${R[card.idle]}% of one CPU over ${IDLE} s"
	"$DPU_SIM" -q down "$T/card.json"
	CARD_UP=0
}

if [ "$CARD_ON" = 1 ]; then
	log "$SEP"
	# A card that cannot be brought up or take its rules is a bug, not a
	# missed target: the JSON still goes out, then the bench fails.
	card_phase || { log "card: not measured"; CARD_FAILED=1; }
fi

# ------------------------------------------------------------- JSON output
log "$SEP"
j() { [ -n "${1:-}" ] && echo "$1" || echo null; }	# a number or null
ratio() {	# A B -> A/B or null
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "null" || b == "null" || a == "" || b == "" || b + 0 == 0) print "null"; else printf "%.3f\n", a / b }'
}
# A card metric against its OVS reference: the fastest configuration for
# tcp, the interleaved re-measurement (else the lowest) for latencies.
ref_metric() {	# METRIC(tcp|p50|p99) UNIT EXTRA_JSON
	local m=$1 unit=$2 extra=$3 c v rv r how
	v=$(j "${R[card.$m]:-}")
	if [ "$m" = tcp ]; then
		c=$(best tcp higher)
	elif [ -n "${R[ref.$m]:-}" ]; then
		c=ref
	else
		c=$(best "$m" lower)
	fi
	rv=$(j "${c:+${R[$c.$m]}}")
	if [ "$m" = tcp ]; then r=$(ratio "$v" "$rv"); how="ratio = value/reference"
	else r=$(ratio "$rv" "$v"); how="ratio = reference/value"; fi
	printf '{"value": %s, "unit": "%s", "reference": "%s (best of %s; %s)", "reference_value": %s, "ratio": %s%s}' \
		"$v" "$unit" "${c:+${R[$c.desc]}}" "${OVS_MEASURED[*]:-none}" "$how" "$rv" "$r" "$extra"
}
plain() { printf '{"value": %s, "unit": "%s"%s}' "$(j "$1")" "$2" "${3:-}"; }

FAST=', "config": "pings 0.2 ms apart: the forwarding thread does not go to sleep"'
M=()
M+=("\"vf2vf_tcp_gbps\": $(ref_metric tcp Gbit/s ', "target_ratio": 1.0')")
M+=("\"vf2vf_ping_p50_us\": $(ref_metric p50 us ', "target": 32')")
M+=("\"vf2vf_ping_p99_us\": $(ref_metric p99 us '')")
M+=("\"vf2vf_ping_fast_p50_us\": $(plain "${R[card.fp50]:-}" us "$FAST")")
M+=("\"vf2vf_ping_fast_p99_us\": $(plain "${R[card.fp99]:-}" us "$FAST")")
M+=("\"veth_tcp_gbps\": $(plain "${R[veth.tcp]:-}" Gbit/s)")
M+=("\"veth_ping_p50_us\": $(plain "${R[veth.p50]:-}" us)")
M+=("\"veth_ping_p99_us\": $(plain "${R[veth.p99]:-}" us)")
M+=("\"veth_ping_fast_p50_us\": $(plain "${R[veth.fp50]:-}" us "$FAST")")
M+=("\"veth_ping_fast_p99_us\": $(plain "${R[veth.fp99]:-}" us "$FAST")")
for c in "${OVS_MEASURED[@]}"; do
	n=${c//-/_}
	case $n in *_tso) ;; *) n=${n}_notso ;; esac
	cfg=", \"config\": \"${R[$c.desc]}\""
	M+=("\"${n}_tcp_gbps\": $(plain "${R[$c.tcp]}" Gbit/s "$cfg")")
	M+=("\"${n}_ping_p50_us\": $(plain "${R[$c.p50]}" us "$cfg")")
	M+=("\"${n}_ping_p99_us\": $(plain "${R[$c.p99]}" us "$cfg")")
	M+=("\"${n}_ping_fast_p50_us\": $(plain "${R[$c.fp50]}" us ", \"config\": \"${R[$c.desc]}; pings 0.2 ms apart\"")")
done
M+=("\"card_idle_cpu_pct\": $(plain "${R[card.idle]:-}" % ', "target": 5')")
json="{\"bench\": \"card-vf2vf\", \"metrics\": {$(IFS=,; echo "${M[*]}")}}"
echo "$json" | jq -c . 2>/dev/null || { echo "bad JSON: $json" >&2; exit 1; }
[ "${CARD_FAILED:-0}" = 0 ] || exit 1
