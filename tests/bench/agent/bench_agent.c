// SPDX-License-Identifier: BSD-3-Clause
/*
 * dpu-agent rule insertion, end to end: tc flower RTM_NEWTFILTER messages
 * (built as iproute2 builds them: flower keys + a mirred redirect) are
 * decoded, translated, stored and acknowledged by a real dpu-fw over the
 * shared-memory transport.
 *
 *   tc_insert_unbatched_per_s  one filter per FLOW_BATCH, each waited for
 *   tc_insert_batched_per_s    a burst of N_BATCHED filters (also N/10, N/100)
 *   resync_1m_s                after a card reset, the agent puts them back
 *
 * References, same run: the same rules as pre-encoded ABI ops pushed
 * straight into the card (no decode, no translation, no store) — one op
 * per message waited for (for the unbatched path), and batches with as many
 * in flight as the agent keeps (for bursts): the card's own ceiling; ratio
 * = agent / raw. A rate counts only if every rule reached the hardware;
 * otherwise it is null.
 *
 * usage: bench_agent DPU_FW [N_UNBATCHED=20000] [N_BATCHED=1000000] [N_RESYNC=1000000]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_mirred.h>
#include <netlink/msg.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "agent_log.h"
#include "dpu_abi_codec.h"

int agent_log_level = AGENT_LOG_WARN;

void agent_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > agent_log_level)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "bench-agent: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

#define IF_IN 100  /* "pf0vf0" */
#define IF_OUT 101 /* "pf0vf1" */

static double clock_s(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU seconds of the agent (this process) and of the card: on a shared
 * 2-CPU machine the cost per rule is steadier than a rate. */
struct cpu_mark {
	double agent, card;
};

static struct cpu_mark cpu_now(clockid_t card_clock)
{
	return (struct cpu_mark){ clock_s(CLOCK_PROCESS_CPUTIME_ID), clock_s(card_clock) };
}

/* tc filter add dev pf0vf0 ingress protocol ip prio P handle H flower
 *   dst_ip 10.x.y.z src_ip ... ip_proto tcp dst_port ... action mirred egress redirect dev pf0vf1 */
static struct nl_msg *filter_msg(uint32_t i)
{
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL | NLM_F_REQUEST);
	struct tcmsg t = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = IF_IN,
		.tcm_handle = i + 1,
		.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
		.tcm_info = TC_H_MAKE(1u << 16, htons(0x0800)),
	};
	struct tc_mirred mp = { .action = TC_ACT_STOLEN, .eaction = TCA_EGRESS_REDIR,
				.ifindex = IF_OUT };
	struct nlattr *opts, *acts, *act, *aopts;
	uint32_t dst = htonl(0x0a000000 | i), mask = 0xffffffff;
	uint16_t port = htons((uint16_t)(i % 60000 + 1)), pm = 0xffff, et = htons(0x0800);

	nlmsg_append(m, &t, sizeof(t), NLMSG_ALIGNTO);
	nla_put_string(m, TCA_KIND, "flower");
	nla_put_u32(m, TCA_CHAIN, 0);
	opts = nla_nest_start(m, TCA_OPTIONS);
	nla_put_u16(m, TCA_FLOWER_KEY_ETH_TYPE, et);
	nla_put_u8(m, TCA_FLOWER_KEY_IP_PROTO, 6);
	nla_put(m, TCA_FLOWER_KEY_IPV4_DST, 4, &dst);
	nla_put(m, TCA_FLOWER_KEY_IPV4_DST_MASK, 4, &mask);
	nla_put(m, TCA_FLOWER_KEY_TCP_DST, 2, &port);
	nla_put(m, TCA_FLOWER_KEY_TCP_DST_MASK, 2, &pm);
	nla_put_u32(m, TCA_FLOWER_FLAGS, 0);
	acts = nla_nest_start(m, TCA_FLOWER_ACT);
	act = nla_nest_start(m, 1);
	nla_put_string(m, TCA_ACT_KIND, "mirred");
	aopts = nla_nest_start(m, TCA_ACT_OPTIONS);
	nla_put(m, TCA_MIRRED_PARMS, sizeof(mp), &mp);
	nla_nest_end(m, aopts);
	nla_nest_end(m, act);
	nla_nest_end(m, acts);
	nla_nest_end(m, opts);
	return m;
}

/* The filters as the agent reads them: one buffer of netlink messages back
 * to back, as a socket read of a dump or a recording (--replay) hands them
 * to agent_nl_feed(). */
