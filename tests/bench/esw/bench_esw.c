/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eSwitch benchmark (suite 'esw').  One process, one pinned core:
 *  - exact-match lookups/s with 1K, 100K, 1M rules, and 1K wildcard rules
 *    over 8 masks, beside rte_hash_lookup_bulk_data on the same keys;
 *  - packets/s through the eSwitch (parse + lookup + actions) from a
 *    net_pcap port (100K distinct 64-byte flows, infinite_rx) to a
 *    net_null port, beside plain io forwarding between the same ports;
 *  - rule insertion/s, synchronous and batched (async enqueue/push/pull),
 *    beside rte_hash_add on the same keys;
 *  - memory per exact-match rule.
 * Last line: the BENCH.md JSON.
 *
 * usage: bench_esw [core=N] [secs=S] [reps=N] [flows=N] [only=SECTION]
 * Each figure is the best of `reps` short slices (default 8 x 0.15 s),
 * alternating with its reference, so both get the quiet moments of a
 * shared machine; spread = (best - worst) / best.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "dpu_hal.h"
#include "esw_key.h"
#include "sim_esw.h"

#define BURST 32
#define NWC_MASKS 8
#define NWC_RULES 1000

struct tuple {
	uint32_t src, dst;	/* be */
	uint16_t sport, dport;	/* be */
	uint8_t proto;
};

static unsigned int core, reps = 8, nflows = 100000;
static const char *only = "";	/* run only sections whose name contains this */

static bool
want(const char *section)
{
	return strstr(section, only) != NULL || only[0] == 0;
}
static double secs = 0.15;
static struct rte_mempool *mp;
static char pcap_em[256], pcap_wc[256], pcap_one[256];

/* ------------------------------------------------------------- results */

struct result {
	const char *name, *unit, *ref;
	double value, ref_value, target, target_ratio, spread;
	int has_ref, has_target, has_tratio;
	const char *extra;
};

static struct result results[32];
static int nres;

static struct result *
res_add(const char *name, const char *unit, double v, double spread)
{
	struct result *r = &results[nres++];

	memset(r, 0, sizeof(*r));
	r->name = name;
	r->unit = unit;
	r->value = v;
	r->spread = spread;
	return r;
}

/* best-of-reps with spread (max-min)/best, both in ops/s */
struct stat {
	double best, worst;
};

static void
stat_add(struct stat *s, double v)
{
	if (s->best == 0 || v > s->best)
		s->best = v;
	if (s->worst == 0 || v < s->worst)
		s->worst = v;
}

static double
spread(const struct stat *s)
{
	return s->best > 0 ? (s->best - s->worst) / s->best : 0;
}

/* ---------------------------------------------------------------- keys */

static uint32_t
mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352d;
	x ^= x >> 15;
	x *= 0x846ca68b;
	x ^= x >> 16;
	return x;
}

static void
em_tuple(uint32_t i, struct tuple *t)
{
	t->src = rte_cpu_to_be_32(0x0a000000 | (i & 0xffffff));
	t->dst = rte_cpu_to_be_32(0x14000000 | (mix(i) & 0xffffff));
	t->sport = rte_cpu_to_be_16(1024 + (mix(i + 1) & 0x7fff));
	t->dport = rte_cpu_to_be_16(mix(i + 2) & 0xffff);
	t->proto = IPPROTO_UDP;
}

/* Flow f of the wildcard set: rule r = f % 1000 in mask j = r % 8. */
static void
wc_tuple(uint32_t f, struct tuple *t)
{
	uint32_t r = f % NWC_RULES, j = r % NWC_MASKS, k = r / NWC_MASKS, x = mix(f);

	t->src = rte_cpu_to_be_32(0xac100000 | (x & 0xffff));
	t->dst = rte_cpu_to_be_32(0x0a000000 | j << 16 | (mix(x) & 0xffff));
	t->sport = rte_cpu_to_be_16(10000 + (x >> 16) % 50000);
	t->dport = rte_cpu_to_be_16(60000 + (x >> 8) % 5000);
	t->proto = IPPROTO_UDP;
	switch (j) {
	case 0:
		t->dst = rte_cpu_to_be_32(0x0a000001 | k << 8);
		break;
	case 1:
		t->dst = rte_cpu_to_be_32(0x0a010000 | k << 8 | (x & 0xff));
		break;
	case 2:
		t->dport = rte_cpu_to_be_16(1000 + k);
		break;
	case 3:
		t->src = rte_cpu_to_be_32(0xac100300 | k);
		break;
	case 4:
		t->sport = rte_cpu_to_be_16(2000 + k);
		t->dport = RTE_BE16(53);
		break;
	case 5:
		t->dst = rte_cpu_to_be_32(0x0a050000 | k << 8 | (x & 0xff));
		t->dport = RTE_BE16(80);
		break;
	case 6:
		t->src = rte_cpu_to_be_32(0xc0a80000 | k << 8 | (x & 0xff));
		break;
	case 7:
		t->sport = rte_cpu_to_be_16(3000 + k);
		t->proto = IPPROTO_TCP;
		break;
	}
}

