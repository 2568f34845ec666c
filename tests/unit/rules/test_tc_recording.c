// SPDX-License-Identifier: BSD-3-Clause
/*
 * Checks a recording of the kernel's tc notifications (RTNLGRP_TC, raw, as
 * tests/vm/checks/nl-record.py writes them in the real-kernel tier): every
 * RTM_NEWTFILTER is decoded, translated, encoded, validated and decoded
 * back like a corpus entry, and the n-th must equal the n-th expectation
 * of EXPECT (same forms as corpus.txt: "=> RENDERING" or "!> VERDICT:
 * reason substring"; '#' lines are comments). Deletes carry identity only
 * and are not listed. These are the kernel's bytes, not tc's requests:
 * the kernel echoes filters in its own form (e.g. the innermost ether_type
 * under a VLAN protocol).
 * Usage: test_tc_recording RECORDING DEVMAP EXPECT [--print]
 */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = 0;
}

/* The next expectation line of fp, or 0 at its end. */
static int next_expect(FILE *fp, char *line, size_t len)
{
	while (fgets(line, (int)len, fp)) {
		chomp(line);
		if (!strncmp(line, "=> ", 3) || !strncmp(line, "!> ", 3))
			return 1;
	}
	return 0;
}

static int matches(const char *expect, const char *got)
{
	const char *colon = strchr(expect, ':');

	if (!strncmp(expect, "=> ", 3))
		return !strcmp(expect, got);
	return colon && !strncmp(expect, got, (size_t)(colon - expect) + 1) &&
	       strstr(got, colon + 2);
}

int main(int argc, char **argv)
{
	static struct dpu_rules_flow f;
	struct dpu_rules_resolver r;
	struct dpu_rules_result res;
	struct dpu_rules_stats st = { 0 };
	struct test_devmap map;
	char expect[1200], got[1200], abi[1024], model[2048], why[512];
	int print = argc > 4 && !strcmp(argv[4], "--print");
	int failures = 0, passes = 0;
	unsigned int no = 0;
	size_t len = 0, off = 0;
	uint8_t *buf;
	FILE *fp;

	if (argc < 4) {
		fprintf(stderr, "usage: %s RECORDING DEVMAP EXPECT [--print]\n", argv[0]);
		return 2;
	}
	buf = test_read_file(argv[1], &len);
	if (!buf || test_devmap_load(&map, argv[2]) || map.n == 0 ||
	    !(fp = fopen(argv[3], "r"))) {
		fprintf(stderr, "%s: cannot read the recording, its devmap or %s\n", argv[1], argv[3]);
		return 2;
	}
	test_resolver(&r, &map);
	while (len - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const void *)(buf + off);

		if (h->nlmsg_len < sizeof(*h) || h->nlmsg_len > len - off) {
			printf("not ok - message at byte %zu: nlmsg_len %u\n", off, h->nlmsg_len);
			failures++;
			break;
		}
		off += NLMSG_ALIGN(h->nlmsg_len) < len - off ? NLMSG_ALIGN(h->nlmsg_len) : len - off;
		if (h->nlmsg_type != RTM_NEWTFILTER)
			continue;
		no++;
		dpu_rules_tc_decode(h, h->nlmsg_len, &f, &res, &st);
		dpu_rules_format(&f, model, sizeof(model));
		if (res.verdict == DPU_RULES_OK &&
		    test_encode(&f, &r, &res, abi, sizeof(abi), why, sizeof(why)) == -2) {
			printf("not ok %u - encoding: %s\n", no, why);
			failures++;
			continue;
		}
		if (res.verdict != DPU_RULES_OK)
			snprintf(got, sizeof(got), "!> %s: %s", dpu_rules_verdict_name(res.verdict),
				 res.reason);
		else
			snprintf(got, sizeof(got), "=> %.1100s", abi);
		if (print) {
			printf("# ifindex %u chain %u prio %u handle 0x%x: %s\n%s\n", f.id.ifindex,
			       f.id.chain, f.id.prio, f.id.handle, model, got);
			continue;
		}
		if (!next_expect(fp, expect, sizeof(expect))) {
			printf("not ok %u - no expectation left\n  got:    %s\n", no, got);
			failures++;
		} else if (!matches(expect, got)) {
			printf("not ok %u - differs\n  expect: %s\n  got:    %s\n", no, expect, got);
			failures++;
		} else {
			printf("ok %u - %s\n", no, got);
			passes++;
		}
	}
	if (!print && next_expect(fp, expect, sizeof(expect))) {
		printf("not ok - expectations left over: %s\n", expect);
		failures++;
	}
	fclose(fp);
	free(buf);
	if (print)
		return 0;
	printf("%d passed, %d failed\n", passes, failures);
	return failures || !passes;
}
