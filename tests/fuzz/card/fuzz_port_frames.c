/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for what the card's ports read from frames sent by
 * workloads: the sanity check and the header walk behind software
 * segmentation.  Offsets must stay inside the frame.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "sim_port.h"
#include "port_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf m;
	struct sim_hdrs h;
	uint8_t *copy;

	if (size > 9000)
		return 0;
	copy = malloc(size ? size : 1);	/* exact size: ASan sees overreads */
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	(void)sim_frame_sane(copy, (uint32_t)size);
	memset(&m, 0, sizeof(m));
	m.buf_addr = copy;
	m.data_off = 0;
	m.buf_len = (uint16_t)size;
	m.data_len = (uint16_t)size;
	m.pkt_len = (uint32_t)size;
	m.nb_segs = 1;
	if (sim_hdrs_parse(&m, &h) == 0) {
		if (h.l3 > size || h.l4 > size || h.ol3 > size || h.ol4 > size)
			abort();
		if (h.tunnel && !(h.ol4 > h.ol3 && h.l3 > h.ol4 && h.l4 > h.l3))
			abort();
	}
	free(copy);
	return 0;
}
