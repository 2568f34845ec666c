/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The card's flow hardware as dpu-fw opens it: "sim" (the software eSwitch
 * through the HAL, in this process) or "none" (records only).
 */
#ifndef FW_HW_H
#define FW_HW_H

#include <stdint.h>

#include "dpu_abi_flow.h"
#include "dpu_hal.h"

struct fw_hw {
	struct dpu_hal_dev *hal; /* NULL for "none" */
	void *esw;               /* the sim eSwitch behind hal */
	const char *kind;
};

/**
 * Open the hardware kind ("sim" or "none") for a card named name with
 * n_ports ports and room for max_flows rules; fills the ABI capabilities
 * that depend on it. 0 or -errno (message printed).
 */
int fw_hw_open(struct fw_hw *hw, const char *kind, const char *name,
	       uint32_t n_ports, uint32_t max_flows, struct dpu_abi_caps *caps,
	       uint64_t *features);
void fw_hw_close(struct fw_hw *hw);

#endif /* FW_HW_H */
