// SPDX-License-Identifier: BSD-3-Clause
/*
 * Hand-built (libnl) flower messages that real tc would never send:
 * wrong sizes, oversized and unterminated attributes, overruns, repeats,
 * inconsistent counts. Each must be rejected as MALFORMED with a reason
 * naming the attribute, and counted; a truncation and bit-flip sweep over
 * a valid message must never crash (run under ASan/UBSan).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_gact.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/tc_act/tc_pedit.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static int failures, passes;

enum mut {
	M_NONE,
	M_IPV4_SHORT,     /* 3-byte IPv4 address */
	M_ETH_OVERSIZED,  /* 64-byte MAC */
	M_KIND_UNTERM,    /* TCA_KIND without NUL */
	M_DUP_KEY,        /* IPv4 dst twice */
	M_FLAGS_UNKNOWN,  /* TCA_FLOWER_FLAGS 0x100 */
	M_FLAGS_BOTH,     /* skip_hw|skip_sw */
	M_MIRRED_SIZE,    /* TCA_MIRRED_PARMS one byte short */
	M_MIRRED_EACTION, /* eaction 9 */
	M_PEDIT_NKEYS,    /* PARMS_EX says 2 keys, carries 1 */
	M_PEDIT_KEYS_EX,  /* KEYS_EX has no entry for the key */
	M_ACT_NO_KIND,    /* action without TCA_ACT_KIND */
	M_ACT_GAP,        /* actions 1 and 3 */
	M_UNKNOWN_ATTR,   /* flower attribute type 200 */
	M_CT_LABEL_BIG,   /* 17-byte ct label key */
	M_VLAN_ID_BIG,    /* vlan id 5000 */
	M_GENEVE_DATA,    /* geneve data of 5 bytes */
	M_MASK_NO_KEY,    /* IPv4 src mask without IPv4 src */
	M_GACT_MISSING,   /* gact without TCA_GACT_PARMS */
	M_COOKIE_BIG,     /* 17-byte cookie */
	M_STRING_KIND,    /* action kind 40 bytes */
};

static void put_gact(struct nl_msg *m, int prio, int verdict)
{
	struct nlattr *a = nla_nest_start(m, prio), *o;
	struct tc_gact g = { .action = verdict };

	nla_put_string(m, TCA_ACT_KIND, "gact");
	o = nla_nest_start(m, TCA_ACT_OPTIONS);
	nla_put(m, TCA_GACT_PARMS, sizeof(g), &g);
	nla_nest_end(m, o);
	nla_nest_end(m, a);
}