struct msgs {
	uint8_t *buf;
	size_t len;
	uint32_t n;
	uint32_t *off; /* each message's offset */
};

static int make(struct msgs *ms, uint32_t base, uint32_t n)
{
	size_t cap = (size_t)n * 256 + 4096;

	memset(ms, 0, sizeof(*ms));
	ms->buf = malloc(cap);
	ms->off = malloc((n + 1) * sizeof(*ms->off));
	if (!ms->buf || !ms->off)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct nl_msg *m = filter_msg(base + i);
		struct nlmsghdr *h;

		if (!m)
			return -ENOMEM;
		h = nlmsg_hdr(m);
		if (ms->len + NLMSG_ALIGN(h->nlmsg_len) > cap) {
			nlmsg_free(m);
			return -ENOSPC;
		}
		ms->off[ms->n++] = (uint32_t)ms->len;
		memcpy(ms->buf + ms->len, h, h->nlmsg_len);
		ms->len += NLMSG_ALIGN(h->nlmsg_len);
		nlmsg_free(m);
	}
	ms->off[ms->n] = (uint32_t)ms->len;
	return 0;
}

static void drop(struct msgs *ms)
{
	free(ms->buf);
	free(ms->off);
}

/* Through agent_nl_feed(), which kicks the card as batches fill; one
 * message and a flush at a time for the unbatched path. */
static int feed(struct agent *a, struct msgs *ms, bool flush_each)
{
	if (!flush_each)
		return agent_nl_feed(a, ms->buf, ms->len, NULL) < 0 ? -ENOMEM : agent_card_flush(a);
	for (uint32_t i = 0; i < ms->n; i++) {
		if (agent_nl_feed(a, ms->buf + ms->off[i], ms->off[i + 1] - ms->off[i], NULL) < 0)
			return -ENOMEM;
		if (agent_card_flush(a))
			return -EIO;
	}
	return 0;
}

static int card_call_simple(struct agent *a, uint16_t op, const void *body, size_t len)
{
	const struct dpu_abi_hdr *resp;

	return dpu_host_card_simple(a->card, op, body, len, &resp);
}

static size_t hw_count(struct agent *a)
{
	size_t n = 0;

	for (size_t i = 0; i <= a->store.mask; i++)
		n += a->store.slots[i].r && a->store.slots[i].r->state == AGENT_HW;
	return n;
}

/* The reference: the agent's own encoded ops, pushed as raw batches with
 * as many in flight as the agent keeps, so it is the card's ceiling. */
struct raw_ctx {
	struct agent *a;
	struct dpu_abi_builder b;
	uint32_t in_batch;
	int err;
	uint64_t sent;
	uint64_t inflight[AGENT_INFLIGHT];
	unsigned int n_inflight;
};

static void raw_reap(struct raw_ctx *c, unsigned int keep)
{
	while (c->n_inflight > keep) {
		const struct dpu_abi_hdr *resp;

		if (dpu_host_card_wait(c->a->card, c->inflight[0], DPU_ABI_OP_FLOW_BATCH, &resp) !=
		    DPU_ABI_OK)
			c->err = -EIO;
		memmove(c->inflight, c->inflight + 1, --c->n_inflight * sizeof(c->inflight[0]));
	}
}

static void raw_send(struct raw_ctx *c)
{
	int len = dpu_abi_build_finish(&c->b);
	int64_t id;

	raw_reap(c, AGENT_INFLIGHT - 1);
	id = len < 0 ? -EINVAL : dpu_host_card_send(c->a->card, c->a->batch_buf, (size_t)len);
	if (id < 0)
		c->err = -EIO;
	else
		c->inflight[c->n_inflight++] = (uint64_t)id;
	c->in_batch = 0;
}

static void raw_one(void *arg, struct agent_rule *r)
{
	struct raw_ctx *c = arg;

	if (c->err || !r->op_len)
		return;
	if (!c->in_batch) {
		dpu_abi_build_init(&c->b, c->a->batch_buf, c->a->batch_cap, DPU_ABI_OP_FLOW_BATCH, 0, 0);
		dpu_abi_flow_batch_begin(&c->b);
	}
	dpu_abi_flow_op_append(&c->b, (const struct dpu_abi_flow_op *)r->op);
	c->in_batch++;
	c->sent++;
	/* the agent's batch size */
	if (c->in_batch >= AGENT_KICK_OPS || c->a->batch_cap - c->b.len < 4096)
		raw_send(c);
}

