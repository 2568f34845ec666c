// SPDX-License-Identifier: BSD-3-Clause
/* Rule text: the word reader, value readers and the rule's outer frame. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpu_abi_codec.h"
#include "text.h"

/* A line has at most this many words (a rule with every item and action
 * spelled out is around 200). */
#define TEXT_MAX_WORDS 512

const char *text_peek(const struct text *t)
{
	return t->pos < t->argc ? t->argv[t->pos] : NULL;
}

const char *text_next(struct text *t)
{
	return t->pos < t->argc ? t->argv[t->pos++] : NULL;
}

bool text_accept(struct text *t, const char *w)
{
	const char *p = text_peek(t);

	if (!p || strcmp(p, w))
		return false;
	t->pos++;
	return true;
}

bool text_at_sep(const struct text *t)
{
	const char *p = text_peek(t);

	return !p || !strcmp(p, "/") || !strcmp(p, "end");
}

int text_err(struct text *t, const char *fmt, ...)
{
	char msg[DPU_RULES_REASON_LEN];
	const char *w = text_peek(t);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w)
		return dpu_rules_fail(t->res, DPU_RULES_MALFORMED, "word %d '%.40s': %s",
				      t->pos + 1, w, msg);
	return dpu_rules_fail(t->res, DPU_RULES_MALFORMED, "at the end: %s", msg);
}

int text_u64(struct text *t, const char *what, uint64_t max, uint64_t *v)
{
	const char *w = text_peek(t);
	char *end;
	unsigned long long x;

	if (!w || text_at_sep(t))
		return text_err(t, "%s needs a number", what);
	if (*w == '-' || isspace((unsigned char)*w))
		return text_err(t, "%s must be a number 0..%llu", what,
				(unsigned long long)max);
	errno = 0;
	x = strtoull(w, &end, 0);
	if (errno || *end || end == w || x > max)
		return text_err(t, "%s must be a number 0..%llu", what,
				(unsigned long long)max);
	*v = x;
	t->pos++;
	return 0;
}