/* The flow key the parser would produce for this tuple (header words only). */
static void
make_key(struct sim_key *k, const struct tuple *t)
{
	memset(k, 0, 9 * 8);	/* what the parser zeroes */
	k->layers = SIM_L_IPV4 | (t->proto == IPPROTO_TCP ? SIM_L_TCP : SIM_L_UDP);
	k->ip_proto = t->proto;
	k->ip_ttl = 64;
	k->ip4_src = t->src;
	k->ip4_dst = t->dst;
	k->tp_src = t->sport;
	k->tp_dst = t->dport;
	k->eth_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
}

/*
 * The 16 bytes an EM 5-tuple subtable stores for this tuple: slot 0 =
 * layer bits of w0 | L4 ports of w2 rotated by 32, slot 1 = the IPv4
 * pair.  The reference rte_hash gets exactly these keys.
 */
static void
ref_key(uint64_t *w, const struct tuple *t)
{
	struct sim_key k;
	uint64_t ports;

	make_key(&k, t);
	ports = k.w[2] & 0xffffffffULL;
	w[0] = (k.w[0] & ((uint64_t)(SIM_L_IPV4 | SIM_L_UDP) << 16)) | (ports << 32);
	w[1] = k.w[1];
}

/* ------------------------------------------------------------- packets */

static size_t
build_frame(uint8_t *b, const struct tuple *t)
{
	struct rte_ether_hdr *eh = (void *)b;
	struct rte_ipv4_hdr *ip = (void *)(eh + 1);
	size_t l4 = t->proto == IPPROTO_TCP ? sizeof(struct rte_tcp_hdr) : sizeof(struct rte_udp_hdr);
	size_t len = 60;	/* 64 bytes on the wire with the FCS */

	memset(b, 0, len);
	memcpy(eh->dst_addr.addr_bytes, "\x02\x00\x00\x00\x00\x02", 6);
	memcpy(eh->src_addr.addr_bytes, "\x02\x00\x00\x00\x00\x01", 6);
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len - 14);
	ip->time_to_live = 64;
	ip->next_proto_id = t->proto;
	ip->src_addr = t->src;
	ip->dst_addr = t->dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (t->proto == IPPROTO_TCP) {
		struct rte_tcp_hdr *th = (void *)(ip + 1);

		th->src_port = t->sport;
		th->dst_port = t->dport;
		th->data_off = 0x50;
		th->tcp_flags = RTE_TCP_ACK_FLAG;
	} else {
		struct rte_udp_hdr *uh = (void *)(ip + 1);

		uh->src_port = t->sport;
		uh->dst_port = t->dport;
		uh->dgram_len = rte_cpu_to_be_16(len - 14 - 20);
	}
	(void)l4;
	return len;
}

static int
write_pcap(const char *path, void (*gen)(uint32_t, struct tuple *), uint32_t n)
{
	struct { uint32_t magic; uint16_t maj, min; int32_t tz; uint32_t sig, snap, link; }
		gh = { 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1 };
	FILE *f = fopen(path, "wb");
	uint8_t frame[128];

	if (f == NULL)
		return -errno;
	fwrite(&gh, sizeof(gh), 1, f);
	for (uint32_t i = 0; i < n; i++) {
		struct tuple t;
		struct { uint32_t s, us, cap, len; } rh;

		gen(i, &t);
		rh.s = i / 1000000;
		rh.us = i % 1000000;
		rh.cap = rh.len = build_frame(frame, &t);
		fwrite(&rh, sizeof(rh), 1, f);
		fwrite(frame, 1, rh.cap, f);
	}
	return fclose(f) == 0 ? 0 : -errno;
}

/* ------------------------------------------------------------- rules */

static struct sim_esw *
esw_new(const char *name, uint32_t max_rules, uint32_t table_size, struct dpu_hal_dev **dev)
{
	struct sim_esw_conf cf = {
		.name = name, .nb_ports = 4, .max_rules = max_rules,
		.initial_table_size = table_size, .nb_queues = 1, .queue_depth = 1 << 20,
		.sw_ring_size = 1 << 16,
	};
	struct dpu_hal_error err = { 0 };
	struct sim_esw *esw;

	if (sim_esw_create(&cf, &esw, &err) < 0) {
		fprintf(stderr, "sim_esw_create: %s\n", err.msg);
		exit(1);
	}
	sim_esw_hal_attach(esw, dev);
	return esw;
}

static const struct dpu_hal_attr ATTR = { .transfer = 1 };
static const struct dpu_hal_action_port OUT1 = { 1 };
static const struct dpu_hal_action EM_ACT[] = {
	{ DPU_HAL_ACTION_COUNT, NULL }, { DPU_HAL_ACTION_PORT, &OUT1 }, { DPU_HAL_ACTION_END, NULL },
};