/* The unbatched reference: the first n stored ops, one per FLOW_BATCH,
 * each waited for. Returns ops/s, or a negative value on an error. */
struct raw1_ctx {
	struct agent *a;
	uint32_t left, done;
	int err;
};

static void raw_single(void *arg, struct agent_rule *r)
{
	struct raw1_ctx *c = arg;
	struct dpu_abi_builder b;
	const struct dpu_abi_hdr *resp;
	int len;

	if (c->err || !c->left || !r->op_len)
		return;
	dpu_abi_build_init(&b, c->a->batch_buf, c->a->batch_cap, DPU_ABI_OP_FLOW_BATCH, 0, 0);
	dpu_abi_flow_batch_begin(&b);
	dpu_abi_flow_op_append(&b, (const struct dpu_abi_flow_op *)r->op);
	len = dpu_abi_build_finish(&b);
	if (len < 0 || dpu_host_card_call(c->a->card, c->a->batch_buf, (size_t)len, &resp) != DPU_ABI_OK)
		c->err = -EIO;
	c->left--;
	c->done++;
}

/* "null" unless ok: a rate whose rules did not all reach the hardware, or
 * a figure this run could not measure, is no figure. */
static const char *num(char *buf, size_t len, bool ok, int decimals, double v)
{
	if (!ok)
		return "null";
	snprintf(buf, len, "%.*f", decimals, v);
	return buf;
}

