/* SPDX-License-Identifier: BSD-3-Clause */
/* NVMe-oF configuration objects <-> JSON (see dpu_nvmf_json.h). */
#include "dpu_nvmf_json.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const kinds[DPU_NVMF_KINDS] = { "subsystem", "ns", "host", "listener" };
static const char *const verbs[] = { "add", "del", "list" };
static const char *const backends[DPU_ABI_NVMF_BDEV_MAX] = { "ram", "null", "file" };

const char *dpu_nvmf_kind_name(int kind)
{
	return kind >= 0 && kind < DPU_NVMF_KINDS ? kinds[kind] : "?";
}

int dpu_nvmf_kind_parse(const char *s)
{
	for (int i = 0; i < DPU_NVMF_KINDS; i++)
		if (s && !strcmp(s, kinds[i]))
			return i;
	return -1;
}

const char *dpu_nvmf_verb_name(int verb)
{
	return verb >= 0 && verb <= DPU_NVMF_LIST ? verbs[verb] : "?";
}

int dpu_nvmf_verb_parse(const char *s)
{
	for (int i = 0; i <= DPU_NVMF_LIST; i++)
		if (s && !strcmp(s, verbs[i]))
			return i;
	return -1;
}

uint16_t dpu_nvmf_opcode(int kind, int verb)
{
	/* The ABI numbers them kind by kind: ADD, DEL, LIST. */
	return (uint16_t)(DPU_ABI_OP_NVMF_SUBSYS_ADD + 3 * kind + verb);
}

size_t dpu_nvmf_entry_size(int kind)
{
	static const size_t sz[DPU_NVMF_KINDS] = {
		sizeof(struct dpu_abi_nvmf_subsys), sizeof(struct dpu_abi_nvmf_ns),
		sizeof(struct dpu_abi_nvmf_host), sizeof(struct dpu_abi_nvmf_listener),
	};
	return kind >= 0 && kind < DPU_NVMF_KINDS ? sz[kind] : 0;
}

size_t dpu_nvmf_body(int kind, int verb, const union dpu_nvmf_obj *o, void *out)
{
	if (verb == DPU_NVMF_DEL && kind == DPU_NVMF_SUBSYS) {
		struct dpu_abi_nvmf_subsys_ref r = { 0 };

		memcpy(r.nqn, o->nqn, sizeof(r.nqn));
		memcpy(out, &r, sizeof(r));
		return sizeof(r);
	}
	if (verb == DPU_NVMF_DEL && kind == DPU_NVMF_NS) {
		struct dpu_abi_nvmf_ns_ref r = { .nsid = o->ns.nsid };

		memcpy(r.nqn, o->nqn, sizeof(r.nqn));
		memcpy(out, &r, sizeof(r));
		return sizeof(r);
	}
	memcpy(out, o, dpu_nvmf_entry_size(kind));
	return dpu_nvmf_entry_size(kind);
}

bool dpu_nvmf_same(int kind, const union dpu_nvmf_obj *a, const union dpu_nvmf_obj *b)
{
	if (strncmp(a->nqn, b->nqn, DPU_ABI_NQN_LEN))
		return false;
	switch (kind) {
	case DPU_NVMF_NS:
		return a->ns.nsid == b->ns.nsid;
	case DPU_NVMF_HOST:
		return !strncmp(a->host.host_nqn, b->host.host_nqn, DPU_ABI_NQN_LEN);
	case DPU_NVMF_LISTENER:
		return a->listener.port == b->listener.port &&
		       !strncmp(a->listener.traddr, b->listener.traddr, DPU_ABI_TRADDR_LEN);
	}
	return true;
}

static void put_str(struct json_object *j, const char *k, const char *s, size_t cap)
{
	json_object_object_add(j, k, json_object_new_string_len(s, (int)strnlen(s, cap)));
}

struct json_object *dpu_nvmf_to_json(int kind, const union dpu_nvmf_obj *o)
{
	struct json_object *j = json_object_new_object();