struct em_pat {
	struct dpu_hal_item_ipv4 ip, ipm;
	struct dpu_hal_item_l4 l4, l4m;
	struct dpu_hal_item p[5];
};

static void
em_pattern(struct em_pat *ep, const struct tuple *t)
{
	memset(ep, 0, sizeof(*ep));
	ep->ip.src = t->src;
	ep->ip.dst = t->dst;
	ep->ipm.src = ep->ipm.dst = UINT32_MAX;
	ep->l4.src = t->sport;
	ep->l4.dst = t->dport;
	ep->l4m.src = ep->l4m.dst = 0xffff;
	ep->p[0] = (struct dpu_hal_item){ DPU_HAL_ITEM_ETH, NULL, NULL };
	ep->p[1] = (struct dpu_hal_item){ DPU_HAL_ITEM_IPV4, &ep->ip, &ep->ipm };
	ep->p[2] = (struct dpu_hal_item){ DPU_HAL_ITEM_UDP, &ep->l4, &ep->l4m };
	ep->p[3] = (struct dpu_hal_item){ DPU_HAL_ITEM_END, NULL, NULL };
}

/* Insert n EM rules; batched = async enqueue, push every `batch`. Returns rules/s. */
static double
em_insert(struct dpu_hal_dev *dev, uint32_t n, bool batched, uint32_t batch)
{
	struct dpu_hal_error err = { 0 };
	struct dpu_hal_op_result res[256];
	struct dpu_hal_flow *f;
	struct em_pat ep;
	uint64_t t0 = rte_rdtsc();
	int ret;

	for (uint32_t i = 0; i < n; i++) {
		struct tuple t;

		em_tuple(i, &t);
		em_pattern(&ep, &t);
		if (batched)
			ret = dpu_hal_async_create(dev, 0, &ATTR, ep.p, EM_ACT, NULL, &f, &err);
		else
			ret = dpu_hal_flow_create(dev, &ATTR, ep.p, EM_ACT, &f, &err);
		if (ret < 0) {
			fprintf(stderr, "insert %u: %s\n", i, err.msg);
			exit(1);
		}
		if (batched && ((i + 1) % batch == 0 || i + 1 == n)) {
			int k;

			dpu_hal_push(dev, 0, &err);
			while ((k = dpu_hal_pull(dev, 0, res, RTE_DIM(res), &err)) > 0)
				for (int j = 0; j < k; j++)
					if (res[j].status < 0) {
						fprintf(stderr, "async insert failed: %d\n", res[j].status);
						exit(1);
					}
		}
	}
	return n / ((double)(rte_rdtsc() - t0) / rte_get_tsc_hz());
}

static void
wc_rules(struct dpu_hal_dev *dev)
{
	struct dpu_hal_error err = { 0 };

	for (uint32_t r = 0; r < NWC_RULES; r++) {
		uint32_t j = r % NWC_MASKS, k = r / NWC_MASKS;
		struct dpu_hal_item_ipv4 ip = { 0 }, ipm = { 0 };
		struct dpu_hal_item_l4 l4 = { 0 }, l4m = { 0 };
		struct dpu_hal_attr attr = { .transfer = 1, .priority = j };
		struct dpu_hal_item p[4] = {
			{ DPU_HAL_ITEM_ETH, NULL, NULL }, { DPU_HAL_ITEM_IPV4, &ip, &ipm },
			{ j == 7 ? DPU_HAL_ITEM_TCP : DPU_HAL_ITEM_UDP, &l4, &l4m },
			{ DPU_HAL_ITEM_END, NULL, NULL },
		};
		struct dpu_hal_flow *f;

		ip.dst = rte_cpu_to_be_32(0x0a000000 | j << 16);
		ipm.dst = RTE_BE32(0xffff0000);
		switch (j) {
		case 0:
			ip.dst = rte_cpu_to_be_32(0x0a000001 | k << 8);
			ipm.dst = UINT32_MAX;
			break;
		case 1:
			ip.dst = rte_cpu_to_be_32(0x0a010000 | k << 8);
			ipm.dst = RTE_BE32(0xffffff00);
			ip.proto = IPPROTO_UDP;
			ipm.proto = 0xff;
			break;
		case 2:
			l4.dst = rte_cpu_to_be_16(1000 + k);
			l4m.dst = 0xffff;
			break;
		case 3:
			ip.src = rte_cpu_to_be_32(0xac100300 | k);
			ipm.src = UINT32_MAX;
			break;
		case 4:
			l4.src = rte_cpu_to_be_16(2000 + k);
			l4.dst = RTE_BE16(53);
			l4m.src = l4m.dst = 0xffff;
			break;
		case 5:
			ip.dst = rte_cpu_to_be_32(0x0a050000 | k << 8);
			ipm.dst = RTE_BE32(0xffffff00);
			l4.dst = RTE_BE16(80);
			l4m.dst = 0xffff;
			break;
		case 6:
			ip.src = rte_cpu_to_be_32(0xc0a80000 | k << 8);
			ipm.src = RTE_BE32(0xffffff00);
			break;
		case 7:
			l4.src = rte_cpu_to_be_16(3000 + k);
			l4m.src = 0xffff;
			break;
		}
		if (dpu_hal_flow_create(dev, &attr, p, EM_ACT, &f, &err) < 0) {
			fprintf(stderr, "wc rule %u: %s\n", r, err.msg);
			exit(1);
		}
	}
}

