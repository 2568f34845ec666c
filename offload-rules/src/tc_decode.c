// SPDX-License-Identifier: BSD-3-Clause
/* Message level of the tc decoder: nlmsghdr, tcmsg, TCA_KIND/CHAIN. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <string.h>

#include "dpu_rules_tc.h"
#include "tc_flower.h"
#include "tc_nl.h"

#ifndef TCM_IFINDEX_MAGIC_BLOCK
#define TCM_IFINDEX_MAGIC_BLOCK 0xffffffffu
#endif

static const struct tc_attr tca_attrs[TCA_MAX + 1] = {
	[TCA_KIND] = { "TCA_KIND", TC_A_STRING, TC_USE, 16, NULL },
	[TCA_OPTIONS] = { "TCA_OPTIONS", TC_A_NESTED, TC_USE, 0, NULL },
	[TCA_STATS] = { "TCA_STATS", TC_A_MIN, TC_SKIP, 0, NULL },
	[TCA_XSTATS] = { "TCA_XSTATS", TC_A_MIN, TC_SKIP, 0, NULL },
	[TCA_RATE] = { "TCA_RATE", TC_A_MIN, TC_REFUSE, 0,
		       "rate estimators run on the host" },
	[TCA_FCNT] = { "TCA_FCNT", TC_A_FIXED, TC_SKIP, 4, NULL },
	[TCA_STATS2] = { "TCA_STATS2", TC_A_NESTED, TC_SKIP, 0, NULL },
	[TCA_STAB] = { "TCA_STAB", TC_A_NESTED, TC_SKIP, 0, NULL },
	[TCA_PAD] = { "TCA_PAD", TC_A_MIN, TC_SKIP, 0, NULL },
	[TCA_DUMP_INVISIBLE] = { "TCA_DUMP_INVISIBLE", TC_A_FLAG, TC_SKIP, 0, NULL },
	[TCA_CHAIN] = { "TCA_CHAIN", TC_A_FIXED, TC_USE, 4, NULL },
	[TCA_HW_OFFLOAD] = { "TCA_HW_OFFLOAD", TC_A_FIXED, TC_SKIP, 1, NULL },
	[TCA_INGRESS_BLOCK] = { "TCA_INGRESS_BLOCK", TC_A_FIXED, TC_SKIP, 4, NULL },
	[TCA_EGRESS_BLOCK] = { "TCA_EGRESS_BLOCK", TC_A_FIXED, TC_SKIP, 4, NULL },
};

static void count(struct dpu_rules_stats *st, const struct dpu_rules_result *r)
{
	if (!st)
		return;
	switch (r->verdict) {
	case DPU_RULES_OK: st->decoded++; break;
	case DPU_RULES_MALFORMED: st->malformed++; break;
	case DPU_RULES_REFUSED: st->refused++; break;
	case DPU_RULES_SW_ONLY: st->sw_only++; break;
	case DPU_RULES_IGNORED: st->ignored++; break;
	}
}

static int identity(struct tc_ctx *c, const struct tcmsg *t)
{
	struct dpu_rules_id *id = &c->f->id;

	id->prio = (uint16_t)(t->tcm_info >> 16);
	id->protocol = ntohs((uint16_t)(t->tcm_info & 0xffff));
	id->handle = t->tcm_handle;
	if ((uint32_t)t->tcm_ifindex == TCM_IFINDEX_MAGIC_BLOCK) {
		id->dir = DPU_RULES_DIR_BLOCK;
		id->ifindex = t->tcm_block_index;
		return tc_refuse(c, "tcm_block_index %u: shared blocks are not offloaded yet (their member ports are not in the message)",
				 t->tcm_block_index);
	}
	if (t->tcm_ifindex <= 0)
		return tc_malformed(c, "tcm_ifindex: %d", t->tcm_ifindex);
	id->ifindex = (uint32_t)t->tcm_ifindex;
	if (t->tcm_parent == TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)) {
		id->dir = DPU_RULES_DIR_EGRESS;
		return tc_refuse(c, "tcm_parent egress: clsact egress filters see host-transmitted packets the card never classifies");
	}
	if (t->tcm_parent != TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS) &&
	    t->tcm_parent != TC_H_MAKE(TC_H_INGRESS, 0))
		return tc_refuse(c, "tcm_parent %x:%x: only ingress filters are offloaded",
				 TC_H_MAJ(t->tcm_parent) >> 16,
				 TC_H_MIN(t->tcm_parent));
	id->dir = DPU_RULES_DIR_INGRESS;
	return 0;
}

static int decode(struct tc_ctx *c, const struct nlmsghdr *nlh)
{
	struct nlattr *tb[TCA_MAX + 1];
	const struct tcmsg *t;
	int err;

	if ((size_t)nlmsg_datalen(nlh) < sizeof(*t))
		return tc_malformed(c, "tcmsg: %d bytes, expected at least %zu",
				    nlmsg_datalen(nlh), sizeof(*t));
	t = nlmsg_data(nlh);
	c->f->op = nlh->nlmsg_type == RTM_DELTFILTER ? DPU_RULES_OP_DEL :
						       DPU_RULES_OP_ADD;
	err = identity(c, t);
	if (err)
		return err;
	err = tc_parse(c, tb, TCA_MAX, nlmsg_attrdata(nlh, sizeof(*t)),
		       nlmsg_attrlen(nlh, sizeof(*t)), tca_attrs, "tcmsg");
	if (err)
		return err;
	if (tb[TCA_CHAIN])
		c->f->id.chain = nla_get_u32(tb[TCA_CHAIN]);
	if (c->f->op == DPU_RULES_OP_DEL)
		return 0; /* identity is all a delete needs */
	if (!tb[TCA_KIND])
		return tc_malformed(c, "TCA_KIND: missing");
	if (strcmp(nla_data(tb[TCA_KIND]), "flower"))
		return tc_refuse(c, "TCA_KIND: classifier \"%s\" is not translated (flower only)",
				 (const char *)nla_data(tb[TCA_KIND]));
	if (!tb[TCA_OPTIONS])
		return tc_malformed(c, "TCA_OPTIONS: missing for flower");
	return tc_flower_options(c, tb[TCA_OPTIONS]);
}

