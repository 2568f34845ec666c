/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stress: one control thread inserts and deletes rules (sync and async
 * batches) while a dataplane thread pushes packets through the eSwitch.
 * Every rule incarnation marks its packets with a unique MARK; at the end
 * each incarnation's final counters (delivered after its RCU grace
 * period) must equal exactly what the dataplane attributed to that MARK,
 * and every packet must be accounted for (hit or miss).  Run it under
 * ASan and TSan.
 *
 * usage: test_esw_stress [rounds]
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dpu_hal.h"
#include "esw_test_eal.h"
#include "sim_esw.h"

#define SLOTS 64		/* rule slots (dst 10.0.0.<slot>) */
#define KEYS 80			/* packet keys: the last 16 never match */
#define MAXGEN 4096		/* incarnations per slot */
#define BURST 32

struct inc {			/* one rule incarnation */
	struct dpu_hal_flow *flow;
	uint64_t final_hits, final_bytes;
	bool reclaimed;
};

static struct inc incs[SLOTS][MAXGEN];
static uint32_t gen[SLOTS];
static bool live[SLOTS];
static uint64_t seen[SLOTS][MAXGEN];	/* dataplane's attribution (reader only) */
static uint64_t seen_bytes[SLOTS][MAXGEN];
static uint64_t sent, missed, dropped_other;
static int stop;

static struct sim_esw *esw;
static struct dpu_hal_dev *dev;
static struct rte_mempool *mp;

static void
on_reclaim(void *arg, struct dpu_hal_flow *flow, uint64_t hits, uint64_t bytes)
{
	(void)arg;
	/* flows are unique until reclaimed, so search the dead incarnations */
	for (int s = 0; s < SLOTS; s++) {
		for (uint32_t g = 0; g <= gen[s] && g < MAXGEN; g++) {
			struct inc *in = &incs[s][g];

			if (in->flow == flow && !in->reclaimed && g < gen[s]) {
				in->final_hits = hits;
				in->final_bytes = bytes;
				in->reclaimed = true;
				return;
			}
		}
	}
	fprintf(stderr, "reclaim of unknown flow %p\n", (void *)flow);
}

static void
build(struct rte_mbuf *m, int key)
{
	struct rte_ether_hdr *eh = (void *)rte_pktmbuf_append(m, 14 + 20 + 8 + 18);
	struct rte_ipv4_hdr *ip = (void *)(eh + 1);
	struct rte_udp_hdr *uh = (void *)(ip + 1);

	memset(eh, 0, 14 + 20 + 8 + 18);
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = RTE_BE16(20 + 8 + 18);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = RTE_BE32(0x0b000001);
	ip->dst_addr = rte_cpu_to_be_32(0x0a000000 | key);
	uh->src_port = RTE_BE16(1);
	uh->dst_port = RTE_BE16(2);
	m->port = 0;
}

static void *
reader(void *arg)
{
	struct sim_esw_worker *wk = sim_esw_worker_create(esw, 0);
	struct rte_mbuf *pkts[BURST], *outp[BURST * 2], *sw[BURST];
	uint16_t outport[BURST * 2];
	int key = 0;

	(void)arg;
	if (wk == NULL) {
		fprintf(stderr, "worker create failed\n");
		return NULL;
	}
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		struct sim_esw_out out = { outp, outport, 0, BURST * 2 };
		unsigned int nsw;

		if (rte_pktmbuf_alloc_bulk(mp, pkts, BURST) != 0)
			continue;
		for (int i = 0; i < BURST; i++) {
			build(pkts[i], key);
			key = (key + 1) % KEYS;
		}
		sent += BURST;
		sim_esw_process_burst(wk, pkts, BURST, &out);
		for (int i = 0; i < out.n; i++) {
			uint32_t mark = outp[i]->hash.fdir.hi;
			uint32_t s = mark / MAXGEN, g = mark % MAXGEN;

			if (s < SLOTS) {
				seen[s][g]++;
				seen_bytes[s][g] += rte_pktmbuf_pkt_len(outp[i]);
			} else {
				dropped_other++;
			}
			rte_pktmbuf_free(outp[i]);
		}
		while ((nsw = rte_ring_dequeue_burst(sim_esw_sw_ring(esw), (void **)sw, BURST, NULL)) > 0) {
			missed += nsw;
			rte_pktmbuf_free_bulk(sw, nsw);
		}
	}
	sim_esw_worker_destroy(wk);
	return NULL;
}