/* ------------------------------------------------------------- lookups */

/* eSwitch lookups/s over `order` (indices into tuples), keys built per burst. */
static uint64_t last_lookups;	/* lookups done by the last esw_lookup_rate() */

static double
esw_lookup_rate(struct sim_esw_worker *wk, const struct tuple *tup, const uint32_t *order,
		uint32_t n, uint64_t *hits)
{
	static struct sim_key keys[BURST];
	const void *kp[BURST];
	struct dpu_hal_flow *fl[BURST];
	uint64_t t0 = rte_rdtsc(), limit = t0 + (uint64_t)(secs * rte_get_tsc_hz()), done = 0;
	uint32_t pos = 0;

	for (int i = 0; i < BURST; i++)
		kp[i] = &keys[i];
	*hits = 0;
	do {
		for (int rep = 0; rep < 64; rep++) {
			/* next burst's inputs on their way, as packets are after rx (both sides) */
			for (int i = 0; i < BURST; i++)
				rte_prefetch0(&tup[order[(pos + BURST + i) % n]]);
			for (int i = 0; i < BURST; i++) {
				make_key(&keys[i], &tup[order[pos]]);
				if (++pos == n)
					pos = 0;
			}
			sim_esw_lookup_keys(wk, 0, kp, BURST, fl);
			for (int i = 0; i < BURST; i++)
				*hits += fl[i] != NULL;
			done += BURST;
		}
	} while (rte_rdtsc() < limit);
	last_lookups = done;
	return done / ((double)(rte_rdtsc() - t0) / rte_get_tsc_hz());
}

/* rte_hash_lookup_bulk_data/s on the same order of the same (reference) keys. */
static double
ref_lookup_rate(struct rte_hash *h, const uint64_t (*rk)[2], const uint32_t *order, uint32_t n,
		uint64_t *hits)
{
	const void *kp[BURST];
	void *data[BURST];
	uint64_t t0 = rte_rdtsc(), limit = t0 + (uint64_t)(secs * rte_get_tsc_hz()), done = 0;
	uint32_t pos = 0;

	*hits = 0;
	do {
		for (int rep = 0; rep < 64; rep++) {
			uint64_t hm = 0;

			for (int i = 0; i < BURST; i++)
				rte_prefetch0(rk[order[(pos + BURST + i) % n]]);
			for (int i = 0; i < BURST; i++) {
				kp[i] = rk[order[pos]];
				if (++pos == n)
					pos = 0;
			}
			rte_hash_lookup_bulk_data(h, kp, BURST, &hm, data);
			*hits += __builtin_popcountll(hm);
			done += BURST;
		}
	} while (rte_rdtsc() < limit);
	return done / ((double)(rte_rdtsc() - t0) / rte_get_tsc_hz());
}

static struct rte_hash *
ref_table(const char *name, const uint64_t (*rk)[2], uint32_t n, double *ins_rate)
{
	struct rte_hash_parameters p = {
		.name = name, .entries = n < 64 ? 64 : n, .key_len = 16,
		.hash_func = rte_hash_crc, .hash_func_init_val = 0, .socket_id = 0,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct rte_hash *h = rte_hash_create(&p);
	uint64_t t0;

	if (h == NULL) {
		fprintf(stderr, "rte_hash_create %s failed\n", name);
		exit(1);
	}
	t0 = rte_rdtsc();
	for (uint32_t i = 0; i < n; i++)
		if (rte_hash_add_key_data(h, rk[i], (void *)(uintptr_t)(i + 1)) < 0) {
			fprintf(stderr, "ref insert %u failed\n", i);
			exit(1);
		}
	if (ins_rate)
		*ins_rate = n / ((double)(rte_rdtsc() - t0) / rte_get_tsc_hz());
	return h;
}

static uint32_t *
shuffled(uint32_t n, uint32_t seed)
{
	uint32_t *o = malloc(n * sizeof(*o));

	for (uint32_t i = 0; i < n; i++)
		o[i] = i;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = mix(i ^ seed) % (i + 1), t = o[i];

		o[i] = o[j];
		o[j] = t;
	}
	return o;
}

/* ---------------------------------------------------------- forwarding */

