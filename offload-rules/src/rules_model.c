// SPDX-License-Identifier: BSD-3-Clause
/* The rule model: initialisation, results, item access, tc flow ids. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "dpu_rules.h"

void dpu_rules_flow_init(struct dpu_rules_flow *f)
{
	/* Not the action slots (most of the 3.9 KB): dpu_rules_add_action()
	 * clears each one it hands out, and nothing reads past n_actions. */
	memset(f, 0, offsetof(struct dpu_rules_flow, actions));
	f->cookie_len = 0;
	memset(f->cookie, 0, sizeof(f->cookie));
	f->op = DPU_RULES_OP_ADD;
	f->id.source = DPU_RULES_SRC_TC;
}

int dpu_rules_fail(struct dpu_rules_result *res, enum dpu_rules_verdict v,
		   const char *fmt, ...)
{
	va_list ap;

	/* The first reason wins, except that "malformed" beats everything:
	 * a broken message must be reported as broken, not as unsupported. */
	if (res->verdict != DPU_RULES_OK &&
	    !(v == DPU_RULES_MALFORMED && res->verdict != DPU_RULES_MALFORMED))
		return res->err;
	res->verdict = v;
	switch (v) {
	case DPU_RULES_OK:
		res->err = 0;
		break;
	case DPU_RULES_MALFORMED:
		res->err = -EINVAL;
		break;
	default:
		res->err = -EOPNOTSUPP;
		break;
	}
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
	return res->err;
}

struct dpu_rules_action *dpu_rules_add_action(struct dpu_rules_flow *f,
					      uint8_t kind, uint8_t tc_index,
					      struct dpu_rules_result *res)
{
	struct dpu_rules_action *a;

	if (f->n_actions >= DPU_RULES_MAX_ACTIONS) {
		dpu_rules_fail(res, DPU_RULES_REFUSED,
			       "action %u: more than %d translated actions",
			       tc_index, DPU_RULES_MAX_ACTIONS);
		return NULL;
	}
	a = &f->actions[f->n_actions++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->tc_index = tc_index;
	return a;
}

#define ITEM(t, field)                                                         \
	[t] = { offsetof(struct dpu_rules_match, field),                       \
		offsetof(struct dpu_rules_match, field##_mask) }

static const struct {
	size_t spec, mask;
} item_off[DPU_ABI_ITEM_TYPE_MAX] = {
	ITEM(DPU_ABI_ITEM_PORT, port),
	ITEM(DPU_ABI_ITEM_META, meta),
	ITEM(DPU_ABI_ITEM_TAG, tag),
	ITEM(DPU_ABI_ITEM_MARK, mark),
	ITEM(DPU_ABI_ITEM_TUNNEL, tunnel),
	ITEM(DPU_ABI_ITEM_GENEVE_OPT, geneve_opt),
	ITEM(DPU_ABI_ITEM_ETH, eth),
	ITEM(DPU_ABI_ITEM_VLAN, vlan),
	ITEM(DPU_ABI_ITEM_VLAN_INNER, cvlan),
	ITEM(DPU_ABI_ITEM_ARP, arp),
	ITEM(DPU_ABI_ITEM_IPV4, ipv4),
	ITEM(DPU_ABI_ITEM_IPV6, ipv6),
	ITEM(DPU_ABI_ITEM_TCP, tcp),
	ITEM(DPU_ABI_ITEM_UDP, udp),
	ITEM(DPU_ABI_ITEM_SCTP, sctp),
	ITEM(DPU_ABI_ITEM_ICMP, icmp),
	ITEM(DPU_ABI_ITEM_ICMP6, icmp6),
	ITEM(DPU_ABI_ITEM_CT, ct),
};

void *dpu_rules_item_spec(struct dpu_rules_match *m, unsigned int type)
{
	if (type >= DPU_ABI_ITEM_TYPE_MAX || !item_off[type].spec)
		return NULL;
	return (uint8_t *)m + item_off[type].spec;
}

void *dpu_rules_item_mask(struct dpu_rules_match *m, unsigned int type)
{
	if (type >= DPU_ABI_ITEM_TYPE_MAX || !item_off[type].mask)
		return NULL;
	return (uint8_t *)m + item_off[type].mask;
}

void dpu_rules_tc_flow_id(const struct dpu_rules_id *id,
			  struct dpu_abi_flow_id *out)
{
	out->hi = (uint64_t)id->chain << 32 | id->ifindex;
	out->lo = (uint64_t)DPU_RULES_ID_TAG_TC << 56 |
		  (uint64_t)(id->dir & 0xff) << 48 | (uint64_t)id->prio << 32 |
		  id->handle;
}

int dpu_rules_tc_id_from_flow_id(const struct dpu_abi_flow_id *fid,
				 struct dpu_rules_id *out)
{
	if (fid->lo >> 56 != DPU_RULES_ID_TAG_TC)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->source = DPU_RULES_SRC_TC;
	out->dir = (uint8_t)(fid->lo >> 48);
	out->prio = (uint16_t)(fid->lo >> 32);
	out->handle = (uint32_t)fid->lo;
	out->chain = (uint32_t)(fid->hi >> 32);
	out->ifindex = (uint32_t)fid->hi;
	return 0;
}

const char *dpu_rules_verdict_name(enum dpu_rules_verdict v)
{
	static const char *const names[] = {
		[DPU_RULES_OK] = "ok",
		[DPU_RULES_MALFORMED] = "malformed",
		[DPU_RULES_REFUSED] = "refused",
		[DPU_RULES_SW_ONLY] = "software-only",
		[DPU_RULES_IGNORED] = "ignored",
	};

	if ((unsigned int)v >= sizeof(names) / sizeof(names[0]) || !names[v])
		return "?";
	return names[v];
}

const char *dpu_rules_act_name(uint8_t kind)
{
	static const char *const names[DPU_RULES_ACT_KIND_MAX] = {
		[DPU_RULES_ACT_DROP] = "drop",
		[DPU_RULES_ACT_TO_HOST] = "to_host",
		[DPU_RULES_ACT_REDIRECT] = "redirect",
		[DPU_RULES_ACT_MIRROR] = "mirror",
		[DPU_RULES_ACT_JUMP] = "goto",
		[DPU_RULES_ACT_VLAN_PUSH] = "vlan_push",
		[DPU_RULES_ACT_VLAN_POP] = "vlan_pop",
		[DPU_RULES_ACT_VLAN_SET] = "vlan_modify",
		[DPU_RULES_ACT_TUNNEL_SET] = "tunnel_set",
		[DPU_RULES_ACT_TUNNEL_UNSET] = "tunnel_unset",
		[DPU_RULES_ACT_SET_FIELD] = "set_field",
		[DPU_RULES_ACT_DEC_TTL] = "dec_ttl",
		[DPU_RULES_ACT_CSUM] = "csum",
		[DPU_RULES_ACT_CT] = "ct",
		[DPU_RULES_ACT_POLICE] = "police",
	};

	if (kind >= DPU_RULES_ACT_KIND_MAX || !names[kind])
		return "?";
	return names[kind];
}
