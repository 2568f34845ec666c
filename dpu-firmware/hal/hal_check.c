/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Provider-independent rule checks and item/action metadata.  What is
 * checked here is what no hardware accepts; hardware-specific limits live
 * in each provider.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dpu_hal.h"

int
dpu_hal_set_error(struct dpu_hal_error *err, int code, enum dpu_hal_error_what what,
		  int index, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	err->what = what;
	err->index = index;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

static const char *const item_names[DPU_HAL_ITEM_MAX] = {
	[DPU_HAL_ITEM_END] = "END", [DPU_HAL_ITEM_VOID] = "VOID",
	[DPU_HAL_ITEM_PORT] = "PORT", [DPU_HAL_ITEM_ETH] = "ETH",
	[DPU_HAL_ITEM_VLAN] = "VLAN", [DPU_HAL_ITEM_IPV4] = "IPV4",
	[DPU_HAL_ITEM_IPV6] = "IPV6", [DPU_HAL_ITEM_TCP] = "TCP",
	[DPU_HAL_ITEM_UDP] = "UDP", [DPU_HAL_ITEM_SCTP] = "SCTP",
	[DPU_HAL_ITEM_ICMP] = "ICMP", [DPU_HAL_ITEM_ICMP6] = "ICMP6",
	[DPU_HAL_ITEM_VXLAN] = "VXLAN", [DPU_HAL_ITEM_GENEVE] = "GENEVE",
	[DPU_HAL_ITEM_GENEVE_OPT] = "GENEVE_OPT", [DPU_HAL_ITEM_META] = "META",
	[DPU_HAL_ITEM_TAG] = "TAG", [DPU_HAL_ITEM_MARK] = "MARK",
	[DPU_HAL_ITEM_CONNTRACK] = "CONNTRACK",
};

static const char *const action_names[DPU_HAL_ACTION_MAX] = {
	[DPU_HAL_ACTION_END] = "END", [DPU_HAL_ACTION_VOID] = "VOID",
	[DPU_HAL_ACTION_PORT] = "PORT", [DPU_HAL_ACTION_DROP] = "DROP",
	[DPU_HAL_ACTION_JUMP] = "JUMP", [DPU_HAL_ACTION_TO_SW] = "TO_SW",
	[DPU_HAL_ACTION_COUNT] = "COUNT", [DPU_HAL_ACTION_MARK] = "MARK",
	[DPU_HAL_ACTION_SET_META] = "SET_META", [DPU_HAL_ACTION_SET_TAG] = "SET_TAG",
	[DPU_HAL_ACTION_PUSH_VLAN] = "PUSH_VLAN", [DPU_HAL_ACTION_POP_VLAN] = "POP_VLAN",
	[DPU_HAL_ACTION_SET_VLAN_VID] = "SET_VLAN_VID",
	[DPU_HAL_ACTION_SET_VLAN_PCP] = "SET_VLAN_PCP",
	[DPU_HAL_ACTION_TUNNEL_ENCAP] = "TUNNEL_ENCAP",
	[DPU_HAL_ACTION_TUNNEL_DECAP] = "TUNNEL_DECAP",
	[DPU_HAL_ACTION_SET_MAC_SRC] = "SET_MAC_SRC",
	[DPU_HAL_ACTION_SET_MAC_DST] = "SET_MAC_DST",
	[DPU_HAL_ACTION_SET_IPV4_SRC] = "SET_IPV4_SRC",
	[DPU_HAL_ACTION_SET_IPV4_DST] = "SET_IPV4_DST",
	[DPU_HAL_ACTION_SET_IPV6_SRC] = "SET_IPV6_SRC",
	[DPU_HAL_ACTION_SET_IPV6_DST] = "SET_IPV6_DST",
	[DPU_HAL_ACTION_SET_TP_SRC] = "SET_TP_SRC",
	[DPU_HAL_ACTION_SET_TP_DST] = "SET_TP_DST",
	[DPU_HAL_ACTION_DEC_TTL] = "DEC_TTL", [DPU_HAL_ACTION_METER] = "METER",
	[DPU_HAL_ACTION_AGE] = "AGE", [DPU_HAL_ACTION_SAMPLE] = "SAMPLE",
	[DPU_HAL_ACTION_IPSEC_ENCRYPT] = "IPSEC_ENCRYPT",
	[DPU_HAL_ACTION_IPSEC_DECRYPT] = "IPSEC_DECRYPT",
	[DPU_HAL_ACTION_CT] = "CT",
};

const char *
dpu_hal_item_name(enum dpu_hal_item_type t)
{
	return (unsigned)t < DPU_HAL_ITEM_MAX && item_names[t] ? item_names[t] : "UNKNOWN";
}

const char *
dpu_hal_action_name(enum dpu_hal_action_type t)
{
	return (unsigned)t < DPU_HAL_ACTION_MAX && action_names[t] ? action_names[t] : "UNKNOWN";
}

size_t
dpu_hal_item_size(enum dpu_hal_item_type t)
{
	switch (t) {
	case DPU_HAL_ITEM_PORT: return sizeof(struct dpu_hal_item_port);
	case DPU_HAL_ITEM_ETH: return sizeof(struct dpu_hal_item_eth);
	case DPU_HAL_ITEM_VLAN: return sizeof(struct dpu_hal_item_vlan);
	case DPU_HAL_ITEM_IPV4: return sizeof(struct dpu_hal_item_ipv4);
	case DPU_HAL_ITEM_IPV6: return sizeof(struct dpu_hal_item_ipv6);
	case DPU_HAL_ITEM_TCP:
	case DPU_HAL_ITEM_UDP:
	case DPU_HAL_ITEM_SCTP: return sizeof(struct dpu_hal_item_l4);
	case DPU_HAL_ITEM_ICMP:
	case DPU_HAL_ITEM_ICMP6: return sizeof(struct dpu_hal_item_icmp);
	case DPU_HAL_ITEM_VXLAN:
	case DPU_HAL_ITEM_GENEVE: return sizeof(struct dpu_hal_item_tunnel);
	case DPU_HAL_ITEM_GENEVE_OPT: return sizeof(struct dpu_hal_item_geneve_opt);
	case DPU_HAL_ITEM_META: return sizeof(struct dpu_hal_item_meta);
	case DPU_HAL_ITEM_TAG: return sizeof(struct dpu_hal_item_tag);
	case DPU_HAL_ITEM_MARK: return sizeof(struct dpu_hal_item_mark);
	case DPU_HAL_ITEM_CONNTRACK: return sizeof(struct dpu_hal_item_ct);
	default: return 0;
	}
}

static const struct dpu_hal_item_port m_port = { .port_id = UINT32_MAX };
static const struct dpu_hal_item_eth m_eth = {
	.dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	.src = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	.type = 0xffff,
};
static const struct dpu_hal_item_vlan m_vlan = { .tci = 0xffff, .inner_type = 0xffff };
static const struct dpu_hal_item_ipv4 m_ipv4 = { .src = UINT32_MAX, .dst = UINT32_MAX };
static const struct dpu_hal_item_ipv6 m_ipv6 = {
	.src = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	.dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
};
static const struct dpu_hal_item_l4 m_l4 = { .src = 0xffff, .dst = 0xffff };
static const struct dpu_hal_item_icmp m_icmp = { .type = 0xff, .code = 0xff };
static const struct dpu_hal_item_tunnel m_tun = { .vni = 0xffffff };
static const struct dpu_hal_item_geneve_opt m_gopt = {
	.opt_class = 0xffff, .opt_type = 0xff, .data = UINT32_MAX,
};
static const struct dpu_hal_item_meta m_meta = { .data = UINT32_MAX };
static const struct dpu_hal_item_tag m_tag = { .data = UINT32_MAX, .index = 0xff };
static const struct dpu_hal_item_mark m_mark = { .id = UINT32_MAX };
static const struct dpu_hal_item_ct m_ct = { .state = 0xff };

const void *
dpu_hal_item_default_mask(enum dpu_hal_item_type t)
{
	switch (t) {
	case DPU_HAL_ITEM_PORT: return &m_port;
	case DPU_HAL_ITEM_ETH: return &m_eth;
	case DPU_HAL_ITEM_VLAN: return &m_vlan;
	case DPU_HAL_ITEM_IPV4: return &m_ipv4;
	case DPU_HAL_ITEM_IPV6: return &m_ipv6;
	case DPU_HAL_ITEM_TCP:
	case DPU_HAL_ITEM_UDP:
	case DPU_HAL_ITEM_SCTP: return &m_l4;
	case DPU_HAL_ITEM_ICMP:
	case DPU_HAL_ITEM_ICMP6: return &m_icmp;
	case DPU_HAL_ITEM_VXLAN:
	case DPU_HAL_ITEM_GENEVE: return &m_tun;
	case DPU_HAL_ITEM_GENEVE_OPT: return &m_gopt;
	case DPU_HAL_ITEM_META: return &m_meta;
	case DPU_HAL_ITEM_TAG: return &m_tag;
	case DPU_HAL_ITEM_MARK: return &m_mark;
	case DPU_HAL_ITEM_CONNTRACK: return &m_ct;
	default: return NULL;
	}
}

bool
dpu_hal_action_is_fate(enum dpu_hal_action_type t)
{
	return t == DPU_HAL_ACTION_PORT || t == DPU_HAL_ACTION_DROP ||
	       t == DPU_HAL_ACTION_JUMP || t == DPU_HAL_ACTION_TO_SW;
}

static bool
action_needs_conf(enum dpu_hal_action_type t)
{
	switch (t) {
	case DPU_HAL_ACTION_END:
	case DPU_HAL_ACTION_VOID:
	case DPU_HAL_ACTION_DROP:
	case DPU_HAL_ACTION_COUNT:
	case DPU_HAL_ACTION_POP_VLAN:
	case DPU_HAL_ACTION_DEC_TTL:
	case DPU_HAL_ACTION_TO_SW:	/* NULL conf: reason 0 */
	case DPU_HAL_ACTION_TUNNEL_DECAP:	/* NULL conf: any tunnel */
	case DPU_HAL_ACTION_CT:
		return false;
	default:
		return true;
	}
}

static int
check_sample(const struct dpu_hal_action_sample *s, int idx, struct dpu_hal_error *err)
{
	int fates = 0;

	if (s->ratio == 0)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, idx,
					 "SAMPLE: ratio must be >= 1");
	if (s->actions == NULL)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, idx,
					 "SAMPLE: no sub-action list");
	for (int j = 0; ; j++) {
		if (j >= DPU_HAL_MAX_ACTIONS)
			return dpu_hal_set_error(err, -E2BIG, DPU_HAL_ERR_ACTION, idx,
						 "SAMPLE: sub-action list not END-terminated within %d",
						 DPU_HAL_MAX_ACTIONS);
		enum dpu_hal_action_type t = s->actions[j].type;

		if (t == DPU_HAL_ACTION_END)
			break;
		switch (t) {
		case DPU_HAL_ACTION_PORT:
		case DPU_HAL_ACTION_TO_SW:
			fates++;
			if (t == DPU_HAL_ACTION_PORT && s->actions[j].conf == NULL)
				return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, idx,
							 "SAMPLE: sub-action PORT without conf");
			break;
		case DPU_HAL_ACTION_COUNT:
		case DPU_HAL_ACTION_VOID:
			break;
		default:
			return dpu_hal_set_error(err, -ENOTSUP, DPU_HAL_ERR_ACTION, idx,
						 "SAMPLE: sub-action %s not supported (PORT, TO_SW, COUNT only)",
						 dpu_hal_action_name(t));
		}
	}
	if (fates != 1)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, idx,
					 "SAMPLE: needs exactly one PORT or TO_SW sub-action, has %d",
					 fates);
	return 0;
}

