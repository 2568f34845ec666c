/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Validating netlink attribute parsing for the tc decoders, on top of
 * libnl's nla_parse(). Every attribute set has a table naming each type,
 * its exact payload size, and whether we understand it; a failure names the
 * attribute ("TCA_FLOWER_KEY_IPV4_SRC: payload 5 bytes, expected 4").
 */
#ifndef DPU_RULES_TC_NL_H
#define DPU_RULES_TC_NL_H

#include <netlink/attr.h>

#include "dpu_rules.h"

enum tc_attr_kind {
	TC_A_NONE = 0,  /* not in the table: unknown type */
	TC_A_FIXED,     /* exactly len bytes */
	TC_A_MAX,       /* 1..len bytes (opaque blobs) */
	TC_A_STRING,    /* NUL-terminated, at most len bytes */
	TC_A_NESTED,    /* container, parsed by its own table */
	TC_A_FLAG,      /* zero length */
	TC_A_MIN,       /* at least len bytes (variable structs) */
	TC_A_LIST,      /* nested, may repeat (an option list); tb: first */
	TC_A_UPTO,      /* 0..len bytes, the kernel zero-pads (nla_memcpy) */
};

enum tc_attr_use {
	TC_USE = 0,       /* we decode it */
	TC_SKIP,          /* kernel echo or stats: harmless, ignored */
	TC_REFUSE,        /* valid, but not offloadable: refuse with why */
};

struct tc_attr {
	const char *name;
	uint8_t kind; /* enum tc_attr_kind */
	uint8_t use;  /* enum tc_attr_use */
	uint16_t len;
	const char *why; /* TC_REFUSE: the reason */
};

struct tc_ctx {
	struct dpu_rules_flow *f;
	struct dpu_rules_result *res;
};

/*
 * Parse the attribute stream inside nest (or head/len for the message
 * level) into tb[0..max] after validating every attribute against tab:
 * size, termination, duplicates, trailing garbage are MALFORMED (returns
 * -EINVAL); unknown and TC_REFUSE attributes are recorded as REFUSED
 * (returns 0). where prefixes messages for unknown types.
 */
int tc_parse(struct tc_ctx *c, struct nlattr **tb, int max,
	     const struct nlattr *head, int len, const struct tc_attr *tab,
	     const char *where);

static inline int tc_parse_nested(struct tc_ctx *c, struct nlattr **tb,
				  int max, const struct nlattr *nest,
				  const struct tc_attr *tab, const char *where)
{
	return tc_parse(c, tb, max, (const struct nlattr *)nla_data(nest),
			nla_len(nest), tab, where);
}

int tc_malformed(struct tc_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int tc_refuse(struct tc_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Copy a fixed-size attribute (size checked by tc_parse). */
void tc_get(const struct nlattr *a, void *dst, size_t n);

/* Parsers of the pieces of a filter. */
int tc_flower_keys(struct tc_ctx *c, struct nlattr **tb);
int tc_actions(struct tc_ctx *c, const struct nlattr *acts);
/* The action table of an RTM_NEWACTION (shared actions, e.g. meters). */
int tc_actions_standalone(struct tc_ctx *c, const struct nlattr *tab);
/* csum_need: TCA_CSUM_UPDATE_FLAG_* the rewrites need, plus
 * TC_CSUM_NEED_L4 for "the L4 checksum of whatever ip_proto is matched". */
#define TC_CSUM_NEED_L4 (1u << 31)
int tc_pedit(struct tc_ctx *c, const struct nlattr *opts, uint8_t idx,
	     int *verdict, uint32_t *csum_need);

#endif