int text_mac(struct text *t, const char *what, uint8_t mac[6])
{
	const char *w = text_peek(t);
	unsigned int b[6];
	char tail;

	if (!w || text_at_sep(t) ||
	    sscanf(w, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return text_err(t, "%s needs a MAC address like 02:00:00:00:00:01", what);
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	t->pos++;
	return 0;
}

int text_ip(struct text *t, const char *what, uint8_t addr[16],
	    uint8_t *version, int *plen)
{
	const char *w = text_peek(t);
	char buf[INET6_ADDRSTRLEN + 8], *slash;

	if (!w || text_at_sep(t) || strlen(w) >= sizeof(buf))
		return text_err(t, "%s needs an IPv4 or IPv6 address", what);
	strcpy(buf, w);
	*plen = -1;
	slash = strchr(buf, '/');
	if (slash) {
		char *end;
		long n;

		*slash++ = 0;
		n = strtol(slash, &end, 10);
		if (*end || end == slash || n < 0 || n > 128)
			return text_err(t, "%s: prefix length must be 0..128", what);
		*plen = (int)n;
	}
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1)
		*version = 4;
	else if (inet_pton(AF_INET6, buf, addr) == 1)
		*version = 6;
	else
		return text_err(t, "%s needs an IPv4 or IPv6 address", what);
	if (*plen > (*version == 4 ? 32 : 128))
		return text_err(t, "%s: prefix /%d is longer than the address", what, *plen);
	t->pos++;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int text_hex(struct text *t, const char *what, uint8_t *buf, size_t max,
	     size_t *len)
{
	const char *w = text_peek(t), *p;
	size_t n = 0;

	if (!w || text_at_sep(t))
		return text_err(t, "%s needs hex bytes", what);
	p = w;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	while (*p) {
		int hi, lo;

		if (*p == ':') {
			p++;
			continue;
		}
		hi = hexval((unsigned char)p[0]);
		lo = hi < 0 ? -1 : hexval((unsigned char)p[1]);
		if (lo < 0)
			return text_err(t, "%s needs hex bytes (pairs of digits)", what);
		if (n == max)
			return text_err(t, "%s holds at most %zu bytes", what, max);
		buf[n++] = (uint8_t)(hi << 4 | lo);
		p += 2;
	}
	if (!n)
		return text_err(t, "%s needs hex bytes", what);
	*len = n;
	t->pos++;
	return 0;
}

int text_port(struct text *t, const char *what, uint32_t *port_id)
{
	const char *w = text_peek(t);
	uint64_t v;

	if (!w || text_at_sep(t))
		return text_err(t, "%s needs a port name or number", what);
	if (isdigit((unsigned char)w[0])) {
		if (text_u64(t, what, UINT32_MAX, &v))
			return t->res->err;
		*port_id = (uint32_t)v;
		return 0;
	}
	if (!t->ports || !t->ports->by_name)
		return text_err(t, "%s: port names need the card's port list; give a number", what);
	if (t->ports->by_name(t->ports->ctx, w, port_id) < 0)
		return text_err(t, "%s: the card has no port of that name", what);
	t->pos++;
	return 0;
}

/* "group N", "priority N", "ingress"/"transfer", in any order. */
static int attributes(struct text *t)
{
	struct dpu_rules_abi_flow *o = t->out;
	uint64_t v;

	for (;;) {
		if (text_accept(t, "group")) {
			if (text_u64(t, "group", DPU_ABI_GROUP_MAX, &v))
				return t->res->err;
			o->group = (uint32_t)v;
		} else if (text_accept(t, "priority") || text_accept(t, "prio")) {
			if (text_u64(t, "priority", DPU_ABI_PRIORITY_MAX, &v))
				return t->res->err;
			o->priority = (uint32_t)v;
		} else if (text_accept(t, "transfer")) {
			o->flags |= DPU_ABI_FLOWF_TRANSFER;
		} else if (text_accept(t, "ingress")) {
			o->flags &= (uint8_t)~DPU_ABI_FLOWF_TRANSFER;
		} else {
			return 0;
		}
	}
}

/* What the card's checker would say about the rule: the parser knows the
 * grammar, the ABI knows every cross-field constraint (ranges, masks,
 * fates); asking it here keeps the two from drifting apart. */
static int validate(struct text *t)
{
	const struct dpu_abi_peer peer = { .role = DPU_ABI_ROLE_CARD,
					   .minor = DPU_ABI_VERSION_MINOR };
	struct dpu_abi_builder b;
	struct dpu_abi_error err;
	size_t cap = 16384;
	uint8_t *buf = malloc(cap);
	int n, rc = 0;

	if (!buf)
		return dpu_rules_fail(t->res, DPU_RULES_MALFORMED, "out of memory");
	dpu_abi_build_init(&b, buf, cap, DPU_ABI_OP_FLOW_BATCH, 0, 0);
	dpu_abi_flow_batch_begin(&b);
	dpu_rules_abi_emit(&b, DPU_ABI_FLOW_ADD, t->out);
	n = dpu_abi_build_finish(&b);
	if (n < 0)
		rc = dpu_rules_fail(t->res, DPU_RULES_MALFORMED, "the rule does not encode: %s",
				    dpu_abi_status_name((uint16_t)-n));
	else if (dpu_abi_check(buf, (size_t)n, &peer, &err))
		rc = dpu_rules_fail(t->res, DPU_RULES_MALFORMED, "%s",
				    err.msg + (strncmp(err.msg, "flow_batch.ops[0].", 18) ? 0 : 18));
	free(buf);
	return rc;
}

int dpu_rules_text_parse_argv(int argc, char *const *argv,
			      const struct dpu_rules_text_ports *ports,
			      struct dpu_rules_abi_flow *out,
			      struct dpu_rules_result *res)
{
	struct text t = { .argc = argc, .argv = argv, .ports = ports,
			  .out = out, .res = res };
	int err;

	memset(out, 0, sizeof(*out));
	memset(res, 0, sizeof(*res));
	out->flags = DPU_ABI_FLOWF_TRANSFER;
	err = attributes(&t);
	if (err)
		return err;
	if (!text_accept(&t, "pattern"))
		return text_err(&t, "expected 'group', 'priority', 'ingress', 'transfer' or 'pattern'");
	err = text_pattern(&t);
	if (err)
		return err;
	if (!text_accept(&t, "actions"))
		return text_err(&t, "expected 'actions' after the pattern's 'end'");
	err = text_actions(&t);
	if (err)
		return err;
	if (text_peek(&t))
		return text_err(&t, "nothing may follow the actions' 'end'");
	return validate(&t);
}

int dpu_rules_text_parse(const char *line,
			 const struct dpu_rules_text_ports *ports,
			 struct dpu_rules_abi_flow *out,
			 struct dpu_rules_result *res)
{
	char *copy, *words[TEXT_MAX_WORDS], *save = NULL, *w, *hash;
	int n = 0, err;

	copy = strdup(line);
	if (!copy) {
		memset(res, 0, sizeof(*res));
		res->err = -ENOMEM;
		return -ENOMEM;
	}
	hash = strchr(copy, '#');
	if (hash)
		*hash = 0;
	for (w = strtok_r(copy, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == TEXT_MAX_WORDS) {
			free(copy);
			memset(out, 0, sizeof(*out));
			return dpu_rules_fail(res, DPU_RULES_MALFORMED,
					      "more than %d words in one rule", TEXT_MAX_WORDS);
		}
		words[n++] = w;
	}
	err = dpu_rules_text_parse_argv(n, words, ports, out, res);
	free(copy);
	return err;
}