	put_str(j, "nqn", o->nqn, DPU_ABI_NQN_LEN);
	switch (kind) {
	case DPU_NVMF_SUBSYS:
		put_str(j, "serial", o->subsys.serial, sizeof(o->subsys.serial));
		put_str(j, "model", o->subsys.model, sizeof(o->subsys.model));
		json_object_object_add(j, "allow_any_host", json_object_new_boolean(
			o->subsys.flags & DPU_ABI_NVMF_ALLOW_ANY_HOST));
		break;
	case DPU_NVMF_NS:
		json_object_object_add(j, "nsid", json_object_new_int64(o->ns.nsid));
		json_object_object_add(j, "backend", json_object_new_string(
			o->ns.backend < DPU_ABI_NVMF_BDEV_MAX ? backends[o->ns.backend] : "?"));
		json_object_object_add(j, "size_bytes", json_object_new_int64((int64_t)o->ns.size_bytes));
		json_object_object_add(j, "block_size",
				       json_object_new_int64(1ll << (o->ns.block_shift & 31)));
		put_str(j, "path", o->ns.path, sizeof(o->ns.path));
		break;
	case DPU_NVMF_HOST:
		put_str(j, "host_nqn", o->host.host_nqn, sizeof(o->host.host_nqn));
		break;
	case DPU_NVMF_LISTENER:
		put_str(j, "traddr", o->listener.traddr, sizeof(o->listener.traddr));
		json_object_object_add(j, "port", json_object_new_int(o->listener.port));
		break;
	}
	return j;
}

/* ------------------------------------------------------------------ */

struct parse {
	struct json_object *j;
	char *err;
	size_t n;
	const char **field;
};

static int bad(struct parse *p, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct parse *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	int off = snprintf(p->err, p->n, "%s: ", field);

	va_start(ap, fmt);
	if (off >= 0 && (size_t)off < p->n)
		vsnprintf(p->err + off, p->n - (size_t)off, fmt, ap);
	va_end(ap);
	if (p->field)
		*p->field = field;
	return -1;
}

/* Field k; NULL when absent (or JSON null). */
static struct json_object *get(struct parse *p, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(p->j, k, &v) ? v : NULL;
}

/* A string field into dst[cap]: printable ASCII, 1..cap-1 characters. */
static int str_field(struct parse *p, const char *k, bool required, char *dst, size_t cap)
{
	struct json_object *v = get(p, k);
	const char *s;
	size_t len;

	if (!v) {
		if (required)
			return bad(p, k, "missing");
		return 1;
	}
	if (!json_object_is_type(v, json_type_string))
		return bad(p, k, "expected a string");
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (len == 0)
		return bad(p, k, "empty");
	if (len >= cap)
		return bad(p, k, "longer than %zu characters", cap - 1);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return bad(p, k, "character %zu is not printable ASCII", i + 1);
	memset(dst, 0, cap); /* the ABI wants the rest zero */
	memcpy(dst, s, len);
	return 0;
}

static int int_field(struct parse *p, const char *k, bool required, int64_t lo, int64_t hi,
		     int64_t *out)
{
	struct json_object *v = get(p, k);

	if (!v) {
		if (required)
			return bad(p, k, "missing");
		return 1;
	}
	if (!json_object_is_type(v, json_type_int))
		return bad(p, k, "expected an integer");
	*out = json_object_get_int64(v);
	/* json-c saturates what does not fit: refuse rather than clamp */
	if (*out < lo || *out > hi || *out == INT64_MAX)
		return bad(p, k, "%lld is not in %lld..%lld", (long long)*out, (long long)lo,
			   (long long)hi);
	return 0;
}

static bool known(int kind, bool key_only, const char *k)
{
	static const char *const fields[DPU_NVMF_KINDS][6] = {
		{ "nqn", "serial", "model", "allow_any_host" },
		{ "nqn", "nsid", "backend", "size_bytes", "block_size", "path" },
		{ "nqn", "host_nqn" },
		{ "nqn", "traddr", "port" },
	};
	static const char *const keys[DPU_NVMF_KINDS][3] = {
		{ "nqn" }, { "nqn", "nsid" }, { "nqn", "host_nqn" }, { "nqn", "traddr", "port" },
	};

	if (key_only) {
		for (int i = 0; i < 3; i++)
			if (keys[kind][i] && !strcmp(k, keys[kind][i]))
				return true;
		return false;
	}
	for (int i = 0; i < 6; i++)
		if (fields[kind][i] && !strcmp(k, fields[kind][i]))
			return true;
	return false;
}

static int parse_subsys(struct parse *p, bool key_only, struct dpu_abi_nvmf_subsys *s)
{
	struct json_object *v;
	int rc;

	if (key_only)
		return 0;
	snprintf(s->serial, sizeof(s->serial), "OPENDPU0001");
	snprintf(s->model, sizeof(s->model), "opendpu NVMe-oF");
	if ((rc = str_field(p, "serial", false, s->serial, sizeof(s->serial))) < 0 ||
	    (rc = str_field(p, "model", false, s->model, sizeof(s->model))) < 0)
		return rc;
	v = get(p, "allow_any_host");
	if (v && !json_object_is_type(v, json_type_boolean))
		return bad(p, "allow_any_host", "expected true or false");
	if (v && json_object_get_boolean(v))
		s->flags |= DPU_ABI_NVMF_ALLOW_ANY_HOST;
	return 0;
}