int
dpu_hal_check_rule(const struct dpu_hal_attr *attr, const struct dpu_hal_item *pattern,
		   const struct dpu_hal_action *actions, struct dpu_hal_error *err)
{
	int fates = 0, i;

	if (attr == NULL)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ATTR, -1, "attr is NULL");
	if (pattern == NULL)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ITEM, -1, "pattern is NULL");
	if (actions == NULL)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, -1, "actions is NULL");
	if (attr->ingress + attr->egress + attr->transfer == 0)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ATTR, -1,
					 "attr: none of ingress/egress/transfer set");
	for (i = 0; ; i++) {
		if (i >= DPU_HAL_MAX_ITEMS)
			return dpu_hal_set_error(err, -E2BIG, DPU_HAL_ERR_ITEM, i - 1,
						 "pattern not END-terminated within %d items",
						 DPU_HAL_MAX_ITEMS);
		if (pattern[i].type == DPU_HAL_ITEM_END)
			break;
		if ((unsigned)pattern[i].type >= DPU_HAL_ITEM_MAX)
			return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ITEM, i,
						 "item %d: unknown type %d", i, pattern[i].type);
		if (pattern[i].spec == NULL && pattern[i].mask != NULL)
			return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ITEM, i,
						 "item %d (%s): mask without spec", i,
						 dpu_hal_item_name(pattern[i].type));
	}
	for (i = 0; ; i++) {
		if (i >= DPU_HAL_MAX_ACTIONS)
			return dpu_hal_set_error(err, -E2BIG, DPU_HAL_ERR_ACTION, i - 1,
						 "actions not END-terminated within %d",
						 DPU_HAL_MAX_ACTIONS);
		enum dpu_hal_action_type t = actions[i].type;

		if (t == DPU_HAL_ACTION_END)
			break;
		if ((unsigned)t >= DPU_HAL_ACTION_MAX)
			return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, i,
						 "action %d: unknown type %d", i, t);
		if (action_needs_conf(t) && actions[i].conf == NULL)
			return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, i,
						 "action %d (%s): conf is required", i,
						 dpu_hal_action_name(t));
		if (dpu_hal_action_is_fate(t) && ++fates > 1)
			return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, i,
						 "action %d (%s): second fate action", i,
						 dpu_hal_action_name(t));
		if (t == DPU_HAL_ACTION_JUMP) {
			const struct dpu_hal_action_jump *j = actions[i].conf;

			if (j->group <= attr->group)
				return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, i,
							 "action %d (JUMP): target group %u not greater than own group %u",
							 i, j->group, attr->group);
		}
		if (t == DPU_HAL_ACTION_SAMPLE) {
			int ret = check_sample(actions[i].conf, i, err);

			if (ret < 0)
				return ret;
		}
	}
	if (fates == 0)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ACTION, i,
					 "no fate action (PORT, DROP, JUMP or TO_SW)");
	return 0;
}