int main(int argc, char **argv)
{
	uint32_t n_unb = argc > 2 ? (uint32_t)atoi(argv[2]) : 20000;
	/* batches of N/100, N/10 and N, one after another */
	uint32_t n_bat = argc > 3 ? (uint32_t)atoi(argv[3]) : 1000000;
	uint32_t n_res = argc > 4 ? (uint32_t)atoi(argv[4]) : 1000000;
	char dir[] = "/tmp/bench-agent.XXXXXX", sock[96], listen[112], maxf[16];
	static struct agent a;
	struct msgs ms;
	double t0, unb, bat, res, raw_rate;
	struct dpu_abi_flow_flush_req fl = { .group = DPU_ABI_GROUP_ALL };
	struct dpu_abi_card_reset_req rr = { .kind = DPU_ABI_RESET_SOFT };
	struct raw_ctx rc = { .a = &a };
	pid_t fw;

	if (argc < 2 || !mkdtemp(dir)) {
		fprintf(stderr, "usage: bench_agent DPU_FW [N_UNBATCHED] [N_BATCHED (also /10, /100)] [N_RESYNC]\n");
		return 2;
	}
	snprintf(sock, sizeof(sock), "%s/card.sock", dir);
	snprintf(listen, sizeof(listen), "shm:%s", sock);
	snprintf(maxf, sizeof(maxf), "%u", (n_res > n_bat ? n_res : n_bat) + n_bat / 10 + n_bat / 100 + n_unb + 1024);
	fw = fork();
	if (fw == 0) {
		execl(argv[1], argv[1], "--name", "bench", "--state-dir", dir, "--listen", listen,
		      "--max-flows", maxf, (char *)NULL);
		_exit(127);
	}
	snprintf(a.card_addr, sizeof(a.card_addr), "%s", listen);
	a.timeout_ms = 30000;
	agent_store_init(&a.store);
	agent_resolver_init(&a);
	a.offline = true;
	for (int i = 0; i < 100; i++) {
		struct stat st;

		if (!stat(sock, &st))
			break;
		usleep(50000);
	}
	if (agent_card_connect(&a)) {
		kill(fw, SIGTERM);
		return 1;
	}
	/* pf0vf0 / pf0vf1: the card's first two VFs */
	for (uint32_t i = 0, k = 0; i < a.n_card_ports && k < 2; i++)
		if (a.card_ports[i].kind == DPU_ABI_PORT_VF) {
			a.ports[k] = (struct agent_port){ .ifindex = k ? IF_OUT : IF_IN,
				.info = { .kind = DPU_RULES_PORT_CARD, .port_id = a.card_ports[i].port_id } };
			snprintf(a.ports[k].ifname, sizeof(a.ports[k].ifname), "%s", a.card_ports[i].name);
			a.n_ports = ++k;
		}
	agent_card_resync(&a);
	printf("bench-agent: dpu-fw over shm, %u unbatched, %u batched, %u for resync; max_batch %u, msg %u B\n",
	       n_unb, n_bat, n_res, a.card->hello.caps.max_batch, a.card->hello.caps.max_msg_len);

	/* unbatched */
	bool unb_ok, bat_ok[3] = { false }, cpu_ok, res_ok, raw_ok, raw1_ok;

	unb_ok = make(&ms, 0, n_unb) == 0;
	t0 = now();
	unb_ok = feed(&a, &ms, true) == 0 && unb_ok;
	unb = n_unb / (now() - t0);
	drop(&ms);
	unb_ok = unb_ok && hw_count(&a) == n_unb;
	printf("unbatched: %u filters in hardware, %.0f/s\n", (unsigned)hw_count(&a), unb);

	/* batched: process CPU time of each side too. Both poll 50 us before
	 * sleeping, and in a burst neither sleeps, so these are upper bounds
	 * on the work per rule, not the work itself. */
	clockid_t card_clock;
	struct cpu_mark c0, c1;

	cpu_ok = clock_getcpuclockid(fw, &card_clock) == 0;
	uint32_t sizes[3] = { n_bat / 100, n_bat / 10, n_bat }, base = n_unb;
	double bat_rate[3] = { 0 }, agent_us = 0, card_us = 0;

	for (int k = 0; k < 3; k++) {
		size_t before = hw_count(&a);

		if (!sizes[k] || (k && sizes[k] == sizes[k - 1]))
			continue;
		bat_ok[k] = make(&ms, base, sizes[k]) == 0;
		c0 = cpu_now(cpu_ok ? card_clock : CLOCK_MONOTONIC);
		t0 = now();
		bat_ok[k] = feed(&a, &ms, false) == 0 && bat_ok[k];
		bat_rate[k] = sizes[k] / (now() - t0);
		c1 = cpu_now(cpu_ok ? card_clock : CLOCK_MONOTONIC);
		drop(&ms);
		base += sizes[k];
		bat_ok[k] = bat_ok[k] && hw_count(&a) == before + sizes[k];
		agent_us = (c1.agent - c0.agent) * 1e6 / sizes[k];
		card_us = (c1.card - c0.card) * 1e6 / sizes[k];
		printf("batched:   %u filters at once, %zu in hardware, %.0f/s%s; process CPU per rule (polling included): agent %.2f us, card %.2f us\n",
		       sizes[k], hw_count(&a), bat_rate[k], bat_ok[k] ? "" : " (NOT all in hardware)",
		       agent_us, card_us);
	}
	bat = bat_rate[2];

	/* where the time goes: the agent's half alone (decode, translate,
	 * encode, store) on the same messages, with nothing sent */
	double dec;
	bool dec_ok;
	{
		static struct agent solo;
		struct dpu_host_card *card = a.card;

		solo = a;
		solo.card = NULL;
		agent_resolver_init(&solo);
		agent_store_init(&solo.store);
		solo.queue = NULL;
		solo.n_queue = solo.queue_cap = 0;
		dec_ok = make(&ms, base, n_bat) == 0;
		t0 = now();
		dec_ok = agent_nl_feed(&solo, ms.buf, ms.len, NULL) == (int)n_bat && dec_ok;
		dec = n_bat / (now() - t0);
		drop(&ms);
		/* every filter decoded, translated and stored, or no figure */
		dec_ok = dec_ok && solo.store.n_rules == n_bat;
		agent_store_fini(&solo.store);
		free(solo.queue);
		a.card = card;
		printf("agent alone: decode+translate+store %.0f/s%s\n", dec,
		       dec_ok ? "" : " (NOT every filter stored)");
	}

	/* references: the same rules as raw ops, after a flush each */
	struct raw1_ctx r1 = { .a = &a, .left = n_unb };
	double raw1_rate;

	card_call_simple(&a, DPU_ABI_OP_FLOW_FLUSH, &fl, sizeof(fl));
	t0 = now();
	agent_store_foreach(&a.store, raw_single, &r1);
	raw1_rate = r1.done / (now() - t0);
	raw1_ok = !r1.err && r1.done == n_unb;
	printf("reference: %u pre-encoded ops into the card one at a time: %.0f/s%s\n",
	       r1.done, raw1_rate, raw1_ok ? "" : " (errors)");
	card_call_simple(&a, DPU_ABI_OP_FLOW_FLUSH, &fl, sizeof(fl));
	t0 = now();
	agent_store_foreach(&a.store, raw_one, &rc);
	if (rc.in_batch)
		raw_send(&rc);
	raw_reap(&rc, 0);
	raw_rate = (double)rc.sent / (now() - t0);
	raw_ok = !rc.err;
	printf("reference: %llu pre-encoded ops straight into the card (%u batches in flight): %.0f/s%s\n",
	       (unsigned long long)rc.sent, AGENT_INFLIGHT, raw_rate, raw_ok ? "" : " (errors)");

	/* resync: fill to n_res, reset the card, time the agent's repair */
	if (n_res > a.store.n_rules) {
		make(&ms, base + n_bat, n_res - (uint32_t)a.store.n_rules);
		feed(&a, &ms, false);
		drop(&ms);
	}
	card_call_simple(&a, DPU_ABI_OP_CARD_RESET, &rr, sizeof(rr));
	dpu_host_card_poll_events(a.card, 100);
	t0 = now();
	res_ok = agent_card_resync(&a) == 0;
	res = now() - t0;
	res_ok = res_ok && hw_count(&a) == a.store.n_rules;
	printf("resync:    %zu of %zu filters back in hardware after a card reset in %.2f s\n",
	       hw_count(&a), a.store.n_rules, res);

	kill(fw, SIGTERM);
	waitpid(fw, NULL, 0);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd)) {}

	char b[12][32];
	printf("{\"bench\": \"agent\", \"metrics\": {"
	       "\"tc_insert_unbatched_per_s\": {\"value\": %s, \"unit\": \"rules/s\", \"target\": 200000, "
	       "\"reference\": \"same rules as pre-encoded ABI ops into dpu-fw, one per message, each waited for\", "
	       "\"reference_value\": %s, \"ratio\": %s, \"rules\": %u, "
	       "\"context\": \"OVS OpenFlow one by one: 2.4K/s (quoted from the issue, not measured here)\"}, "
	       "\"tc_insert_batched_per_s\": {\"value\": %s, \"unit\": \"rules/s\", \"target\": 1000000, "
	       "\"reference\": \"same rules as pre-encoded ABI ops into dpu-fw (batches of %u, %u in flight, as the agent)\", "
	       "\"reference_value\": %s, \"ratio\": %s, \"rules\": %u, \"reference_rules\": %llu, "
	       "\"input\": \"netlink messages back to back, as a dump or a recording delivers them, through agent_nl_feed\", "
	       "\"context\": \"OVS OpenFlow bundles: 80K/s (quoted from the issue, not measured here)\"}, "
	       "\"tc_insert_batched_%u_per_s\": {\"value\": %s, \"unit\": \"rules/s\", \"target\": 1000000}, "
	       "\"tc_insert_batched_%u_per_s\": {\"value\": %s, \"unit\": \"rules/s\", \"target\": 1000000}, "
	       "\"resync_1m_s\": {\"value\": %s, \"unit\": \"s\", \"target\": 3, \"rules\": %zu}, "
	       "\"agent_alone_per_s\": {\"value\": %s, \"unit\": \"rules/s\", "
	       "\"what\": \"decode + translate + encode + store, nothing sent\"}, "
	       "\"batched_agent_cpu_us_per_rule\": {\"value\": %s, \"unit\": \"us\", "
	       "\"what\": \"process CPU time per rule in the largest burst, 50 us polling included: an upper bound\"}, "
	       "\"batched_card_cpu_us_per_rule\": {\"value\": %s, \"unit\": \"us\", "
	       "\"what\": \"as above, for dpu-fw\"}}}\n",
	       num(b[0], 32, unb_ok, 0, unb), num(b[1], 32, raw1_ok, 0, raw1_rate),
	       num(b[2], 32, unb_ok && raw1_ok, 3, unb / raw1_rate), n_unb,
	       num(b[3], 32, bat_ok[2], 0, bat), AGENT_KICK_OPS, AGENT_INFLIGHT,
	       num(b[4], 32, raw_ok, 0, raw_rate),
	       num(b[5], 32, bat_ok[2] && raw_ok, 3, bat / raw_rate), n_bat,
	       (unsigned long long)rc.sent,
	       sizes[0], num(b[6], 32, bat_ok[0], 0, bat_rate[0]),
	       sizes[1], num(b[7], 32, bat_ok[1], 0, bat_rate[1]),
	       num(b[8], 32, res_ok, 2, res), a.store.n_rules, num(b[11], 32, dec_ok, 0, dec),
	       num(b[9], 32, cpu_ok && bat_ok[2], 2, agent_us),
	       num(b[10], 32, cpu_ok && bat_ok[2], 2, card_us));
	return 0;
}