static struct nl_msg *build(enum mut mu)
{
	struct tcmsg t = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = 5,
		.tcm_handle = 1,
		.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
		.tcm_info = TC_H_MAKE(1u << 16, htons(ETH_P_IP)),
	};
	struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWTFILTER, NLM_F_REQUEST);
	struct nlattr *opts, *acts, *a, *o;
	uint8_t big[64] = { 0 };
	uint32_t ip = htonl(0x0a000001);

	nlmsg_append(m, &t, sizeof(t), NLMSG_ALIGNTO);
	if (mu == M_KIND_UNTERM)
		nla_put(m, TCA_KIND, 6, "flower");
	else
		nla_put_string(m, TCA_KIND, "flower");
	opts = nla_nest_start(m, TCA_OPTIONS);
	nla_put_u16(m, TCA_FLOWER_KEY_ETH_TYPE, htons(ETH_P_IP));
	nla_put(m, TCA_FLOWER_KEY_IPV4_DST, mu == M_IPV4_SHORT ? 3 : 4, &ip);
	if (mu == M_DUP_KEY)
		nla_put(m, TCA_FLOWER_KEY_IPV4_DST, 4, &ip);
	if (mu == M_ETH_OVERSIZED)
		nla_put(m, TCA_FLOWER_KEY_ETH_DST, 64, big);
	if (mu == M_FLAGS_UNKNOWN)
		nla_put_u32(m, TCA_FLOWER_FLAGS, 0x100);
	if (mu == M_FLAGS_BOTH)
		nla_put_u32(m, TCA_FLOWER_FLAGS, TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW);
	if (mu == M_UNKNOWN_ATTR)
		nla_put_u32(m, 200, 1);
	if (mu == M_CT_LABEL_BIG)
		nla_put(m, TCA_FLOWER_KEY_CT_LABELS, 17, big);
	if (mu == M_VLAN_ID_BIG) {
		/* re-declare the filter as VLAN: eth_type and vlan id */
		nla_put_u16(m, TCA_FLOWER_KEY_VLAN_ID, 5000);
	}
	if (mu == M_GENEVE_DATA) {
		struct nlattr *eo = nla_nest_start(m, TCA_FLOWER_KEY_ENC_OPTS);
		struct nlattr *g = nla_nest_start(m, TCA_FLOWER_KEY_ENC_OPTS_GENEVE);

		nla_put_u16(m, TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS, htons(0x102));
		nla_put_u8(m, TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE, 0x80);
		nla_put(m, TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA, 5, big);
		nla_nest_end(m, g);
		nla_nest_end(m, eo);
		nla_put(m, TCA_FLOWER_KEY_ENC_IPV4_DST, 4, &ip);
	}
	if (mu == M_MASK_NO_KEY)
		nla_put(m, TCA_FLOWER_KEY_IPV4_SRC_MASK, 4, &ip);

	acts = nla_nest_start(m, TCA_FLOWER_ACT);
	switch (mu) {
	case M_MIRRED_SIZE:
	case M_MIRRED_EACTION: {
		struct tc_mirred mr = { .action = TC_ACT_STOLEN,
					.eaction = mu == M_MIRRED_EACTION ? 9 : TCA_EGRESS_REDIR,
					.ifindex = 7 };

		a = nla_nest_start(m, 1);
		nla_put_string(m, TCA_ACT_KIND, "mirred");
		o = nla_nest_start(m, TCA_ACT_OPTIONS);
		nla_put(m, TCA_MIRRED_PARMS,
			mu == M_MIRRED_SIZE ? sizeof(mr) - 1 : sizeof(mr), &mr);
		nla_nest_end(m, o);
		nla_nest_end(m, a);
		break;
	}
	case M_PEDIT_NKEYS:
	case M_PEDIT_KEYS_EX: {
		struct {
			struct tc_pedit_sel sel;
			struct tc_pedit_key k[1];
		} p;
		struct nlattr *kx, *k;

		memset(&p, 0, sizeof(p));
		p.sel.action = TC_ACT_PIPE;
		p.sel.nkeys = mu == M_PEDIT_NKEYS ? 2 : 1;
		p.k[0].mask = 0;
		p.k[0].val = 0x01020304;
		p.k[0].off = 0;
		a = nla_nest_start(m, 1);
		nla_put_string(m, TCA_ACT_KIND, "pedit");
		o = nla_nest_start(m, TCA_ACT_OPTIONS);
		nla_put(m, TCA_PEDIT_PARMS_EX, sizeof(p), &p);
		kx = nla_nest_start(m, TCA_PEDIT_KEYS_EX);
		if (mu == M_PEDIT_NKEYS) {
			k = nla_nest_start(m, TCA_PEDIT_KEY_EX);
			nla_put_u16(m, TCA_PEDIT_KEY_EX_HTYPE, TCA_PEDIT_KEY_EX_HDR_TYPE_ETH);
			nla_put_u16(m, TCA_PEDIT_KEY_EX_CMD, TCA_PEDIT_KEY_EX_CMD_SET);
			nla_nest_end(m, k);
		}
		nla_nest_end(m, kx);
		nla_nest_end(m, o);
		nla_nest_end(m, a);
		put_gact(m, 2, TC_ACT_SHOT);
		break;
	}
	case M_ACT_NO_KIND:
		a = nla_nest_start(m, 1);
		nla_put_u32(m, TCA_ACT_INDEX, 3);
		nla_nest_end(m, a);
		break;
	case M_ACT_GAP:
		put_gact(m, 1, TC_ACT_PIPE);
		put_gact(m, 3, TC_ACT_SHOT);
		break;
	case M_GACT_MISSING:
		a = nla_nest_start(m, 1);
		nla_put_string(m, TCA_ACT_KIND, "gact");
		/* libnl drops empty nests; a pad keeps this one. */
		o = nla_nest_start(m, TCA_ACT_OPTIONS);
		nla_put(m, TCA_GACT_PAD, 0, NULL);
		nla_nest_end(m, o);
		nla_nest_end(m, a);
		break;
	case M_COOKIE_BIG:
		a = nla_nest_start(m, 1);
		nla_put_string(m, TCA_ACT_KIND, "gact");
		nla_put(m, TCA_ACT_COOKIE, 17, big);
		nla_nest_end(m, a);
		break;
	case M_STRING_KIND:
		a = nla_nest_start(m, 1);
		memset(big, 'x', 39);
		big[39] = 0;
		nla_put_string(m, TCA_ACT_KIND, (const char *)big);
		nla_nest_end(m, a);
		break;
	default:
		put_gact(m, 1, TC_ACT_SHOT);
		break;
	}
	nla_nest_end(m, acts);
	nla_nest_end(m, opts);
	return m;
}

