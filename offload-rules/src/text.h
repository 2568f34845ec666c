/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal: the word reader shared by the rule text parser's parts. */
#ifndef DPU_RULES_TEXT_INTERNAL_H
#define DPU_RULES_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "dpu_rules_text.h"

struct text {
	int argc;
	char *const *argv;
	int pos;
	const struct dpu_rules_text_ports *ports;
	struct dpu_rules_abi_flow *out;
	struct dpu_rules_result *res;
};

/* The current word, or NULL past the end. */
const char *text_peek(const struct text *t);
/* Consume and return the current word (NULL past the end). */
const char *text_next(struct text *t);
/* Consume the current word if it is w. */
bool text_accept(struct text *t, const char *w);
/* True at "/", "end" or the end of the words: a list element is over. */
bool text_at_sep(const struct text *t);
/* MALFORMED with "word N 'w': " and the message; returns -EINVAL. */
int text_err(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Value readers: consume one word, explain what 'what' needed on error. */
int text_u64(struct text *t, const char *what, uint64_t max, uint64_t *v);
int text_mac(struct text *t, const char *what, uint8_t mac[6]);
/* "A" or "A/LEN"; *version 4 or 6; *plen -1 without "/LEN". */
int text_ip(struct text *t, const char *what, uint8_t addr[16],
	    uint8_t *version, int *plen);
/* Hex bytes ("0x0102", "0102" or "01:02"), at most max of them. */
int text_hex(struct text *t, const char *what, uint8_t *buf, size_t max,
	     size_t *len);
/* A port name (through the resolver) or number. */
int text_port(struct text *t, const char *what, uint32_t *port_id);

int text_pattern(struct text *t);
int text_actions(struct text *t);

#endif
