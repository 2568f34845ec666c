/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpu_hal_rte_flow.h - the HAL "rte_flow" provider: HAL rules translated
 * to DPDK rte_flow on an ethdev port (mlx5 eSwitch on a BlueField).
 * Only built with DPDK.  The translation is public so it can be tested
 * item by item without hardware.
 */
#ifndef DPU_HAL_RTE_FLOW_H
#define DPU_HAL_RTE_FLOW_H

#include <rte_flow.h>

#include "dpu_hal.h"

#define DPU_HAL_RF_MAX_ACTIONS (DPU_HAL_MAX_ACTIONS * 3)

union dpu_hal_rf_item_store {
	struct rte_flow_item_ethdev ethdev;
	struct rte_flow_item_port_id port_id;
	struct rte_flow_item_eth eth;
	struct rte_flow_item_vlan vlan;
	struct rte_flow_item_ipv4 ipv4;
	struct rte_flow_item_ipv6 ipv6;
	struct rte_flow_item_tcp tcp;
	struct rte_flow_item_udp udp;
	struct rte_flow_item_sctp sctp;
	struct rte_flow_item_icmp icmp;
	struct rte_flow_item_icmp6 icmp6;
	struct rte_flow_item_vxlan vxlan;
	struct rte_flow_item_geneve geneve;
	struct rte_flow_item_geneve_opt gopt;
	struct rte_flow_item_meta meta;
	struct rte_flow_item_tag tag;
	struct rte_flow_item_mark mark;
	struct rte_flow_item_conntrack ct;
};

union dpu_hal_rf_action_store {
	struct rte_flow_action_ethdev ethdev;
	struct rte_flow_action_port_id port_id;
	struct rte_flow_action_jump jump;
	struct rte_flow_action_queue queue;
	struct rte_flow_action_mark mark;
	struct rte_flow_action_set_meta meta;
	struct rte_flow_action_set_tag tag;
	struct rte_flow_action_of_push_vlan push;
	struct rte_flow_action_of_set_vlan_vid vid;
	struct rte_flow_action_of_set_vlan_pcp pcp;
	struct rte_flow_action_vxlan_encap vxlan;
	struct rte_flow_action_raw_encap raw_encap;
	struct rte_flow_action_raw_decap raw_decap;
	struct rte_flow_action_set_mac mac;
	struct rte_flow_action_set_ipv4 ipv4;
	struct rte_flow_action_set_ipv6 ipv6;
	struct rte_flow_action_set_tp tp;
	struct rte_flow_action_meter meter;
	struct rte_flow_action_age age;
	struct rte_flow_action_sample sample;
	struct rte_flow_action_count count;
};

/** rte_flow arrays built from one HAL rule, with their own storage. */
struct dpu_hal_rf_rule {
	struct rte_flow_attr attr;
	struct rte_flow_item items[DPU_HAL_MAX_ITEMS + 1];
	struct rte_flow_action actions[DPU_HAL_RF_MAX_ACTIONS];
	union dpu_hal_rf_item_store spec[DPU_HAL_MAX_ITEMS], mask[DPU_HAL_MAX_ITEMS],
		last[DPU_HAL_MAX_ITEMS];
	uint32_t gopt_data[2];
	union dpu_hal_rf_action_store conf[DPU_HAL_RF_MAX_ACTIONS];
	/* VXLAN_ENCAP definition */
	struct rte_flow_item encap_items[7];
	union dpu_hal_rf_item_store encap_spec[6];
	/* GENEVE: RAW_ENCAP bytes; RAW_DECAP size */
	uint8_t raw[128];
	struct rte_flow_action sample_sub[4];
	union dpu_hal_rf_action_store sample_conf[4];
	int item_of[DPU_HAL_MAX_ITEMS + 1];	/* rte item index -> HAL index */
	int action_of[DPU_HAL_RF_MAX_ACTIONS];	/* rte action index -> HAL index */
	bool has_count;
};

struct dpu_hal_rf_conf {
	uint16_t port_id;	/* the (proxy) port rules are created on */
	uint16_t sw_port;	/* TO_SW in transfer rules: the eSwitch manager port */
	uint16_t sw_queue;	/* TO_SW in ingress rules: this Rx queue */
};

/**
 * Translate a HAL rule to rte_flow arrays.  Port ids in PORT items and
 * actions are DPDK port ids.  Returns 0 or negative errno with err naming
 * the HAL item/action that has no rte_flow equivalent.
 */
int dpu_hal_rf_translate(const struct dpu_hal_rf_conf *conf,
			 const struct dpu_hal_attr *attr,
			 const struct dpu_hal_item *pattern,
			 const struct dpu_hal_action *actions,
			 struct dpu_hal_rf_rule *out, struct dpu_hal_error *err);

/** The provider; open args: "port=N[,sw_port=N][,sw_queue=N]". */
extern const struct dpu_hal_class dpu_hal_rte_flow_class;

#endif /* DPU_HAL_RTE_FLOW_H */