/* pcap port -> (eSwitch) -> null port, packets/s over `secs`. */
static double
fwd_rate(uint16_t rx, uint16_t tx, struct sim_esw_worker *wk, uint64_t *handled)
{
	struct rte_mbuf *pkts[BURST], *outp[BURST];
	uint16_t outport[BURST];
	uint64_t t0, limit, n = 0;

	/* warm up: let infinite_rx settle and caches fill */
	for (int i = 0; i < 2000; i++) {
		uint16_t k = rte_eth_rx_burst(rx, 0, pkts, BURST);

		rte_pktmbuf_free_bulk(pkts, k);
	}
	t0 = rte_rdtsc();
	limit = t0 + (uint64_t)(secs * rte_get_tsc_hz());
	do {
		for (int rep = 0; rep < 64; rep++) {
			uint16_t k = rte_eth_rx_burst(rx, 0, pkts, BURST), sent;

			if (wk == NULL) {
				sent = rte_eth_tx_burst(tx, 0, pkts, k);
			} else {
				struct sim_esw_out out = { outp, outport, 0, BURST };

				sim_esw_process_burst(wk, pkts, k, &out);
				sent = rte_eth_tx_burst(tx, 0, outp, out.n);
				k = out.n;
			}
			if (unlikely(sent < k))
				rte_pktmbuf_free_bulk(pkts + sent, k - sent);
			n += k;
		}
	} while (rte_rdtsc() < limit);
	*handled = n;
	return n / ((double)(rte_rdtsc() - t0) / rte_get_tsc_hz());
}

static int
port_up(uint16_t port, bool rxq)
{
	struct rte_eth_conf pc = { 0 };

	if (rte_eth_dev_configure(port, rxq ? 1 : 0, 1, &pc) < 0)
		return -1;
	if (rxq && rte_eth_rx_queue_setup(port, 0, 512, 0, NULL, mp) < 0)
		return -1;
	if (rte_eth_tx_queue_setup(port, 0, 512, 0, NULL) < 0)
		return -1;
	return rte_eth_dev_start(port);
}

/* ------------------------------------------------------------------ main */

static void
json(void)
{
	printf("{\"bench\": \"esw\", \"metrics\": {");
	for (int i = 0; i < nres; i++) {
		struct result *r = &results[i];

		printf("%s\"%s\": {\"value\": %.4g, \"unit\": \"%s\"", i ? ", " : "", r->name,
		       r->value, r->unit);
		if (r->has_ref)
			printf(", \"reference\": \"%s\", \"reference_value\": %.4g, \"ratio\": %.3f",
			       r->ref, r->ref_value, r->value / r->ref_value);
		if (r->has_tratio)
			printf(", \"target_ratio\": %.2f", r->target_ratio);
		if (r->has_target)
			printf(", \"target\": %.4g", r->target);
		printf(", \"spread\": %.3f", r->spread);
		if (r->extra)
			printf(", %s", r->extra);
		printf("}");
	}
	printf("}}\n");
}

static void
cpu_from_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "core=", 5))
			core = atoi(argv[i] + 5);
		else if (!strncmp(argv[i], "secs=", 5))
			secs = atof(argv[i] + 5);
		else if (!strncmp(argv[i], "reps=", 5))
			reps = atoi(argv[i] + 5);
		else if (!strncmp(argv[i], "flows=", 6))
			nflows = atoi(argv[i] + 6);
		else if (!strncmp(argv[i], "only=", 5))
			only = argv[i] + 5;
	}
}

