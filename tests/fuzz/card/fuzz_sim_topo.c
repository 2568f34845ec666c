/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for topology files: any text either loads into a
 * topology whose names are all bounded and terminated, or is refused with
 * a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim_topo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_topo t;
	char err[256], *text;

	if (size > 65536)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	err[0] = 0;
	if (sim_topo_parse(text, &t, err, sizeof(err)) < 0) {
		if (err[0] == 0)
			abort();	/* every refusal says why */
	} else {
		for (int c = 0; c < t.n_cards; c++) {
			const struct sim_topo_card *k = &t.cards[c];

			if (k->n_ports != k->n_uplinks + 1 + k->n_vfs ||
			    strlen(k->name) > 6 || k->n_ports > SIM_TOPO_MAX_PORTS)
				abort();
			for (uint32_t p = 0; p < k->n_ports; p++)
				if (strlen(k->ports[p].rep_ifname) > 15 ||
				    strlen(k->ports[p].host_ifname) > 15)
					abort();
		}
	}
	free(text);
	return 0;
}
