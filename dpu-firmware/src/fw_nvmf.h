/* SPDX-License-Identifier: BSD-3-Clause */
/* The card's NVMe-oF/TCP target, configured by the ABI's NVMF_* messages. */
#ifndef FW_NVMF_H
#define FW_NVMF_H

#include "dpu_abi_codec.h"

struct nvmf_tgt;

/** Start the card's target (blocking reactors). NULL on failure. */
struct nvmf_tgt *fw_nvmf_start(void);
void fw_nvmf_stop(struct nvmf_tgt *tgt);

/**
 * Handle one checked NVMF_* request, appending the response body to b.
 * Returns the status; *why explains a failure.
 */
uint16_t fw_nvmf_handle(struct nvmf_tgt *tgt, const struct dpu_abi_hdr *req,
			struct dpu_abi_builder *b, uint32_t room, char *why,
			size_t why_len);

#endif /* FW_NVMF_H */
