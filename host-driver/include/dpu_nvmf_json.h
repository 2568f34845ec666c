/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The card's NVMe-oF/TCP configuration objects (subsystem, namespace,
 * allowed host, listener) as JSON: one schema for dpuctl's -j output, the
 * agent's control-socket requests and answers, and the agent's state file.
 * The ABI structs (dpu_abi_services.h) are the in-memory form.
 *
 *   subsystem  {"nqn", "serial", "model", "allow_any_host"}
 *   ns         {"nqn", "nsid", "backend": "ram"|"null"|"file",
 *               "size_bytes", "block_size", "path"}
 *   host       {"nqn", "host_nqn"}
 *   listener   {"nqn", "traddr", "port"}
 */
#ifndef DPU_NVMF_JSON_H
#define DPU_NVMF_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dpu_abi.h"

enum dpu_nvmf_kind {
	DPU_NVMF_SUBSYS = 0,
	DPU_NVMF_NS = 1,
	DPU_NVMF_HOST = 2,
	DPU_NVMF_LISTENER = 3,
	DPU_NVMF_KINDS = 4,
};

enum dpu_nvmf_verb { DPU_NVMF_ADD, DPU_NVMF_DEL, DPU_NVMF_LIST };

union dpu_nvmf_obj {
	struct dpu_abi_nvmf_subsys subsys;
	struct dpu_abi_nvmf_ns ns;
	struct dpu_abi_nvmf_host host;
	struct dpu_abi_nvmf_listener listener;
	char nqn[DPU_ABI_NQN_LEN]; /* every object starts with its subsystem */
};

/* "subsystem", "ns", "host", "listener"; -1 for anything else. */
const char *dpu_nvmf_kind_name(int kind);
int dpu_nvmf_kind_parse(const char *s);
const char *dpu_nvmf_verb_name(int verb);
int dpu_nvmf_verb_parse(const char *s);

/* The ABI opcode of kind+verb, and the ABI size of an entry of kind. */
uint16_t dpu_nvmf_opcode(int kind, int verb);
size_t dpu_nvmf_entry_size(int kind);

/* The request body of kind+verb for o (a *_ref for SUBSYS_DEL and NS_DEL,
 * the object itself otherwise); returns its length. */
size_t dpu_nvmf_body(int kind, int verb, const union dpu_nvmf_obj *o, void *out);

/* Same object (identity: nqn, nqn+nsid, nqn+host_nqn, nqn+traddr+port). */
bool dpu_nvmf_same(int kind, const union dpu_nvmf_obj *a, const union dpu_nvmf_obj *b);

/* The object's fields as JSON (a new object). */
struct json_object *dpu_nvmf_to_json(int kind, const union dpu_nvmf_obj *o);

/*
 * JSON -> object, every field checked. key_only: just the identifying
 * fields (what a del needs); others are still refused when unknown.
 * Unset optional fields get defaults (serial OPENDPU0001, model "opendpu
 * NVMe-oF", block_size 4096). On error, err says "FIELD: what is wrong"
 * and *field (may be NULL) points at the field's name.
 */
int dpu_nvmf_from_json(int kind, bool key_only, struct json_object *j, union dpu_nvmf_obj *o,
		       char *err, size_t n, const char **field);

#endif /* DPU_NVMF_JSON_H */
