/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ABI flow op -> HAL rule. The ABI speaks tc flower's language (one ETH
 * ether_type after the tags, tunnel keys as metadata); the HAL speaks
 * rte_flow's (headers in wire order, outer then inner). This is the one
 * place that bridges them.
 */
#ifndef FW_FLOW_XLATE_H
#define FW_FLOW_XLATE_H

#include <stddef.h>
#include <stdint.h>

#include "dpu_abi_flow.h"
#include "dpu_hal.h"

/* TO_SW reasons the card's software path acts on (cookie: the port). */
enum fw_to_sw_reason {
	FW_TO_SW_REPRESENTOR = 1, /* deliver on the representor of port `cookie` */
	FW_TO_SW_QUEUE = 2,       /* ABI TO_SOFTWARE: queue `cookie` */
};

/* Everything a translated rule points at, so it lives in one object. */
struct fw_hal_rule {
	struct dpu_hal_attr attr;
	struct dpu_hal_item pattern[DPU_HAL_MAX_ITEMS];
	struct dpu_hal_action actions[DPU_HAL_MAX_ACTIONS];
	/* spec/mask storage, one slot per pattern entry */
	union fw_hal_item_buf {
		struct dpu_hal_item_port port;
		struct dpu_hal_item_eth eth;
		struct dpu_hal_item_vlan vlan;
		struct dpu_hal_item_ipv4 ipv4;
		struct dpu_hal_item_ipv6 ipv6;
		struct dpu_hal_item_l4 l4;
		struct dpu_hal_item_icmp icmp;
		struct dpu_hal_item_tunnel tunnel;
		struct dpu_hal_item_geneve_opt gopt;
		struct dpu_hal_item_meta meta;
		struct dpu_hal_item_tag tag;
		struct dpu_hal_item_mark mark;
		struct dpu_hal_item_ct ct;
	} spec[DPU_HAL_MAX_ITEMS], mask[DPU_HAL_MAX_ITEMS];
	/* action conf storage, one slot per action entry */
	union fw_hal_action_buf {
		struct dpu_hal_action_port port;
		struct dpu_hal_action_jump jump;
		struct dpu_hal_action_to_sw to_sw;
		struct dpu_hal_action_mark mark;
		struct dpu_hal_action_set_meta set_meta;
		struct dpu_hal_action_push_vlan push_vlan;
		struct dpu_hal_action_set_vlan_vid vid;
		struct dpu_hal_action_set_vlan_pcp pcp;
		struct dpu_hal_action_encap encap;
		struct dpu_hal_action_decap decap;
		struct dpu_hal_action_set_mac mac;
		struct dpu_hal_action_set_ipv4 ipv4;
		struct dpu_hal_action_set_ipv6 ipv6;
		struct dpu_hal_action_set_tp tp;
		struct dpu_hal_action_meter meter;
		struct dpu_hal_action_age age;
		struct dpu_hal_action_sample sample;
		struct dpu_hal_action_ipsec ipsec;
		struct dpu_hal_action_ct ct;
	} conf[DPU_HAL_MAX_ACTIONS];
	struct dpu_hal_action sample_sub[DPU_HAL_MAX_ACTIONS][2];
	struct dpu_hal_action_port sample_port[DPU_HAL_MAX_ACTIONS];
	struct dpu_hal_action_to_sw sample_to_sw[DPU_HAL_MAX_ACTIONS];
	/* meters the rule names, to create on first use */
	uint32_t n_meters;
	uint32_t meter_ids[4];
	struct dpu_hal_meter_conf meter_conf[4];
	int n_items;
	int n_actions;
};

/**
 * Translate a checked ADD/MODIFY op into r. age_ctx is what the HAL hands
 * back when the rule ages out.
 * @return DPU_ABI_OK, or DPU_ABI_E_NOT_SUPPORTED with why filled (the ABI
 * can say things this card's tables cannot).
 */
uint16_t fw_flow_to_hal(const struct dpu_abi_flow_op *op, void *age_ctx,
			struct fw_hal_rule *r, char *why, size_t why_len);

/** Map a HAL errno to the ABI status the host sees. */
uint16_t fw_hal_errno_to_status(int err);

#endif /* FW_FLOW_XLATE_H */
