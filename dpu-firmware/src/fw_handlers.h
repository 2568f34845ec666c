/* SPDX-License-Identifier: BSD-3-Clause */
/* Turning checked ABI requests into card actions and responses. */
#ifndef FW_HANDLERS_H
#define FW_HANDLERS_H

#include <stddef.h>
#include <stdint.h>

#include "fw_card.h"

/**
 * Handle one request that passed dpu_abi_check(): act on the card and
 * write the response into out. Returns the response length (> 0) or
 * -status when even the response could not be encoded.
 */
int fw_handle(struct fw_card *card, struct fw_conn *conn,
	      const struct dpu_abi_hdr *req, uint8_t *out, size_t cap);

#endif /* FW_HANDLERS_H */
