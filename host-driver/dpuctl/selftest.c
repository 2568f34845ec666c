/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `dpuctl selftest`: one round of the basic requests against a live card,
 * printing what was negotiated and checking every answer. It is the
 * README demo until the full data path lands, and an integration test.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dpuctl.h"

static int failures;

static void expect(int cond, const char *what, const char *detail)
{
	printf("  %-4s %s%s%s\n", cond ? "ok" : "FAIL", what, detail ? ": " : "",
	       detail ? detail : "");
	if (!cond)
		failures++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* in_port=P, IPv4 to dst, TCP dport: a typical 5-tuple offload rule. */
static void add_tcp_rule(struct dpu_abi_builder *b, uint64_t id, uint32_t in_port,
			 uint8_t dst_last, uint16_t dport, uint32_t out_port,
			 bool push_vlan)
{
	struct dpu_abi_flow_id fid = { .lo = id, .hi = 0x5e1f7e57 };
	struct dpu_abi_item_port port = { .port_id = in_port }, port_m = { UINT32_MAX };
	struct dpu_abi_item_eth eth = { .ether_type = htons(0x0800) };
	struct dpu_abi_item_eth eth_m = { .ether_type = 0xffff };
	struct dpu_abi_item_ipv4 ip = { .proto = 6, .dst = { 10, 0, 0, dst_last } };
	struct dpu_abi_item_ipv4 ip_m = { .proto = 0xff, .dst = { 255, 255, 255, 255 } };
	struct dpu_abi_item_tcp tcp = { .dst_port = htons(dport) };
	struct dpu_abi_item_tcp tcp_m = { .dst_port = 0xffff };
	struct dpu_abi_act_vlan vlan = {
		.hdr = { DPU_ABI_ACT_VLAN_PUSH, sizeof(vlan) },
		.tpid = htons(0x8100),
		.tci = htons(100),
	};
	struct dpu_abi_act_u32 count = { .hdr = { DPU_ABI_ACT_COUNT, sizeof(count) } };
	struct dpu_abi_act_port out = {
		.hdr = { DPU_ABI_ACT_OUTPUT, sizeof(out) },
		.port_id = out_port,
	};

	dpu_abi_flow_op_begin(b, DPU_ABI_FLOW_ADD, DPU_ABI_FLOWF_TRANSFER, 0, 10, &fid);
	dpu_abi_flow_op_item(b, DPU_ABI_ITEM_PORT, &port, &port_m);
	dpu_abi_flow_op_item(b, DPU_ABI_ITEM_ETH, &eth, &eth_m);
	dpu_abi_flow_op_item(b, DPU_ABI_ITEM_IPV4, &ip, &ip_m);
	dpu_abi_flow_op_item(b, DPU_ABI_ITEM_TCP, &tcp, &tcp_m);
	dpu_abi_flow_op_action(b, &count);
	if (push_vlan)
		dpu_abi_flow_op_action(b, &vlan);
	dpu_abi_flow_op_action(b, &out);
	dpu_abi_flow_op_end(b);
}

static void add_id_op(struct dpu_abi_builder *b, uint8_t op, uint64_t id)
{
	struct dpu_abi_flow_id fid = { .lo = id, .hi = 0x5e1f7e57 };

	dpu_abi_flow_op_begin(b, op, 0, 0, 0, &fid);
	dpu_abi_flow_op_end(b);
}

static const struct dpu_abi_flow_result *results(const struct dpu_abi_hdr *resp,
						 uint32_t *n)
{
	const struct dpu_abi_flow_batch_resp *r = dpu_abi_body(resp);

	*n = dpu_abi_body_len(resp) >= sizeof(*r) ? r->n_results : 0;
	return (const void *)(r + 1);
}

static char refusal[128];

static void on_event(void *arg, const struct dpu_abi_hdr *evt)
{
	uint32_t *seen_epoch = arg;

	if (evt->opcode == DPU_ABI_OP_EVT_ERROR) {
		const struct dpu_abi_evt_error *e = dpu_abi_body(evt);

		snprintf(refusal, sizeof(refusal), "%s", e->text);
	}
	if (evt->opcode == DPU_ABI_OP_EVT_CARD_RESET) {
		const struct dpu_abi_evt_card_reset *r = dpu_abi_body(evt);

		*seen_epoch = r->new_epoch;
	}
}

int dpuctl_selftest(struct dpu_host_card *card, int argc, char **argv)
{
	static uint8_t buf[64 * 1024];
	const struct dpu_abi_hello_resp *h = &card->hello;
	const struct dpu_abi_hdr *resp;
	const struct dpu_abi_flow_result *res;
	struct dpu_abi_builder b;
	char detail[256], feats[200];
	uint32_t n, seen_epoch = 0;
	int rc, len;

	(void)argc;
	(void)argv;
	failures = 0;
	printf("HELLO\n");
	snprintf(detail, sizeof(detail), "ABI %u.%u, card '%s' (%s), epoch %u",
		 h->ver_major, h->ver_minor, h->card_name, h->fw_version, h->epoch);
	expect(h->ver_major == DPU_ABI_VERSION_MAJOR, "version negotiated", detail);
	snprintf(detail, sizeof(detail), "%s",
		 dpuctl_feature_names(h->features, feats, sizeof(feats)));
	expect(h->features & DPU_ABI_FEAT_FLOW, "features granted", detail);
	snprintf(detail, sizeof(detail),
		 "%u ports, %u flows, %u groups, batch %u, messages %u bytes",
		 h->caps.n_ports, h->caps.max_flows, h->caps.max_groups,
		 h->caps.max_batch, h->caps.max_msg_len);
	expect(h->caps.max_batch > 0 && h->caps.n_ports > 0, "capabilities", detail);

	printf("KEEPALIVE\n");
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 100; i++) {
		struct dpu_abi_keepalive_req ka = { .seq = (uint64_t)i, .host_time_ns = now_ns() };

		rc = dpu_host_card_simple(card, DPU_ABI_OP_KEEPALIVE, &ka, sizeof(ka), &resp);
		if (rc)
			break;
		const struct dpu_abi_keepalive_resp *kr = dpu_abi_body(resp);
		uint64_t rtt = now_ns() - kr->host_time_ns;

		if (kr->seq != ka.seq)
			rc = -1;
		if (rtt < best)
			best = rtt;
	}
	snprintf(detail, sizeof(detail), "100 round trips, best %.1f us", (double)best / 1e3);
	expect(rc == 0, "keepalive seq echoed", detail);

	printf("PORT_LIST\n");
	struct dpu_abi_list_req lq = { 0 };
	rc = dpu_host_card_simple(card, DPU_ABI_OP_PORT_LIST, &lq, sizeof(lq), &resp);
	const struct dpu_abi_list_resp *l = dpu_abi_body(resp);
	if (rc == 0) {
		const struct dpu_abi_port_info *p = (const void *)(l + 1);
		size_t off = 0;

		detail[0] = 0;
		for (uint32_t i = 0; i < l->count && off < sizeof(detail) - 20; i++)
			off += (size_t)snprintf(detail + off, sizeof(detail) - off, "%s%s",
						i ? " " : "", p[i].name);
	}
	expect(rc == 0 && l->count == h->caps.n_ports, "ports listed", detail);

	printf("FLOW_BATCH (add)\n");
	dpu_abi_build_init(&b, buf, sizeof(buf), DPU_ABI_OP_FLOW_BATCH, 0, 0);
	dpu_abi_flow_batch_begin(&b);
	add_tcp_rule(&b, 1, 1, 2, 80, 2, false);
	add_tcp_rule(&b, 2, 1, 3, 443, 3, true);
	add_tcp_rule(&b, 3, 2, 1, 22, 1, false);
	add_tcp_rule(&b, 1, 1, 2, 80, 2, false); /* same id, same rule */
	len = dpu_abi_build_finish(&b);
	rc = len < 0 ? len : dpu_host_card_call(card, buf, (size_t)len, &resp);
	res = results(resp, &n);
	snprintf(detail, sizeof(detail), "4 ops in one message (%d bytes), statuses %s/%s/%s/%s",
		 len, n > 0 ? dpu_abi_status_name(res[0].status) : "-",
		 n > 1 ? dpu_abi_status_name(res[1].status) : "-",
		 n > 2 ? dpu_abi_status_name(res[2].status) : "-",
		 n > 3 ? dpu_abi_status_name(res[3].status) : "-");
	expect(rc == DPU_ABI_OK && n == 4, "batched add, re-add is idempotent", detail);

	printf("FLOW_BATCH (conflicting re-add, query, delete)\n");
	dpu_abi_build_init(&b, buf, sizeof(buf), DPU_ABI_OP_FLOW_BATCH, 0, 0);
	dpu_abi_flow_batch_begin(&b);
	add_tcp_rule(&b, 1, 1, 2, 8080, 2, false); /* same id, different rule */
	add_id_op(&b, DPU_ABI_FLOW_QUERY, 2);
	add_id_op(&b, DPU_ABI_FLOW_DELETE, 3);
	add_id_op(&b, DPU_ABI_FLOW_DELETE, 99);
	len = dpu_abi_build_finish(&b);
	rc = len < 0 ? len : dpu_host_card_call(card, buf, (size_t)len, &resp);
	res = results(resp, &n);
	expect(rc == DPU_ABI_E_PARTIAL && n == 4 && res[0].status == DPU_ABI_E_EXISTS &&
		       res[1].status == DPU_ABI_OK && res[2].status == DPU_ABI_OK &&
		       res[3].status == DPU_ABI_E_NOT_FOUND,
	       "per-op status", "EXISTS, OK, OK, NOT_FOUND; batch says PARTIAL");

	card->on_event = on_event;
	card->event_arg = &seen_epoch;
	if (!(h->caps.item_types & (1ull << DPU_ABI_ITEM_ARP))) {
		/* The card said in HELLO it cannot match ARP; asking anyway must
		 * get a clean refusal with a reason, not a silent partial rule. */
		struct dpu_abi_flow_id fid = { .lo = 42, .hi = 0x5e1f7e57 };
		struct dpu_abi_item_arp arp = { .op = htons(1) }, arp_m = { .op = 0xffff };
		struct dpu_abi_act_empty drop = { .hdr = { DPU_ABI_ACT_DROP, sizeof(drop) } };

		printf("FLOW_BATCH (beyond the card's capabilities)\n");
		refusal[0] = 0;
		dpu_abi_build_init(&b, buf, sizeof(buf), DPU_ABI_OP_FLOW_BATCH, 0, 0);
		dpu_abi_flow_batch_begin(&b);
		dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 0, 1, &fid);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_ARP, &arp, &arp_m);
		dpu_abi_flow_op_action(&b, &drop);
		dpu_abi_flow_op_end(&b);
		len = dpu_abi_build_finish(&b);
		rc = len < 0 ? len : dpu_host_card_call(card, buf, (size_t)len, &resp);
		res = results(resp, &n);
		for (int i = 0; i < 20 && !refusal[0]; i++)
			dpu_host_card_poll_events(card, 50);
		expect(rc == DPU_ABI_E_PARTIAL && n == 1 &&
			       res[0].status == DPU_ABI_E_NOT_SUPPORTED && refusal[0],
		       "refused as NOT_SUPPORTED, reason sent as EVT_ERROR", refusal);
	}

	printf("FLOW_LIST\n");
	rc = dpu_host_card_simple(card, DPU_ABI_OP_FLOW_LIST, &lq, sizeof(lq), &resp);
	l = dpu_abi_body(resp);
	snprintf(detail, sizeof(detail), "%u flows on the card", rc == 0 ? l->total : 0);
	expect(rc == 0 && l->total == 2, "card holds exactly the wanted set", detail);

	printf("malformed request\n");
	dpu_abi_build_init(&b, buf, sizeof(buf), DPU_ABI_OP_FLOW_BATCH, 0, 0);
	dpu_abi_flow_batch_begin(&b);
	add_tcp_rule(&b, 7, 1, 9, 9, 1, false);
	len = dpu_abi_build_finish(&b);
	if (len > 0) {
		/* Corrupt the last action's type, as a buggy host would. */
		struct dpu_abi_action_hdr *a =
			(void *)(buf + len - sizeof(struct dpu_abi_act_port));
		a->type = 0x77;
		rc = dpu_host_card_call(card, buf, (size_t)len, &resp);
	}
	expect(rc == DPU_ABI_E_ENUM, "card rejects it and says where", card->err);

	printf("CARD_RESET\n");
	uint32_t old = card->epoch;
	struct dpu_abi_card_reset_req rq = { .kind = DPU_ABI_RESET_SOFT };
	rc = dpu_host_card_simple(card, DPU_ABI_OP_CARD_RESET, &rq, sizeof(rq), &resp);
	for (int i = 0; i < 20 && rc == 0 && !seen_epoch; i++)
		dpu_host_card_poll_events(card, 50);
	snprintf(detail, sizeof(detail), "epoch %u -> %u, event says %u", old,
		 card->epoch, seen_epoch);
	expect(rc == 0 && card->epoch == old + 1 && seen_epoch == card->epoch,
	       "new epoch, EVT_CARD_RESET delivered", detail);
	rc = dpu_host_card_simple(card, DPU_ABI_OP_FLOW_LIST, &lq, sizeof(lq), &resp);
	l = dpu_abi_body(resp);
	expect(rc == 0 && l->total == 0, "tables empty after reset", NULL);

	printf("selftest: %s\n", failures ? "FAILED" : "all answers as expected");
	return failures ? DPUCTL_EXIT_FAIL : DPUCTL_EXIT_OK;
}