static void expect(const char *name, const void *buf, size_t len,
		   enum dpu_rules_verdict v, const char *needle,
		   struct dpu_rules_stats *st)
{
	struct dpu_rules_result res;
	struct dpu_rules_flow f;

	dpu_rules_tc_decode(buf, len, &f, &res, st);
	if (res.verdict != v || (needle && !strstr(res.reason, needle))) {
		failures++;
		printf("not ok - %s: got %s \"%s\", want %s \"%s\"\n", name,
		       dpu_rules_verdict_name(res.verdict), res.reason,
		       dpu_rules_verdict_name(v), needle ? needle : "");
		return;
	}
	passes++;
	printf("ok - %s: %s\n", name, res.reason[0] ? res.reason : "ok");
}

static void expect_mut(const char *name, enum mut mu,
		       enum dpu_rules_verdict v, const char *needle,
		       struct dpu_rules_stats *st)
{
	struct nl_msg *m = build(mu);
	struct nlmsghdr *h = nlmsg_hdr(m);

	expect(name, h, h->nlmsg_len, v, needle, st);
	nlmsg_free(m);
}

/* Overwrite the first attribute of type `type` found by a byte scan of
 * the message with a length that runs past its container. */
static void overrun(struct dpu_rules_stats *st)
{
	struct nl_msg *m = build(M_NONE);
	struct nlmsghdr *h = nlmsg_hdr(m);
	uint8_t *p = (uint8_t *)h;
	size_t off;

	for (off = NLMSG_HDRLEN + sizeof(struct tcmsg); off + 4 <= h->nlmsg_len;
	     off += 4) {
		struct nlattr *a = (struct nlattr *)(p + off);

		if (nla_type(a) == TCA_FLOWER_KEY_IPV4_DST && a->nla_len == 8) {
			a->nla_len = 200;
			break;
		}
	}
	expect("attribute length overruns its nest", h, h->nlmsg_len,
	       DPU_RULES_MALFORMED, "overruns", st);
	nlmsg_free(m);
}

static void sweep(void)
{
	struct nl_msg *m = build(M_PEDIT_KEYS_EX);
	struct nlmsghdr *h = nlmsg_hdr(m);
	size_t n = h->nlmsg_len, i;
	uint8_t *copy = malloc(n);
	struct dpu_rules_result res;
	struct dpu_rules_flow f;
	unsigned int bad = 0;

	/* Truncations: the buffer shorter than nlmsg_len, and nlmsg_len
	 * itself cut (attributes then end mid-way). */
	for (i = 0; i < n; i++) {
		memcpy(copy, h, n);
		dpu_rules_tc_decode(copy, i, &f, &res, NULL);
		if (res.verdict != DPU_RULES_MALFORMED)
			bad++;
		if (i >= NLMSG_HDRLEN) {
			((struct nlmsghdr *)copy)->nlmsg_len = (uint32_t)i;
			dpu_rules_tc_decode(copy, n, &f, &res, NULL);
		}
	}
	/* Every bit of every byte flipped once: no crash, no hang. */
	for (i = 0; i < n * 8; i++) {
		memcpy(copy, h, n);
		copy[i / 8] ^= (uint8_t)(1u << (i % 8));
		dpu_rules_tc_decode(copy, n, &f, &res, NULL);
	}
	free(copy);
	nlmsg_free(m);
	if (bad) {
		failures++;
		printf("not ok - truncation sweep: %u short buffers not malformed\n", bad);
	} else {
		passes++;
		printf("ok - truncation and bit-flip sweep over %zu bytes\n", n);
	}
}