int
main(int argc, char **argv)
{
	char prefix[64], lcore[16], vd0[320], vd1[320], vd2[320];
	char *eal[] = {
		argv[0], "--no-huge", "--no-pci", "--file-prefix", prefix, "-l", lcore,
		"-m", "3072", "--log-level", "*:error", "--vdev", vd0, "--vdev", vd1,
		"--vdev", vd2, "--vdev", "net_null0", NULL,
	};
	static const uint32_t em_sizes[] = { 1000, 100000, 1000000 };
	static const char *const em_names[] = {
		"em_lookup_1k_per_s", "em_lookup_100k_per_s", "em_lookup_1m_per_s",
	};
	static char extra_mem[256], extra_fwd_em[256], extra_fwd_wc[256], extra_ins[256],
		extra_one[256];
	uint16_t p_em, p_wc, p_one, p_null;
	struct tuple *tup;
	uint64_t (*rk)[2];
	uint64_t hits;
	struct sim_esw *esw_big;
	struct dpu_hal_dev *dev_big;
	struct sim_esw_worker *wk;
	double ref_ins = 0, mem_per_rule = 0, heap_per_rule = 0;
	struct stat ins_b = { 0 }, ins_s = { 0 };

	cpu_from_args(argc, argv);
	snprintf(prefix, sizeof(prefix), "esw_bench_%d", (int)getpid());
	snprintf(lcore, sizeof(lcore), "%u", core);
	snprintf(pcap_em, sizeof(pcap_em), "/tmp/esw_bench_em_%d.pcap", (int)getpid());
	snprintf(pcap_wc, sizeof(pcap_wc), "/tmp/esw_bench_wc_%d.pcap", (int)getpid());
	snprintf(pcap_one, sizeof(pcap_one), "/tmp/esw_bench_one_%d.pcap", (int)getpid());
	if (write_pcap(pcap_em, em_tuple, nflows) < 0 || write_pcap(pcap_wc, wc_tuple, nflows) < 0 ||
	    write_pcap(pcap_one, em_tuple, 1) < 0) {
		fprintf(stderr, "cannot write pcaps in /tmp\n");
		return 1;
	}
	snprintf(vd0, sizeof(vd0), "net_pcap0,rx_pcap=%s,infinite_rx=1", pcap_em);
	snprintf(vd1, sizeof(vd1), "net_pcap1,rx_pcap=%s,infinite_rx=1", pcap_wc);
	snprintf(vd2, sizeof(vd2), "net_pcap2,rx_pcap=%s,infinite_rx=1", pcap_one);
	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	printf("esw bench on lcore %u, %u flows, %.2fs x %u reps per figure\n", core, nflows, secs,
	       reps);
	mp = rte_pktmbuf_pool_create("bench", 2 * nflows + 16384, 512, 0, 256, 0);
	if (mp == NULL || rte_eth_dev_get_port_by_name("net_pcap0", &p_em) ||
	    rte_eth_dev_get_port_by_name("net_pcap1", &p_wc) ||
	    rte_eth_dev_get_port_by_name("net_pcap2", &p_one) || port_up(p_one, true) < 0 ||
	    rte_eth_dev_get_port_by_name("net_null0", &p_null) || port_up(p_em, true) < 0 ||
	    port_up(p_wc, true) < 0 || port_up(p_null, false) < 0) {
		fprintf(stderr, "port setup failed\n");
		return 1;
	}
	unlink(pcap_em);
	unlink(pcap_wc);
	unlink(pcap_one);

	/* --- 1M EM rules: batched insert, memory, lookups at 1K/100K/1M --- */
	tup = malloc(sizeof(*tup) * em_sizes[2]);
	rk = malloc(sizeof(*rk) * em_sizes[2]);
	for (uint32_t i = 0; i < em_sizes[2]; i++) {
		em_tuple(i, &tup[i]);
		ref_key(rk[i], &tup[i]);
	}
	if (want("insert")) {
		/* untimed warm-up: first-touch page faults of slabs and tables */
		struct dpu_hal_dev *d;
		struct sim_esw *e = esw_new("warm", 1 << 20, 256, &d);

		em_insert(d, 100000, true, 4096);
		dpu_hal_close(d);
		sim_esw_destroy(e);
	}
	/* alternate which mode goes first: first touch of freed heap pages favours the second */
	for (unsigned int r = 0; r < 2 * reps && want("insert"); r++) {
		bool batched = (r % 2) ^ ((r / 2) % 2);
		struct sim_esw *e;
		struct dpu_hal_dev *d;
		char nm[16];

		snprintf(nm, sizeof(nm), "ins%u", r);
		e = esw_new(nm, 1 << 20, 256, &d);
		if (batched)
			stat_add(&ins_b, em_insert(d, 100000, true, 4096));
		else
			stat_add(&ins_s, em_insert(d, 100000, false, 0));
		dpu_hal_close(d);
		sim_esw_destroy(e);
	}
	{
		struct rte_hash *h = ref_table("ref_ins", (const uint64_t (*)[2])rk, 100000, &ref_ins);

		rte_hash_free(h);
	}
	snprintf(extra_ins, sizeof(extra_ins),
		 "\"sync_per_s\": %.4g, \"sync_spread\": %.3f, \"batch\": 4096, \"rules\": 100000, "
		 "\"ovs_dpdk_openflow_bundle_per_s\": 80000",
		 ins_s.best, spread(&ins_s));
	{
		struct result *r = res_add("insert_batched_per_s", "rules/s", ins_b.best, spread(&ins_b));

		r->has_ref = 1;
		r->ref = "rte_hash_add_key_data of the same 100K keys (table only, no rule model)";
		r->ref_value = ref_ins;
		r->has_target = 1;
		r->target = 1e6;
		r->extra = extra_ins;
	}
	{
		struct result *r = res_add("insert_sync_per_s", "rules/s", ins_s.best, spread(&ins_s));

		r->has_ref = 1;
		r->ref = "rte_hash_add_key_data of the same 100K keys";
		r->ref_value = ref_ins;
	}
	printf("insert: batched %.3g/s (spread %.2f), sync %.3g/s, rte_hash add %.3g/s\n",
	       ins_b.best, spread(&ins_b), ins_s.best, ref_ins);

	for (int s = 0; s < 3; s++) {
		uint32_t n = em_sizes[s];

		if (!want(em_names[s]))
			continue;
		struct rte_malloc_socket_stats ms0, ms1;
		struct rte_hash *h;
		uint32_t *order = shuffled(n, 7 + s);
		struct stat se = { 0 }, sr = { 0 };
		char nm[16];
		uint64_t mem;
		struct result *r;

		snprintf(nm, sizeof(nm), "em%d", s);
		rte_malloc_get_socket_stats(0, &ms0);
		esw_big = esw_new(nm, n + 16, 256, &dev_big);	/* default growth */
		em_insert(dev_big, n, true, 4096);
		rte_malloc_get_socket_stats(0, &ms1);
		mem = sim_esw_mem_bytes(esw_big);
		if (n == em_sizes[2]) {
			mem_per_rule = (double)mem / n;
			heap_per_rule = (double)(ms1.heap_allocsz_bytes - ms0.heap_allocsz_bytes) / n;
		}
		wk = sim_esw_worker_create(esw_big, 0);
		h = ref_table(nm[0] == 'e' ? (s == 0 ? "ref0" : s == 1 ? "ref1" : "ref2") : "ref",
			      (const uint64_t (*)[2])rk, n, NULL);
		for (unsigned int k = 0; k < reps; k++) {
			uint64_t hh;

			stat_add(&se, esw_lookup_rate(wk, tup, order, n, &hits));
			stat_add(&sr, ref_lookup_rate(h, (const uint64_t (*)[2])rk, order, n, &hh));
			if (hits == 0 || hh == 0)
				fprintf(stderr, "warning: no hits in lookup run\n");
		}
		printf("EM %u rules: esw %.3g lookups/s (spread %.2f), rte_hash %.3g/s, ratio %.2f, %.1f B/rule\n",
		       n, se.best, spread(&se), sr.best, se.best / sr.best, (double)mem / n);
		r = res_add(em_names[s], "lookups/s", se.best, spread(&se));
		r->has_ref = 1;
		r->ref = "rte_hash_lookup_bulk_data, bursts of 32, same keys and order";
		r->ref_value = sr.best;
		r->has_tratio = 1;
		r->target_ratio = 0.7;
		rte_hash_free(h);
		sim_esw_worker_destroy(wk);
		dpu_hal_close(dev_big);
		sim_esw_destroy(esw_big);
		free(order);
	}
	snprintf(extra_mem, sizeof(extra_mem),
		 "\"dpdk_heap_bytes_per_rule\": %.1f, \"rules\": 1000000, "
		 "\"what\": \"subtable tables + rule slab + action programs + keys kept outside the rules; tables of 2 MiB and more are huge-page mappings outside the DPDK heap\"", heap_per_rule);
	{
		struct result *r = res_add("mem_per_em_rule_bytes", "bytes", mem_per_rule, 0);

		r->has_target = 1;
		r->target = 128;
		r->extra = extra_mem;
	}

	/* --- wildcard: 1K rules over 8 masks, lookups beside a single rte_hash --- */
	if (want("wc")) {
		struct dpu_hal_dev *d;
		struct sim_esw *e = esw_new("wc", 4096, 256, &d);
		struct tuple *wt = malloc(sizeof(*wt) * nflows);
		uint64_t (*wk_ref)[2] = malloc(sizeof(*wk_ref) * nflows);
		uint32_t *order = shuffled(nflows, 99);
		struct stat se = { 0 }, sr = { 0 };
		struct rte_hash *h;
		struct result *r;
		struct sim_esw_stats st;

		wc_rules(d);
		sim_esw_get_stats(e, &st);
		for (uint32_t i = 0; i < nflows; i++) {
			wc_tuple(i, &wt[i]);
			ref_key(wk_ref[i], &wt[i]);
		}
		h = ref_table("refwc", (const uint64_t (*)[2])wk_ref, nflows, NULL);
		wk = sim_esw_worker_create(e, 0);
		for (unsigned int k = 0; k < reps; k++) {
			uint64_t hh;

			stat_add(&se, esw_lookup_rate(wk, wt, order, nflows, &hits));
			stat_add(&sr, ref_lookup_rate(h, (const uint64_t (*)[2])wk_ref, order, nflows, &hh));
		}
		printf("WC 1K rules / %u subtables: esw %.3g lookups/s (%.0f%% hit), one rte_hash %.3g/s\n",
		       st.subtables, se.best, 100.0 * hits / last_lookups, sr.best);
		r = res_add("wc_lookup_1k_8masks_per_s", "lookups/s", se.best, spread(&se));
		r->has_ref = 1;
		r->ref = "one rte_hash_lookup_bulk_data per key on the same 100K keys (wildcards need up to 8)";
		r->ref_value = sr.best;
		rte_hash_free(h);
		sim_esw_worker_destroy(wk);
		free(wt);
		free(wk_ref);
		free(order);

		/* forwarding with the 1K wildcard rules */
		{
			struct stat sf = { 0 }, sio = { 0 };
			uint64_t nh;
			struct sim_esw_stats st2;

			wk = sim_esw_worker_create(e, 0);
			for (unsigned int k = 0; k < reps; k++) {
				stat_add(&sio, fwd_rate(p_wc, p_null, NULL, &nh));
				stat_add(&sf, fwd_rate(p_wc, p_null, wk, &nh));
			}
			sim_esw_get_stats(e, &st2);
			printf("fwd WC: esw %.3g pps (spread %.2f), io fwd %.3g pps; hit %lu miss %lu\n",
			       sf.best, spread(&sf), sio.best, (unsigned long)st2.hit,
			       (unsigned long)st2.miss);
			snprintf(extra_fwd_wc, sizeof(extra_fwd_wc),
				 "\"ovs_dpdk_1pmd_mpps\": 4.5, \"ratio_vs_ovs\": %.2f, \"misses\": %lu, "
				 "\"frame_bytes\": 60",
				 sf.best / 1e6 / 4.5, (unsigned long)st2.miss);
			r = res_add("fwd_64b_wc1k_mpps", "Mpps", sf.best / 1e6, spread(&sf));
			r->has_ref = 1;
			r->ref = "DPDK io forwarding net_pcap(100K flows, infinite_rx) -> net_null, same ports";
			r->ref_value = sio.best / 1e6;
			r->has_target = 1;
			r->target = 8;
			r->extra = extra_fwd_wc;
			sim_esw_worker_destroy(wk);
		}
		dpu_hal_close(d);
		sim_esw_destroy(e);
	}

	/* --- forwarding with 100K EM rules --- */
	if (want("fwd_em")) {
		struct dpu_hal_dev *d;
		struct sim_esw *e = esw_new("fwdem", 1 << 18, 256, &d);
		struct stat sf = { 0 }, sio = { 0 };
		struct sim_esw_stats st;
		struct result *r;
		uint64_t nh;

		em_insert(d, nflows, true, 4096);
		wk = sim_esw_worker_create(e, 0);
		for (unsigned int k = 0; k < reps; k++) {
			stat_add(&sio, fwd_rate(p_em, p_null, NULL, &nh));
			stat_add(&sf, fwd_rate(p_em, p_null, wk, &nh));
		}
		sim_esw_get_stats(e, &st);
		printf("fwd EM 100K: esw %.3g pps (spread %.2f), io fwd %.3g pps; hit %lu miss %lu\n",
		       sf.best, spread(&sf), sio.best, (unsigned long)st.hit, (unsigned long)st.miss);
		snprintf(extra_fwd_em, sizeof(extra_fwd_em),
			 "\"ovs_dpdk_1pmd_mpps\": 3.3, \"ratio_vs_ovs\": %.2f, \"misses\": %lu, "
			 "\"frame_bytes\": 60",
			 sf.best / 1e6 / 3.3, (unsigned long)st.miss);
		r = res_add("fwd_64b_100k_rules_mpps", "Mpps", sf.best / 1e6, spread(&sf));
		r->has_ref = 1;
		r->ref = "DPDK io forwarding net_pcap(100K flows, infinite_rx) -> net_null, same ports";
		r->ref_value = sio.best / 1e6;
		r->has_target = 1;
		r->target = 10;
		r->extra = extra_fwd_em;
		sim_esw_worker_destroy(wk);
		dpu_hal_close(d);
		sim_esw_destroy(e);
	}

	/* --- one flow, one rule: the cache-resident floor (OVS-DPDK: 23 Mpps) --- */
	if (want("fwd_one")) {
		struct dpu_hal_dev *d;
		struct sim_esw *e = esw_new("one", 16, 256, &d);
		struct stat sf = { 0 }, sio = { 0 };
		struct result *r;
		uint64_t nh;

		em_insert(d, 1, false, 0);
		wk = sim_esw_worker_create(e, 0);
		for (unsigned int k = 0; k < reps; k++) {
			stat_add(&sio, fwd_rate(p_one, p_null, NULL, &nh));
			stat_add(&sf, fwd_rate(p_one, p_null, wk, &nh));
		}
		printf("fwd 1 flow: esw %.3g pps (spread %.2f), io fwd %.3g pps\n", sf.best, spread(&sf),
		       sio.best);
		snprintf(extra_one, sizeof(extra_one),
			 "\"ovs_dpdk_1pmd_mpps\": 23, \"ratio_vs_ovs\": %.2f, \"frame_bytes\": 60",
			 sf.best / 1e6 / 23);
		r = res_add("fwd_64b_1flow_mpps", "Mpps", sf.best / 1e6, spread(&sf));
		r->has_ref = 1;
		r->ref = "DPDK io forwarding net_pcap(1 flow, infinite_rx) -> net_null, same ports";
		r->ref_value = sio.best / 1e6;
		r->extra = extra_one;
		sim_esw_worker_destroy(wk);
		dpu_hal_close(d);
		sim_esw_destroy(e);
	}

	/* em_lookup_1m_per_s first in the JSON is not required; order as measured */
	json();
	rte_eth_dev_stop(p_em);
	rte_eth_dev_stop(p_wc);
	rte_eth_dev_stop(p_one);
	rte_eth_dev_stop(p_null);
	free(tup);
	free(rk);
	return 0;
}