/*
 * Eight mask families (slot % 8), each with its own priority, so subtables
 * are created and destroyed while the reader walks them.  Every rule still
 * matches only its own slot's packets (dst 10.0.0.<slot>).
 */
static int
add_rule(int s, bool async)
{
	int fam = s % 8;
	struct dpu_hal_attr attr = { .transfer = 1, .priority = fam };
	struct dpu_hal_item_ipv4 ip = { .dst = rte_cpu_to_be_32(0x0a000000 | s) };
	struct dpu_hal_item_ipv4 ipm = { .dst = UINT32_MAX };
	struct dpu_hal_item_l4 udp = { .src = RTE_BE16(1), .dst = RTE_BE16(2) };
	struct dpu_hal_item_l4 udpm = {
		.src = (fam & 1) ? 0xffff : 0, .dst = (fam & 2) ? 0xffff : 0,
	};
	struct dpu_hal_item pat[] = {
		{ DPU_HAL_ITEM_ETH, NULL, NULL }, { DPU_HAL_ITEM_IPV4, &ip, &ipm },
		{ (fam & 4) ? DPU_HAL_ITEM_UDP : DPU_HAL_ITEM_VOID, (fam & 4) ? &udp : NULL,
		  (fam & 4) ? &udpm : NULL },
		{ DPU_HAL_ITEM_END, NULL, NULL },
	};

	if ((fam & 4) == 0 && (fam & 3)) {
		/* ports without a UDP item are not a thing: use the TTL instead */
		ip.ttl = 64;
		ipm.ttl = 0xff;
	}
	struct dpu_hal_action_mark mark = { s * MAXGEN + gen[s] };
	struct dpu_hal_action_port port = { 1 };
	struct dpu_hal_action act[] = {
		{ DPU_HAL_ACTION_MARK, &mark }, { DPU_HAL_ACTION_COUNT, NULL },
		{ DPU_HAL_ACTION_PORT, &port }, { DPU_HAL_ACTION_END, NULL },
	};
	struct dpu_hal_error err = { 0 };
	struct dpu_hal_flow *f;
	int ret = async ? dpu_hal_async_create(dev, 0, &attr, pat, act, NULL, &f, &err) :
			  dpu_hal_flow_create(dev, &attr, pat, act, &f, &err);

	if (ret < 0) {
		fprintf(stderr, "create slot %d: %s\n", s, err.msg);
		return ret;
	}
	incs[s][gen[s]].flow = f;
	live[s] = true;
	return 0;
}