int main(void)
{
	struct dpu_rules_stats st = { 0 };
	struct tcmsg t = { 0 };
	struct nl_msg *m;

	expect_mut("valid baseline", M_NONE, DPU_RULES_OK, NULL, &st);
	expect_mut("IPv4 address of 3 bytes", M_IPV4_SHORT, DPU_RULES_MALFORMED,
		   "TCA_FLOWER_KEY_IPV4_DST: payload 3 bytes, expected 4", &st);
	expect_mut("oversized MAC", M_ETH_OVERSIZED, DPU_RULES_MALFORMED,
		   "TCA_FLOWER_KEY_ETH_DST: payload 64 bytes", &st);
	expect_mut("unterminated kind", M_KIND_UNTERM, DPU_RULES_MALFORMED,
		   "TCA_KIND: string not NUL-terminated", &st);
	expect_mut("repeated key", M_DUP_KEY, DPU_RULES_MALFORMED,
		   "TCA_FLOWER_KEY_IPV4_DST: attribute appears twice", &st);
	expect_mut("unknown flags", M_FLAGS_UNKNOWN, DPU_RULES_MALFORMED,
		   "TCA_FLOWER_FLAGS: unknown flags 0x100", &st);
	expect_mut("skip_hw and skip_sw", M_FLAGS_BOTH, DPU_RULES_MALFORMED,
		   "TCA_FLOWER_FLAGS: skip_hw and skip_sw", &st);
	expect_mut("mirred parms short", M_MIRRED_SIZE, DPU_RULES_MALFORMED,
		   "TCA_MIRRED_PARMS: payload 27 bytes, expected 28", &st);
	expect_mut("mirred eaction", M_MIRRED_EACTION, DPU_RULES_MALFORMED,
		   "TCA_MIRRED_PARMS: eaction 9", &st);
	expect_mut("pedit nkeys", M_PEDIT_NKEYS, DPU_RULES_MALFORMED,
		   "TCA_PEDIT_PARMS_EX: 48 bytes for 2 keys", &st);
	expect_mut("pedit keys_ex count", M_PEDIT_KEYS_EX, DPU_RULES_MALFORMED,
		   "TCA_PEDIT_KEYS_EX: missing", &st);
	expect_mut("action without kind", M_ACT_NO_KIND, DPU_RULES_MALFORMED,
		   "TCA_ACT_KIND: missing", &st);
	expect_mut("gap in action list", M_ACT_GAP, DPU_RULES_MALFORMED,
		   "TCA_FLOWER_ACT: action 3 after a gap", &st);
	expect_mut("unknown flower attribute", M_UNKNOWN_ATTR, DPU_RULES_REFUSED,
		   "unknown attribute type 200", &st);
	expect_mut("ct label of 17 bytes", M_CT_LABEL_BIG, DPU_RULES_MALFORMED,
		   "TCA_FLOWER_KEY_CT_LABELS: payload 17 bytes, expected at most 16", &st);
	expect_mut("vlan id key outside 802.1Q", M_VLAN_ID_BIG, DPU_RULES_REFUSED,
		   "TCA_FLOWER_KEY_VLAN_*", &st);
	expect_mut("geneve data not in words", M_GENEVE_DATA, DPU_RULES_MALFORMED,
		   "TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA: 5 bytes", &st);
	expect_mut("mask without key", M_MASK_NO_KEY, DPU_RULES_MALFORMED,
		   "TCA_FLOWER_KEY_IPV4_SRC_MASK: mask without TCA_FLOWER_KEY_IPV4_SRC", &st);
	expect_mut("gact without parms", M_GACT_MISSING, DPU_RULES_MALFORMED,
		   "TCA_GACT_PARMS: missing", &st);
	expect_mut("cookie over 16 bytes", M_COOKIE_BIG, DPU_RULES_MALFORMED,
		   "TCA_ACT_COOKIE: payload 17 bytes", &st);
	expect_mut("action kind too long", M_STRING_KIND, DPU_RULES_MALFORMED,
		   "TCA_ACT_KIND: string not NUL-terminated within 16", &st);
	overrun(&st);

	/* Message-level framing. */
	m = build(M_NONE);
	expect("buffer shorter than nlmsg_len", nlmsg_hdr(m),
	       nlmsg_hdr(m)->nlmsg_len - 1, DPU_RULES_MALFORMED, "nlmsg_len", &st);
	expect("no room for nlmsghdr", nlmsg_hdr(m), 8, DPU_RULES_MALFORMED,
	       "nlmsghdr", &st);
	nlmsg_free(m);
	m = nlmsg_alloc_simple(RTM_NEWTFILTER, NLM_F_REQUEST);
	nlmsg_append(m, &t, 8, NLMSG_ALIGNTO);
	expect("tcmsg cut short", nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len,
	       DPU_RULES_MALFORMED, "tcmsg: 8 bytes", &st);
	nlmsg_free(m);
	m = nlmsg_alloc_simple(RTM_NEWQDISC, NLM_F_REQUEST);
	nlmsg_append(m, &t, sizeof(t), NLMSG_ALIGNTO);
	expect("qdisc message", nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len,
	       DPU_RULES_IGNORED, "nlmsg_type 36", &st);
	nlmsg_free(m);

	sweep();

	if (st.malformed != 22 || st.refused != 2 || st.decoded != 1 ||
	    st.ignored != 1) {
		failures++;
		printf("not ok - counters: decoded %llu malformed %llu refused %llu ignored %llu\n",
		       (unsigned long long)st.decoded, (unsigned long long)st.malformed,
		       (unsigned long long)st.refused, (unsigned long long)st.ignored);
	} else {
		passes++;
		printf("ok - counters\n");
	}
	printf("%d passed, %d failed\n", passes, failures);
	return failures != 0;
}
