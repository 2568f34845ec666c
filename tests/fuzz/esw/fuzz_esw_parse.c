/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the eSwitch packet parser: any byte string must
 * parse without reading outside it, and every offset it reports must lie
 * inside the frame.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "esw_key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_key k;
	struct sim_pinfo pi;
	uint8_t *copy;

	if (size > 65535)
		return 0;
	/* an exact-size heap copy so ASan sees any overread */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	memset(&k, 0xa5, sizeof(k));	/* stale words must not matter */
	sim_parse(copy, size, &k, &pi);
	if (pi.l3 > size || pi.l4 > size || pi.tun > size || pi.in_l2 > size ||
	    pi.in_l3 > size || pi.in_l4 > size || pi.nvlan > 2)
		abort();
	if ((k.layers & (SIM_L_IPV4 | SIM_L_IPV6)) == (SIM_L_IPV4 | SIM_L_IPV6))
		abort();
	if ((k.layers & (SIM_L_VXLAN | SIM_L_GENEVE)) && !(k.layers & SIM_L_UDP))
		abort();
	if (pi.in_l3 && pi.in_l3 <= pi.in_l2)
		abort();
	free(copy);
	return 0;
}
