/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal: a bounded string builder for the printers. */
#ifndef DPU_RULES_FMT_H
#define DPU_RULES_FMT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "dpu_rules.h"

struct fmt {
	char *buf;
	size_t cap;
	size_t len; /* what would have been written (snprintf semantics) */
};

void fmt_add(struct fmt *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* " name value[/mask]" for n bytes, as hex, MAC, IPv4 or IPv6. */
enum fmt_kind { FMT_HEX, FMT_DEC, FMT_MAC, FMT_IP4, FMT_IP6 };
void fmt_field(struct fmt *f, const char *name, enum fmt_kind k,
	       const void *v, const void *m, size_t n);
/* Action bodies shared by the model and the ABI printers. */
void fmt_set_field(struct fmt *f, const struct dpu_abi_act_set_field *s);
void fmt_encap(struct fmt *f, const struct dpu_abi_act_tunnel_encap *e);
void fmt_ct(struct fmt *f, const struct dpu_abi_act_ct *ct);
/* Items of a match in tc flower words, in ABI item order. */
void fmt_match(struct fmt *f, const struct dpu_rules_match *m);

#endif