static int
del_rule(int s, bool async)
{
	struct dpu_hal_error err = { 0 };
	struct dpu_hal_flow *f = incs[s][gen[s]].flow;
	int ret;

	/* bookkeeping first: the reclaim callback may run inside destroy */
	live[s] = false;
	gen[s]++;
	ret = async ? dpu_hal_async_destroy(dev, 0, f, NULL, &err) :
		      dpu_hal_flow_destroy(dev, f, &err);
	if (ret < 0) {
		fprintf(stderr, "destroy slot %d: %s\n", s, err.msg);
		return ret;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct sim_esw_conf cf = { .name = "stress", .nb_ports = 4, .initial_table_size = 16 };
	struct dpu_hal_error err = { 0 };
	unsigned int rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	uint64_t total_hits = 0, total_seen = 0, mism = 0, incarnations = 0;
	struct sim_esw_stats st;
	pthread_t th;
	unsigned int seed = 12345;

	mp = esw_test_eal_init(argv[0], 8192, 256);
	if (mp == NULL)
		return 1;
	if (sim_esw_create(&cf, &esw, &err) < 0 || sim_esw_hal_attach(esw, &dev) < 0) {
		fprintf(stderr, "esw: %s\n", err.msg);
		return 1;
	}
	sim_esw_set_reclaim_cb(esw, on_reclaim, NULL);
	pthread_create(&th, NULL, reader, NULL);
	for (unsigned int r = 0; r < rounds; r++) {
		int s = rand_r(&seed) % SLOTS;
		bool async = (r / 64) % 2;	/* alternate sync and async phases */

		if (gen[s] >= MAXGEN - 1)
			continue;
		if (live[s] ? del_rule(s, async) : add_rule(s, async))
			return 1;
		if (async && (r % 16) == 15) {
			struct dpu_hal_op_result res[64];

			dpu_hal_push(dev, 0, NULL);
			while (dpu_hal_pull(dev, 0, res, 64, NULL) > 0)
				for (int i = 0; i < 64; i++)
					(void)res[i];
		}
		if (r % 256 == 0)
			sim_esw_reclaim(esw);
	}
	dpu_hal_push(dev, 0, NULL);
	{
		struct dpu_hal_op_result res[64];
		int n;

		while ((n = dpu_hal_pull(dev, 0, res, 64, NULL)) > 0)
			for (int i = 0; i < n; i++)
				if (res[i].status < 0)
					fprintf(stderr, "async op failed: %d\n", res[i].status);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	/* destroy the survivors so every incarnation reports final counters */
	for (int s = 0; s < SLOTS; s++)
		if (live[s])
			del_rule(s, false);
	while (sim_esw_reclaim(esw) > 0)
		;
	for (int s = 0; s < SLOTS; s++) {
		for (uint32_t g = 0; g < gen[s]; g++) {
			struct inc *in = &incs[s][g];

			incarnations++;
			if (!in->reclaimed) {
				printf("FAIL slot %d gen %u: never reclaimed\n", s, g);
				mism++;
				continue;
			}
			total_hits += in->final_hits;
			total_seen += seen[s][g];
			if (in->final_hits != seen[s][g] || in->final_bytes != seen_bytes[s][g]) {
				printf("FAIL slot %d gen %u: rule counted %lu pkts/%lu bytes, dataplane saw %lu/%lu\n",
				       s, g, (unsigned long)in->final_hits, (unsigned long)in->final_bytes,
				       (unsigned long)seen[s][g], (unsigned long)seen_bytes[s][g]);
				mism++;
			}
		}
	}
	sim_esw_get_stats(esw, &st);
	printf("stress: %u control ops, %lu rule incarnations, %lu packets: %lu hit, %lu missed\n",
	       rounds, (unsigned long)incarnations, (unsigned long)sent, (unsigned long)total_seen,
	       (unsigned long)missed);
	printf("counters: rules reported %lu hits, dataplane attributed %lu; esw stats hit=%lu miss=%lu rx=%lu\n",
	       (unsigned long)total_hits, (unsigned long)total_seen, (unsigned long)st.hit,
	       (unsigned long)st.miss, (unsigned long)st.rx);
	if (total_seen + missed != sent || st.hit != total_hits || st.miss != missed ||
	    st.rx != sent || dropped_other) {
		printf("FAIL packet accounting: sent %lu, hit %lu + missed %lu, other %lu\n",
		       (unsigned long)sent, (unsigned long)total_seen, (unsigned long)missed,
		       (unsigned long)dropped_other);
		mism++;
	}
	if (st.rules != 0 || st.rcu_pending != 0) {
		printf("FAIL leftovers: %u rules, %lu pending frees\n", st.rules,
		       (unsigned long)st.rcu_pending);
		mism++;
	}
	dpu_hal_close(dev);
	sim_esw_destroy(esw);
	esw_test_eal_fini(mp);
	printf("%s\n", mism ? "stress: FAILED" : "stress: counters exact");
	return mism ? 1 : 0;
}
