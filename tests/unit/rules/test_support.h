/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the rules tests and the fuzz seed tooling. */
#ifndef RULES_TEST_SUPPORT_H
#define RULES_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "dpu_rules.h"
#include "dpu_rules_abi.h"
#include "dpu_rules_print.h"
#include "dpu_rules_tc.h"

/* The test card: names of the capture namespace's netdevs -> ports. */
struct test_devmap {
	unsigned int n;
	struct {
		uint32_t ifindex;
		char name[16];
	} dev[64];
	/* Police actions made by `tc actions add` lines, decoded from their
	 * captured RTM_NEWACTION: what "police index N" references find. */
	unsigned int n_meters;
	struct dpu_rules_act_police meters[32];
};

int test_devmap_load(struct test_devmap *m, const char *path);
/* A resolver over the map: p0 = uplink port 1, pf0vfN = port N + 2,
 * vxlan_sys_4789 / genev_sys_6081 tunnels over p0, anything else is not
 * the card's. Neighbours: 02:00:00:00:00:01 -> 02:00:00:00:00:<last dst
 * byte>. Meters: the police actions in m->meters. */
void test_resolver(struct dpu_rules_resolver *r, struct test_devmap *m);
/* Every item and action type the ABI v1 has. */
void test_full_caps(struct dpu_abi_caps *caps);

/* Read a whole file (malloc'ed, *len set); NULL if unreadable. */
uint8_t *test_read_file(const char *path, size_t *len);

/*
 * Translate a decoded flow all the way: to_abi, caps, emit into a
 * FLOW_BATCH, dpu_abi_check (role CARD), decode the op back, and print it.
 * Returns 0 with line set to the rendering of the decoded-back op, or a
 * negative value with res (refusals) or why (encoder/check bugs) filled.
 */
/* An ABI rule through the card's view: encode, dpu_abi_check, decode,
 * print (line); -2 with why when any step fails or the print differs. */
int test_abi_round_trip(const struct dpu_rules_abi_flow *abi, char *line, size_t len,
			char *why, size_t why_len);
int test_encode(const struct dpu_rules_flow *f,
		const struct dpu_rules_resolver *r, struct dpu_rules_result *res,
		char *line, size_t len, char *why, size_t why_len);

#endif
