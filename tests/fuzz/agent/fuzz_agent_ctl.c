// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer target: what dpu-agent does with the JSON that reaches it
 * from outside: a control-socket request ({"nvmf": ...}, the line dpuctl
 * -a sends, or anything a local user writes to the socket) and its state
 * file. The card is a stand-in that takes or refuses each change (one
 * input byte decides), so add/del/list and the store's bookkeeping run
 * across inputs. Invariants after each input: every stored object
 * survives a JSON round trip byte for byte (what the state file relies
 * on), has its subsystem, and appears once; the store stays bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "agent_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int agent_log_level = AGENT_LOG_ERR;

void agent_log(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

static struct agent a, from_file;
static uint8_t verdict;

/* The card: OK, or a refusal with a reason, as the input says. */
static int fake_card(struct agent *ag, uint16_t opcode, const void *body, size_t len)
{
	(void)opcode;
	(void)body;
	if (len < sizeof(char[DPU_ABI_NQN_LEN]))
		abort(); /* every storage body starts with an NQN */
	if (verdict & 1) {
		snprintf(ag->nvmf_refusal, sizeof(ag->nvmf_refusal), "refused by the stand-in");
		return DPU_ABI_E_EXISTS + (verdict >> 1) % 3;
	}
	return DPU_ABI_OK;
}

static void check(struct agent *ag)
{
	for (size_t i = 0; i < ag->nvmf.n; i++) {
		const struct agent_nvmf_obj *e = &ag->nvmf.v[i];
		union dpu_nvmf_obj back;
		struct json_object *j = dpu_nvmf_to_json(e->kind, &e->o);
		char err[300];
		bool parent = e->kind == DPU_NVMF_SUBSYS;

		if (dpu_nvmf_from_json(e->kind, false, j, &back, err, sizeof(err), NULL) ||
		    memcmp(&back, &e->o, sizeof(back))) {
			fprintf(stderr, "stored %s does not round-trip: %s\n",
				dpu_nvmf_kind_name(e->kind), err);
			abort();
		}
		json_object_put(j);
		for (size_t k = 0; k < ag->nvmf.n; k++) {
			const struct agent_nvmf_obj *f = &ag->nvmf.v[k];

			if (k != i && f->kind == e->kind && dpu_nvmf_same(e->kind, &e->o, &f->o))
				abort(); /* a duplicate */
			if (f->kind == DPU_NVMF_SUBSYS && !strncmp(f->o.nqn, e->o.nqn, DPU_ABI_NQN_LEN))
				parent = true;
		}
		if (!parent)
			abort(); /* an orphan */
	}
	if (ag->nvmf.n > AGENT_NVMF_MAX)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *req;
	struct json_object *o, *doc;
	char err[400];

	if (!a.nvmf_call) {
		a.nvmf_call = fake_card;
		from_file.nvmf_call = fake_card;
	}
	if (size < 1 || size > 8191)
		return 0;
	verdict = data[0];
	req = malloc(size);
	if (!req)
		return 0;
	memcpy(req, data + 1, size - 1);
	req[size - 1] = 0;
	/* As a control-socket request (only JSON ones: the word requests
	 * include "replay PATH", which reads files). */
	if (req[0] == '{' || req[0] == '[') {
		char *copy = strdup(req);

		o = copy ? agent_ctl_handle(&a, copy) : NULL;
		if (o && !json_object_to_json_string(o))
			abort();
		json_object_put(o);
		free(copy);
	}
	/* As a state file: a replay of what it holds. */
	doc = json_tokener_parse(req);
	if (doc && agent_nvmf_load_json(&from_file, doc, err, sizeof(err)) == 0) {
		agent_nvmf_resync(&from_file);
		check(&from_file);
	}
	json_object_put(doc);
	free(req);
	check(&a);
	if (a.nvmf.n > 2000)
		agent_nvmf_fini(&a);
	return 0;
}