int dpu_rules_tc_decode(const void *buf, size_t len, struct dpu_rules_flow *f,
			struct dpu_rules_result *res,
			struct dpu_rules_stats *st)
{
	const struct nlmsghdr *nlh = buf;
	struct tc_ctx c = { .f = f, .res = res };

	memset(res, 0, sizeof(*res));
	dpu_rules_flow_init(f);
	if (len < sizeof(*nlh) || len > INT32_MAX) {
		tc_malformed(&c, "nlmsghdr: %zu bytes", len);
		goto out;
	}
	if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len) {
		tc_malformed(&c, "nlmsghdr: nlmsg_len %u for %zu bytes",
			     nlh->nlmsg_len, len);
		goto out;
	}
	if (nlh->nlmsg_type != RTM_NEWTFILTER &&
	    nlh->nlmsg_type != RTM_DELTFILTER) {
		dpu_rules_fail(res, DPU_RULES_IGNORED,
			       "nlmsg_type %u: not a tc filter add/delete",
			       nlh->nlmsg_type);
		res->err = -ENOENT;
		goto out;
	}
	decode(&c, nlh);
	/* skip_hw wins over any refusal: the user asked for software. */
	if (res->verdict != DPU_RULES_MALFORMED &&
	    (f->flags & DPU_RULES_F_SKIP_HW)) {
		memset(res, 0, sizeof(*res));
		dpu_rules_fail(res, DPU_RULES_SW_ONLY,
			       "TCA_FLOWER_FLAGS: skip_hw, the filter stays in software by request");
	}
out:
	count(st, res);
	return res->err;
}

static const struct tc_attr root_attrs[TCA_ROOT_MAX + 1] = {
	[TCA_ROOT_TAB] = { "TCA_ROOT_TAB", TC_A_NESTED, TC_USE, 0, NULL },
	[TCA_ROOT_FLAGS] = { "TCA_ROOT_FLAGS", TC_A_FIXED, TC_SKIP, 8, NULL },
	[TCA_ROOT_COUNT] = { "TCA_ROOT_COUNT", TC_A_FIXED, TC_SKIP, 4, NULL },
	[TCA_ROOT_TIME_DELTA] = { "TCA_ROOT_TIME_DELTA", TC_A_FIXED, TC_SKIP, 4, NULL },
	[TCA_ROOT_EXT_WARN_MSG] = { "TCA_ROOT_EXT_WARN_MSG", TC_A_MIN, TC_SKIP, 0, NULL },
};

int dpu_rules_tc_decode_actions(const void *buf, size_t len,
				struct dpu_rules_flow *f,
				struct dpu_rules_result *res,
				struct dpu_rules_stats *st)
{
	const struct nlmsghdr *nlh = buf;
	struct tc_ctx c = { .f = f, .res = res };
	struct nlattr *tb[TCA_ROOT_MAX + 1];
	const size_t hdr = sizeof(struct tcamsg);

	memset(res, 0, sizeof(*res));
	dpu_rules_flow_init(f);
	if (len < sizeof(*nlh) || len > INT32_MAX ||
	    nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len) {
		tc_malformed(&c, "nlmsghdr: %zu bytes", len);
		goto out;
	}
	if (nlh->nlmsg_type != RTM_NEWACTION && nlh->nlmsg_type != RTM_DELACTION) {
		dpu_rules_fail(res, DPU_RULES_IGNORED,
			       "nlmsg_type %u: not a tc action add/delete",
			       nlh->nlmsg_type);
		res->err = -ENOENT;
		goto out;
	}
	f->op = nlh->nlmsg_type == RTM_DELACTION ? DPU_RULES_OP_DEL :
						   DPU_RULES_OP_ADD;
	if ((size_t)nlmsg_datalen(nlh) < hdr) {
		tc_malformed(&c, "tcamsg: %d bytes, expected at least %zu",
			     nlmsg_datalen(nlh), hdr);
		goto out;
	}
	if (tc_parse(&c, tb, TCA_ROOT_MAX, nlmsg_attrdata(nlh, hdr),
		     nlmsg_attrlen(nlh, hdr), root_attrs, "tcamsg"))
		goto out;
	if (!tb[TCA_ROOT_TAB]) {
		tc_malformed(&c, "TCA_ROOT_TAB: missing");
		goto out;
	}
	tc_actions_standalone(&c, tb[TCA_ROOT_TAB]);
out:
	count(st, res);
	return res->err;
}