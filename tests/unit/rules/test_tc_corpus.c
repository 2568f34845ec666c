// SPDX-License-Identifier: BSD-3-Clause
/*
 * Checks every corpus entry: the netlink request real tc produced for the
 * `tc ...` line (captured by capture.sh) is decoded, translated, encoded,
 * validated with dpu_abi_check and decoded back; the result must equal the
 * entry's expectation:
 *   => RENDERING          offloaded; the ABI op, exactly (dpu_rules_format_abi)
 *   !> VERDICT: TEXT      not offloaded; verdict name and a reason substring
 *   !> tc-error           tc itself rejects the command
 *   model: TEXT           (optional, repeatable) substring of the model print
 * Usage: test_tc_corpus CORPUS CAPDIR [--print]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

struct entry {
	char cmd[1024];
	char expect[1024];
	char models[4][256];
	unsigned int n_models;
	unsigned int line;
};

static int failures, passes;

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = 0;
}

static void fail(const struct entry *e, unsigned int no, const char *what,
		 const char *got)
{
	failures++;
	printf("not ok %u - line %u: %s\n  cmd:    %s\n  expect: %s\n  got:    %s\n",
	       no, e->line, what, e->cmd, e->expect, got);
}

/* What `tc actions add/delete` did to the agent's meter table. */
static void keep_meters(struct test_devmap *m, const struct dpu_rules_flow *f)
{
	unsigned int i, j;

	for (i = 0; i < f->n_actions; i++) {
		const struct dpu_rules_act_police *p = &f->actions[i].u.police;

		if (f->actions[i].kind != DPU_RULES_ACT_POLICE)
			continue;
		for (j = 0; j < m->n_meters && m->meters[j].index != p->index; j++)
			;
		if (f->op == DPU_RULES_OP_DEL) {
			if (j < m->n_meters)
				m->meters[j] = m->meters[--m->n_meters];
		} else if (j < m->n_meters) {
			m->meters[j] = *p;
		} else if (m->n_meters < sizeof(m->meters) / sizeof(m->meters[0])) {
			m->meters[m->n_meters++] = *p;
		}
	}
}

static void check(const struct entry *e, unsigned int no, const char *dir,
		  struct dpu_rules_resolver *r, int print)
{
	char path[512], got[1200], abi[1024], model[2048], why[512];
	struct dpu_rules_result res;
	struct dpu_rules_flow f;
	struct dpu_rules_stats st = { 0 };
	size_t len = 0;
	uint8_t *buf;
	FILE *fp;
	int rc = -1;
	unsigned int i;

	snprintf(path, sizeof(path), "%s/%03u.rc", dir, no);
	fp = fopen(path, "r");
	if (!fp || fscanf(fp, "%d", &rc) != 1)
		rc = -1;
	if (fp)
		fclose(fp);
	if (!strcmp(e->expect, "!> tc-error")) {
		if (rc == 0)
			return fail(e, no, "tc accepted the command", "exit 0");
		passes++;
		printf("ok %u - %s\n", no, e->cmd);
		return;
	}
	if (rc != 0) {
		snprintf(got, sizeof(got), "tc exit %d (see %s/%03u.log)", rc, dir, no);
		return fail(e, no, "tc failed", got);
	}
	snprintf(path, sizeof(path), "%s/%03u.bin", dir, no);
	buf = test_read_file(path, &len);
	if (!buf)
		return fail(e, no, "no capture", path);

	if (!strncmp(e->cmd, "tc actions ", 11)) {
		dpu_rules_tc_decode_actions(buf, len, &f, &res, &st);
		dpu_rules_format_actions(&f, model, sizeof(model));
		if (res.verdict == DPU_RULES_OK) {
			keep_meters(r->ctx, &f);
			snprintf(abi, sizeof(abi), "%.1000s", model);
		}
	} else {
		dpu_rules_tc_decode(buf, len, &f, &res, &st);
		dpu_rules_format(&f, model, sizeof(model));
	}
	if (res.verdict == DPU_RULES_OK && strncmp(e->cmd, "tc actions ", 11) &&
	    test_encode(&f, r, &res, abi, sizeof(abi), why, sizeof(why)) == -2) {
		free(buf);
		return fail(e, no, "encoding", why);
	}
	if (res.verdict != DPU_RULES_OK)
		snprintf(got, sizeof(got), "!> %s: %s",
			 dpu_rules_verdict_name(res.verdict), res.reason);
	else
		snprintf(got, sizeof(got), "=> %.1100s", abi);
	free(buf);
	if (print) {
		printf("%s\n%s\n# model: %s\n\n", e->cmd, got, model);
		return;
	}

	if (!strncmp(e->expect, "=> ", 3)) {
		if (strcmp(e->expect, got))
			return fail(e, no, "translation differs", got);
	} else if (!strncmp(e->expect, "!> ", 3)) {
		const char *colon = strchr(e->expect, ':');
		size_t vlen = colon ? (size_t)(colon - e->expect) : 0;

		if (!colon || strncmp(e->expect, got, vlen + 1) ||
		    !strstr(got, colon + 2))
			return fail(e, no, "refusal differs", got);
	} else {
		return fail(e, no, "no expectation", got);
	}
	for (i = 0; i < e->n_models; i++)
		if (!strstr(model, e->models[i]))
			return fail(e, no, "model print lacks", model);
	passes++;
	printf("ok %u - %s\n", no, e->cmd);
}

int main(int argc, char **argv)
{
	struct dpu_rules_resolver r;
	struct test_devmap map;
	struct entry *e = NULL;
	char line[2048], path[512];
	unsigned int no = 0, lineno = 0;
	int print = argc > 3 && !strcmp(argv[3], "--print");
	FILE *fp;

	if (argc < 3) {
		fprintf(stderr, "usage: %s CORPUS CAPDIR [--print]\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/devmap", argv[2]);
	if (test_devmap_load(&map, path) || map.n == 0) {
		fprintf(stderr, "%s: no devmap\n", path);
		return 2;
	}
	test_resolver(&r, &map);
	fp = fopen(argv[1], "r");
	if (!fp) {
		perror(argv[1]);
		return 2;
	}
	e = calloc(1, sizeof(*e));
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		chomp(line);
		if (!strncmp(line, "tc ", 3)) {
			if (no)
				check(e, no, argv[2], &r, print);
			memset(e, 0, sizeof(*e));
			no++;
			e->line = lineno;
			snprintf(e->cmd, sizeof(e->cmd), "%.1023s", line);
		} else if (!strncmp(line, "=> ", 3) || !strncmp(line, "!> ", 3)) {
			snprintf(e->expect, sizeof(e->expect), "%.1023s", line);
		} else if (!strncmp(line, "model: ", 7) && e->n_models < 4) {
			snprintf(e->models[e->n_models++], sizeof(e->models[0]),
				 "%.255s", line + 7);
		}
	}
	if (no)
		check(e, no, argv[2], &r, print);
	fclose(fp);
	free(e);
	if (print)
		return 0;
	printf("%d passed, %d failed\n", passes, failures);
	return failures || !passes;
}
