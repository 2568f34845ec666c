/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names and wire sizes of opcodes, statuses, match items and actions. The
 * item/action tables are also what the checker and builder size against, so
 * a type is known in exactly one place.
 */
#include "codec_internal.h"

#define ITEM(t, st, rf)                                                        \
	[DPU_ABI_ITEM_##t] = { sizeof(struct st), offsetof(struct st, rf),     \
			       sizeof(((struct st *)0)->rf), #t }
#define ITEM_NR(t, st) [DPU_ABI_ITEM_##t] = { sizeof(struct st), 0, 0, #t }

const struct dpu_abi_item_desc dpu_abi__items[DPU_ABI_ITEM_TYPE_MAX] = {
	ITEM_NR(PORT, dpu_abi_item_port),
	ITEM_NR(META, dpu_abi_item_meta),
	ITEM(TAG, dpu_abi_item_tag, reserved),
	ITEM_NR(MARK, dpu_abi_item_mark),
	ITEM(TUNNEL, dpu_abi_item_tunnel, reserved),
	ITEM_NR(GENEVE_OPT, dpu_abi_item_geneve_opt),
	ITEM(ETH, dpu_abi_item_eth, reserved),
	ITEM_NR(VLAN, dpu_abi_item_vlan),
	ITEM_NR(VLAN_INNER, dpu_abi_item_vlan),
	ITEM(ARP, dpu_abi_item_arp, reserved),
	ITEM_NR(IPV4, dpu_abi_item_ipv4),
	ITEM_NR(IPV6, dpu_abi_item_ipv6),
	ITEM(TCP, dpu_abi_item_tcp, reserved),
	ITEM_NR(UDP, dpu_abi_item_l4),
	ITEM_NR(SCTP, dpu_abi_item_l4),
	ITEM(ICMP, dpu_abi_item_icmp, reserved),
	ITEM(ICMP6, dpu_abi_item_icmp, reserved),
	ITEM_NR(CT, dpu_abi_item_ct),
};

#define ACT(t, st, fate, once)                                                 \
	[DPU_ABI_ACT_##t] = { sizeof(struct st), fate, once, #t }

const struct dpu_abi_action_desc dpu_abi__actions[DPU_ABI_ACT_TYPE_MAX] = {
	ACT(DROP, dpu_abi_act_empty, 1, 1),
	ACT(OUTPUT, dpu_abi_act_port, 1, 1),
	ACT(MIRROR, dpu_abi_act_port, 0, 0),
	ACT(JUMP, dpu_abi_act_u32, 1, 1),
	ACT(COUNT, dpu_abi_act_u32, 0, 1),
	ACT(MARK, dpu_abi_act_u32, 0, 1),
	ACT(SET_META, dpu_abi_act_set_meta, 0, 1),
	ACT(VLAN_PUSH, dpu_abi_act_vlan, 0, 0),
	ACT(VLAN_POP, dpu_abi_act_empty, 0, 0),
	ACT(VLAN_SET, dpu_abi_act_vlan, 0, 0),
	ACT(TUNNEL_ENCAP, dpu_abi_act_tunnel_encap, 0, 1),
	ACT(TUNNEL_DECAP, dpu_abi_act_empty, 0, 1),
	ACT(SET_FIELD, dpu_abi_act_set_field, 0, 0),
	ACT(DEC_TTL, dpu_abi_act_empty, 0, 1),
	ACT(CT, dpu_abi_act_ct, 0, 1),
	ACT(METER, dpu_abi_act_meter, 0, 0),
	ACT(IPSEC, dpu_abi_act_ipsec, 0, 1),
	ACT(TO_SOFTWARE, dpu_abi_act_u32, 1, 1),
	ACT(AGE, dpu_abi_act_u32, 0, 1),
};

size_t dpu_abi_item_spec_size(uint16_t type)
{
	return type < DPU_ABI_ITEM_TYPE_MAX ? dpu_abi__items[type].spec_size : 0;
}

size_t dpu_abi_action_size(uint16_t type)
{
	return type < DPU_ABI_ACT_TYPE_MAX ? dpu_abi__actions[type].size : 0;
}

const char *dpu_abi_item_name(uint16_t type)
{
	if (type >= DPU_ABI_ITEM_TYPE_MAX || !dpu_abi__items[type].name)
		return "?";
	return dpu_abi__items[type].name;
}

const char *dpu_abi_action_name(uint16_t type)
{
	if (type >= DPU_ABI_ACT_TYPE_MAX || !dpu_abi__actions[type].name)
		return "?";
	return dpu_abi__actions[type].name;
}

const char *dpu_abi_opcode_name(uint16_t opcode)
{
	const struct dpu_abi_op_desc *d = dpu_abi__op_desc(opcode);

	return d ? d->name : "?";
}

static const char *const status_names[DPU_ABI_STATUS_MAX] = {
	[DPU_ABI_OK] = "OK",
	[DPU_ABI_E_TRUNCATED] = "E_TRUNCATED",
	[DPU_ABI_E_MAGIC] = "E_MAGIC",
	[DPU_ABI_E_VERSION] = "E_VERSION",
	[DPU_ABI_E_LENGTH] = "E_LENGTH",
	[DPU_ABI_E_OPCODE] = "E_OPCODE",
	[DPU_ABI_E_FLAGS] = "E_FLAGS",
	[DPU_ABI_E_RESERVED] = "E_RESERVED",
	[DPU_ABI_E_COUNT] = "E_COUNT",
	[DPU_ABI_E_ENUM] = "E_ENUM",
	[DPU_ABI_E_SIZE] = "E_SIZE",
	[DPU_ABI_E_ALIGN] = "E_ALIGN",
	[DPU_ABI_E_RANGE] = "E_RANGE",
	[DPU_ABI_E_STRING] = "E_STRING",
	[DPU_ABI_E_ORDER] = "E_ORDER",
	[DPU_ABI_E_MASK] = "E_MASK",
	[DPU_ABI_E_TOO_BIG] = "E_TOO_BIG",
	[DPU_ABI_E_STATUS] = "E_STATUS",
	[DPU_ABI_E_CONFLICT] = "E_CONFLICT",
	[DPU_ABI_E_NOT_SUPPORTED] = "E_NOT_SUPPORTED",
	[DPU_ABI_E_NO_SPACE] = "E_NO_SPACE",
	[DPU_ABI_E_NOT_FOUND] = "E_NOT_FOUND",
	[DPU_ABI_E_EXISTS] = "E_EXISTS",
	[DPU_ABI_E_BUSY] = "E_BUSY",
	[DPU_ABI_E_INTERNAL] = "E_INTERNAL",
	[DPU_ABI_E_PERM] = "E_PERM",
	[DPU_ABI_E_STALE_EPOCH] = "E_STALE_EPOCH",
	[DPU_ABI_E_PARTIAL] = "E_PARTIAL",
	[DPU_ABI_E_NOT_READY] = "E_NOT_READY",
};

const char *dpu_abi_status_name(uint16_t status)
{
	if (status >= DPU_ABI_STATUS_MAX || !status_names[status])
		return "?";
	return status_names[status];
}

bool dpu_abi_status_known(uint16_t status)
{
	return status < DPU_ABI_STATUS_MAX && status_names[status] != NULL;
}