static int parse_ns(struct parse *p, bool key_only, struct dpu_abi_nvmf_ns *s)
{
	struct json_object *v;
	int64_t x;
	int rc;

	if (int_field(p, "nsid", true, 1, 0xfffffffe, &x) < 0)
		return -1;
	s->nsid = (uint32_t)x;
	if (key_only)
		return 0;
	v = get(p, "backend");
	if (!v)
		return bad(p, "backend", "missing (ram, null or file)");
	if (!json_object_is_type(v, json_type_string))
		return bad(p, "backend", "expected a string (ram, null or file)");
	for (x = 0; x < DPU_ABI_NVMF_BDEV_MAX; x++)
		if (!strcmp(json_object_get_string(v), backends[x]))
			break;
	if (x == DPU_ABI_NVMF_BDEV_MAX)
		return bad(p, "backend", "'%s' is not ram, null or file", json_object_get_string(v));
	s->backend = (uint8_t)x;
	rc = int_field(p, "size_bytes", s->backend != DPU_ABI_NVMF_BDEV_FILE,
		       s->backend == DPU_ABI_NVMF_BDEV_FILE ? 0 : 1, INT64_MAX, &x);
	if (rc < 0)
		return -1;
	s->size_bytes = rc ? 0 : (uint64_t)x;
	s->block_shift = 12;
	rc = int_field(p, "block_size", false, 512, 4096, &x);
	if (rc < 0)
		return -1;
	if (!rc) {
		if (x & (x - 1))
			return bad(p, "block_size", "%lld is not a power of two", (long long)x);
		s->block_shift = (uint8_t)__builtin_ctzll((unsigned long long)x);
	}
	if (s->size_bytes % (1ull << s->block_shift))
		return bad(p, "size_bytes", "not a multiple of the block size");
	v = get(p, "path");
	if (s->backend == DPU_ABI_NVMF_BDEV_FILE)
		return str_field(p, "path", true, s->path, sizeof(s->path)) < 0 ? -1 : 0;
	if (v && !(json_object_is_type(v, json_type_string) && !json_object_get_string_len(v)))
		return bad(p, "path", "only a file namespace has a path");
	return 0;
}

static int parse_listener(struct parse *p, struct dpu_abi_nvmf_listener *l)
{
	unsigned char a[16];
	int64_t x;

	if (str_field(p, "traddr", true, l->traddr, sizeof(l->traddr)) < 0 ||
	    int_field(p, "port", true, 1, 65535, &x) < 0)
		return -1;
	l->port = (uint16_t)x;
	if (inet_pton(AF_INET, l->traddr, a) == 1)
		l->adrfam = DPU_ABI_NVMF_ADRFAM_IPV4;
	else if (inet_pton(AF_INET6, l->traddr, a) == 1)
		l->adrfam = DPU_ABI_NVMF_ADRFAM_IPV6;
	else
		return bad(p, "traddr", "'%s' is not a numeric IPv4/IPv6 address", l->traddr);
	return 0;
}

int dpu_nvmf_from_json(int kind, bool key_only, struct json_object *j, union dpu_nvmf_obj *o,
		       char *err, size_t n, const char **field)
{
	struct parse p = { .j = j, .err = err, .n = n, .field = field };

	memset(o, 0, sizeof(*o));
	if (field)
		*field = NULL;
	if (kind < 0 || kind >= DPU_NVMF_KINDS) {
		snprintf(err, n, "unknown object kind");
		return -1;
	}
	if (!j || !json_object_is_type(j, json_type_object)) {
		snprintf(err, n, "%s: expected a JSON object", kinds[kind]);
		return -1;
	}
	json_object_object_foreach(j, k, v) {
		(void)v;
		if (!known(kind, key_only, k))
			return bad(&p, k, "unknown field for %s %s", kinds[kind],
				   key_only ? "del" : "add");
	}
	if (str_field(&p, "nqn", true, o->nqn, DPU_ABI_NQN_LEN) < 0)
		return -1;
	switch (kind) {
	case DPU_NVMF_SUBSYS:
		return parse_subsys(&p, key_only, &o->subsys);
	case DPU_NVMF_NS:
		return parse_ns(&p, key_only, &o->ns);
	case DPU_NVMF_HOST:
		return str_field(&p, "host_nqn", true, o->host.host_nqn,
				 sizeof(o->host.host_nqn)) < 0 ? -1 : 0;
	default:
		return parse_listener(&p, &o->listener);
	}
}
