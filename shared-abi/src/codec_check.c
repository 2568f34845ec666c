/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpu_abi_check(): validate a received message in place, header first, then
 * the body through the opcode's descriptor row. The card runs this on every
 * host message, so the success path formats nothing and loops per word, not
 * per byte; all text is produced by dpu_abi__fail() on the way out.
 */
#include <stdarg.h>
#include <stdio.h>

#include "codec_internal.h"

#define FAIL(st, at, fld, ...)                                                 \
	dpu_abi__fail(c, DPU_ABI_E_##st, (at), (fld), __VA_ARGS__)

/* p->f must be zero (reserved or pad). */
#define RESV(p, f)                                                             \
	do {                                                                   \
		if (!dpu_abi__zero(&(p)->f, sizeof((p)->f)))                   \
			return FAIL(RESERVED, &(p)->f, #f, "not zero");        \
	} while (0)

/* lo <= p->f < hi, else E_ENUM. */
#define ENUM(p, f, lo, hi)                                                     \
	do {                                                                   \
		if (outside((p)->f, (lo), (uint64_t)(hi) - 1))       \
			return FAIL(ENUM, &(p)->f, #f,                         \
				    "%llu not in %llu..%llu",                  \
				    (unsigned long long)(p)->f,                \
				    (unsigned long long)(lo),                  \
				    (unsigned long long)(hi) - 1);             \
	} while (0)

/* p->f has no bits outside all. */
#define FLAGS(p, f, all)                                                       \
	do {                                                                   \
		if ((uint64_t)(p)->f & ~(uint64_t)(all))                       \
			return FAIL(FLAGS, &(p)->f, #f,                        \
				    "undefined bits 0x%llx",                   \
				    (unsigned long long)((p)->f & ~(all)));    \
	} while (0)

/* lo <= p->f <= hi, else E_RANGE. */
#define RANGE(p, f, lo, hi)                                                    \
	do {                                                                   \
		if (outside((p)->f, (lo), (hi)))        \
			return FAIL(RANGE, &(p)->f, #f,                        \
				    "%llu not in %llu..%llu",                  \
				    (unsigned long long)(p)->f,                \
				    (unsigned long long)(lo),                  \
				    (unsigned long long)(hi));                 \
	} while (0)

#define STR(p, f, nonempty)                                                    \
	do {                                                                   \
		int r_ = ck_str(c, (p)->f, sizeof((p)->f), #f, nonempty);      \
		if (r_)                                                        \
			return r_;                                             \
	} while (0)

#define CALL(x)                                                                \
	do {                                                                   \
		int r_ = (x);                                                  \
		if (r_)                                                        \
			return r_;                                             \
	} while (0)

/* A function, not an expression, so lo == 0 draws no -Wtype-limits. */
static inline bool outside(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo || v > hi;
}

static inline uint16_t be16(uint16_t v)
{
	return __builtin_bswap16(v);
}

static inline uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

/* ------------------------------------------------------------------ */
/* Failure reporting (cold)                                            */
/* ------------------------------------------------------------------ */

static size_t put_str(char *dst, size_t cap, size_t at, const char *s)
{
	while (*s && at + 1 < cap)
		dst[at++] = *s++;
	dst[at < cap ? at : cap - 1] = '\0';
	return at;
}

static size_t put_idx(char *dst, size_t cap, size_t at, uint32_t v)
{
	char tmp[16];
	int n = 0;

	tmp[n++] = ']';
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	tmp[n++] = '[';
	while (n && at + 1 < cap)
		dst[at++] = tmp[--n];
	dst[at] = '\0';
	return at;
}

int dpu_abi__fail(struct dpu_abi_ck *c, enum dpu_abi_status st, const void *at,
		  const char *field, const char *fmt, ...)
{
	struct dpu_abi_error *e = c->err;
	char why[128];
	size_t n = 0, cap;
	va_list ap;

	if (!e)
		return -(int)st;
	e->status = st;
	e->offset = at ? (uint32_t)((const uint8_t *)at - c->msg) : 0;
	cap = sizeof(e->field);
	n = put_str(e->field, cap, 0, c->root ? c->root : "msg");
	if (c->arr) {
		n = put_str(e->field, cap, n, ".");
		n = put_str(e->field, cap, n, c->arr);
		n = put_idx(e->field, cap, n, c->idx);
	}
	if (c->sub) {
		n = put_str(e->field, cap, n, ".");
		n = put_str(e->field, cap, n, c->sub);
		n = put_idx(e->field, cap, n, c->sub_idx);
	}
	if (field) {
		n = put_str(e->field, cap, n, ".");
		put_str(e->field, cap, n, field);
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	n = put_str(e->msg, sizeof(e->msg), 0, e->field);
	n = put_str(e->msg, sizeof(e->msg), n, ": ");
	put_str(e->msg, sizeof(e->msg), n, why);
	return -(int)st;
}

/* ------------------------------------------------------------------ */
/* Shared field checks                                                 */
/* ------------------------------------------------------------------ */

/* NUL-terminated within n, printable ASCII before it, zero after it. */
static int ck_str(struct dpu_abi_ck *c, const char *s, size_t n,
		  const char *field, bool nonempty)
{
	const char *nul = memchr(s, 0, n);
	size_t l, i;

	if (!nul)
		return FAIL(STRING, s, field, "no NUL within %zu bytes", n);
	l = (size_t)(nul - s);
	if (nonempty && l == 0)
		return FAIL(STRING, s, field, "empty");
	for (i = 0; i < l; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return FAIL(STRING, s + i, field,
				    "non-printable byte 0x%02x at %zu",
				    (unsigned char)s[i], i);
	if (!dpu_abi__zero(nul, n - l))
		return FAIL(STRING, nul, field, "bytes after the NUL not zero");
	return 0;
}

/* An NVMe qualified name: "nqn." or the 2014-08 UUID form both start so. */
static int ck_nqn(struct dpu_abi_ck *c, const char *s, const char *field)
{
	CALL(ck_str(c, s, DPU_ABI_NQN_LEN, field, true));
	if (memcmp(s, "nqn.", 4) != 0)
		return FAIL(STRING, s, field, "does not start with \"nqn.\"");
	return 0;
}

/* 4: bytes 4..15 of a 16-byte address must be zero. */
static int ck_addr(struct dpu_abi_ck *c, const uint8_t *a, unsigned ver,
		   const char *field)
{
	if (ver == 4 && !dpu_abi__zero(a + 4, 12))
		return FAIL(CONFLICT, a + 4, field,
			    "ip_version 4 with bytes past the 4th not zero");
	return 0;
}

/* Address/prefix pair: plen within the family, no bits past the prefix. */
static int ck_prefix(struct dpu_abi_ck *c, const uint8_t *a,
		     const uint8_t *plen_p,
		     unsigned ver, const char *afield, const char *pfield)
{
	unsigned plen = *plen_p, max = ver == 4 ? 32 : ver == 6 ? 128 : 0;
	unsigned i;

	if (plen > max)
		return FAIL(RANGE, plen_p, pfield, "%u > %u for ip_version %u",
			    plen, max, ver);
	if (ver == 0 && !dpu_abi__zero(a, 16))
		return FAIL(CONFLICT, a, afield, "address with ip_version 0");
	CALL(ck_addr(c, a, ver, afield));
	for (i = plen / 8; i < 16; i++) {
		uint8_t keep = i == plen / 8 ? (uint8_t)(0xff00u >> (plen % 8)) : 0;

		if (a[i] & ~keep)
			return FAIL(MASK, a + i, afield,
				    "bits set past the /%u prefix", plen);
	}
	return 0;
}

/* Inclusive host-order port range. */
static int ck_range16(struct dpu_abi_ck *c, const uint16_t *lo,
		      const uint16_t *hi, const char *field)
{
	if (*lo > *hi)
		return FAIL(RANGE, lo, field, "lo %u > hi %u", *lo, *hi);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Control and ports                                                   */
/* ------------------------------------------------------------------ */

#define DPU_ABI_HELLO_MIN_MSG 4096u

static int ck_hello_req(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_hello_req *r = b;
	uint64_t known = c->h->ver_minor > c->peer->minor ? UINT64_MAX :
							     DPU_ABI_FEAT_ALL;

	(void)len;
	if (r->ver_major != c->h->ver_major)
		return FAIL(VERSION, &r->ver_major, "ver_major",
			    "%u but the header says %u", r->ver_major,
			    c->h->ver_major);
	if (r->ver_minor != c->h->ver_minor)
		return FAIL(CONFLICT, &r->ver_minor, "ver_minor",
			    "%u but the header says %u", r->ver_minor,
			    c->h->ver_minor);
	RESV(r, reserved0);
	RANGE(r, max_msg_len, DPU_ABI_HELLO_MIN_MSG, UINT32_MAX);
	FLAGS(r, features, known);
	STR(r, host_name, false);
	return 0;
}

static int ck_caps(struct dpu_abi_ck *c, const struct dpu_abi_caps *k,
		   bool newer)
{
	uint64_t items = ((1ull << DPU_ABI_ITEM_TYPE_MAX) - 1) & ~1ull;
	uint64_t acts = ((1ull << DPU_ABI_ACT_TYPE_MAX) - 1) & ~1ull;

	RANGE(k, max_msg_len, DPU_ABI_HELLO_MIN_MSG, DPU_ABI_MSG_MAX);
	RANGE(k, max_batch, 1, UINT32_MAX);
	RANGE(k, req_ring_depth, 1, UINT32_MAX);
	RANGE(k, cpl_ring_depth, 1, UINT32_MAX);
	RANGE(k, evt_ring_depth, 1, UINT32_MAX);
	if (!newer) {
		FLAGS(k, item_types, items);
		FLAGS(k, action_types, acts);
	}
	return 0;
}

static int ck_hello_resp(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_hello_resp *r = b;
	bool newer = c->h->ver_minor > c->peer->minor;
	int ret;

	(void)len;
	if (r->ver_major != DPU_ABI_VERSION_MAJOR)
		return FAIL(VERSION, &r->ver_major, "ver_major",
			    "%u, we speak %u", r->ver_major,
			    DPU_ABI_VERSION_MAJOR);
	if (r->ver_minor > c->peer->minor)
		return FAIL(VERSION, &r->ver_minor, "ver_minor",
			    "agreed %u above ours %u", r->ver_minor,
			    c->peer->minor);
	RESV(r, reserved0);
	FLAGS(r, features, newer ? UINT64_MAX : DPU_ABI_FEAT_ALL);
	STR(r, card_name, true);
	STR(r, fw_version, false);
	c->root = "hello_resp.caps";
	ret = ck_caps(c, &r->caps, newer);
	c->root = "hello_resp";
	return ret;
}

static int ck_none(struct dpu_abi_ck *c, const void *b, size_t len)
{
	(void)c, (void)b, (void)len;
	return 0;
}

static int ck_keepalive_resp(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_keepalive_resp *r = b;

	(void)len;
	FLAGS(r, health, DPU_ABI_HEALTH_ALL);
	return 0;
}

static int ck_card_reset_req(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_card_reset_req *r = b;

	(void)len;
	ENUM(r, kind, 0, DPU_ABI_RESET_KIND_MAX);
	RESV(r, reserved);
	return 0;
}

static int ck_card_reset_resp(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_card_reset_resp *r = b;

	(void)len;
	if (r->new_epoch == r->old_epoch)
		return FAIL(CONFLICT, &r->new_epoch, "new_epoch",
			    "equal to old_epoch %u", r->old_epoch);
	return 0;
}

/* Head of every list response: count entries of total. */
static int ck_list_resp(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_list_resp *r = b;

	(void)len;
	if (r->count > r->total)
		return FAIL(CONFLICT, &r->count, "count", "%u > total %u",
			    r->count, r->total);
	return 0;
}

static int ck_port_info(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_port_info *p = e;

	ENUM(p, kind, 0, DPU_ABI_PORT_KIND_MAX);
	if (p->kind <= DPU_ABI_PORT_PF && p->vf)
		return FAIL(CONFLICT, &p->vf, "vf", "%u on an uplink/PF", p->vf);
	RANGE(p, admin_up, 0, 1);
	RANGE(p, oper_up, 0, 1);
	RANGE(p, mtu, DPU_ABI_MTU_MIN, DPU_ABI_MTU_MAX);
	RESV(p, reserved);
	RESV(p, reserved2);
	STR(p, name, true);
	RESV(p, reserved3);
	return 0;
}

static int ck_port_config_req(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_port_config_req *r = b;

	(void)len;
	FLAGS(r, set, DPU_ABI_PORT_SET_ALL);
	if (!r->set)
		return FAIL(RANGE, &r->set, "set", "0: nothing to configure");
	if (r->set & DPU_ABI_PORT_SET_MTU)
		RANGE(r, mtu, DPU_ABI_MTU_MIN, DPU_ABI_MTU_MAX);
	else if (r->mtu)
		return FAIL(CONFLICT, &r->mtu, "mtu", "%u without SET_MTU",
			    r->mtu);
	if (r->set & DPU_ABI_PORT_SET_MAC) {
		if (dpu_abi__zero(r->mac, 6))
			return FAIL(RANGE, r->mac, "mac", "all zero");
		if (r->mac[0] & 1)
			return FAIL(RANGE, r->mac, "mac", "multicast");
	} else if (!dpu_abi__zero(r->mac, 6)) {
		return FAIL(CONFLICT, r->mac, "mac", "set without SET_MAC");
	}
	RANGE(r, admin_up, 0, 1);
	if (!(r->set & DPU_ABI_PORT_SET_STATE) && r->admin_up)
		return FAIL(CONFLICT, &r->admin_up, "admin_up",
			    "set without SET_STATE");
	RESV(r, reserved);
	return 0;
}

static int ck_port_stats_req(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_port_stats_req *r = b;

	(void)len;
	RESV(r, reserved);
	return 0;
}

static int ck_port_stats(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_port_stats *s = e;

	RESV(s, reserved);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Flows: items                                                        */
/* ------------------------------------------------------------------ */

/* Field names of item structs, to name what a mask/reserved error hit. */
struct fdesc {
	const char *name;
	uint8_t off, size;
};
#define FD(T, f) { #f, offsetof(struct T, f), sizeof(((struct T *)0)->f) }

static const struct fdesc f_port[] = { FD(dpu_abi_item_port, port_id), {0} };
static const struct fdesc f_meta[] = { FD(dpu_abi_item_meta, data), {0} };
static const struct fdesc f_tag[] = { FD(dpu_abi_item_tag, data),
	FD(dpu_abi_item_tag, index), FD(dpu_abi_item_tag, reserved), {0} };
static const struct fdesc f_mark[] = { FD(dpu_abi_item_mark, id), {0} };
static const struct fdesc f_tunnel[] = { FD(dpu_abi_item_tunnel, type),
	FD(dpu_abi_item_tunnel, ip_version), FD(dpu_abi_item_tunnel, tos),
	FD(dpu_abi_item_tunnel, ttl), FD(dpu_abi_item_tunnel, vni),
	FD(dpu_abi_item_tunnel, src), FD(dpu_abi_item_tunnel, dst),
	FD(dpu_abi_item_tunnel, src_port), FD(dpu_abi_item_tunnel, dst_port),
	FD(dpu_abi_item_tunnel, reserved), {0} };
static const struct fdesc f_geneve[] = {
	FD(dpu_abi_item_geneve_opt, opt_class),
	FD(dpu_abi_item_geneve_opt, opt_type),
	FD(dpu_abi_item_geneve_opt, opt_len),
	FD(dpu_abi_item_geneve_opt, data), {0} };
static const struct fdesc f_eth[] = { FD(dpu_abi_item_eth, dst),
	FD(dpu_abi_item_eth, src), FD(dpu_abi_item_eth, ether_type),
	FD(dpu_abi_item_eth, reserved), {0} };
static const struct fdesc f_vlan[] = { FD(dpu_abi_item_vlan, tpid),
	FD(dpu_abi_item_vlan, tci), {0} };
static const struct fdesc f_arp[] = { FD(dpu_abi_item_arp, op),
	FD(dpu_abi_item_arp, sha), FD(dpu_abi_item_arp, tha),
	FD(dpu_abi_item_arp, spa), FD(dpu_abi_item_arp, tpa),
	FD(dpu_abi_item_arp, reserved), {0} };
static const struct fdesc f_ipv4[] = { FD(dpu_abi_item_ipv4, tos),
	FD(dpu_abi_item_ipv4, ttl), FD(dpu_abi_item_ipv4, proto),
	FD(dpu_abi_item_ipv4, ip_flags), FD(dpu_abi_item_ipv4, src),
	FD(dpu_abi_item_ipv4, dst), {0} };
static const struct fdesc f_ipv6[] = { FD(dpu_abi_item_ipv6, tclass),
	FD(dpu_abi_item_ipv6, hop_limit), FD(dpu_abi_item_ipv6, proto),
	FD(dpu_abi_item_ipv6, ip_flags), FD(dpu_abi_item_ipv6, flow_label),
	FD(dpu_abi_item_ipv6, src), FD(dpu_abi_item_ipv6, dst), {0} };
static const struct fdesc f_tcp[] = { FD(dpu_abi_item_tcp, src_port),
	FD(dpu_abi_item_tcp, dst_port), FD(dpu_abi_item_tcp, flags),
	FD(dpu_abi_item_tcp, reserved), {0} };
static const struct fdesc f_l4[] = { FD(dpu_abi_item_l4, src_port),
	FD(dpu_abi_item_l4, dst_port), {0} };
static const struct fdesc f_icmp[] = { FD(dpu_abi_item_icmp, type),
	FD(dpu_abi_item_icmp, code), FD(dpu_abi_item_icmp, reserved), {0} };
static const struct fdesc f_ct[] = { FD(dpu_abi_item_ct, state),
	FD(dpu_abi_item_ct, zone), FD(dpu_abi_item_ct, mark),
	FD(dpu_abi_item_ct, label), {0} };

static const struct fdesc *const item_fields[DPU_ABI_ITEM_TYPE_MAX] = {
	[DPU_ABI_ITEM_PORT] = f_port, [DPU_ABI_ITEM_META] = f_meta,
	[DPU_ABI_ITEM_TAG] = f_tag, [DPU_ABI_ITEM_MARK] = f_mark,
	[DPU_ABI_ITEM_TUNNEL] = f_tunnel, [DPU_ABI_ITEM_GENEVE_OPT] = f_geneve,
	[DPU_ABI_ITEM_ETH] = f_eth, [DPU_ABI_ITEM_VLAN] = f_vlan,
	[DPU_ABI_ITEM_VLAN_INNER] = f_vlan, [DPU_ABI_ITEM_ARP] = f_arp,
	[DPU_ABI_ITEM_IPV4] = f_ipv4, [DPU_ABI_ITEM_IPV6] = f_ipv6,
	[DPU_ABI_ITEM_TCP] = f_tcp, [DPU_ABI_ITEM_UDP] = f_l4,
	[DPU_ABI_ITEM_SCTP] = f_l4, [DPU_ABI_ITEM_ICMP] = f_icmp,
	[DPU_ABI_ITEM_ICMP6] = f_icmp, [DPU_ABI_ITEM_CT] = f_ct,
};

/* Name byte off of an item's spec or mask ("mask.ttl") for an error. */
DPU_ABI_COLD static int item_fail(struct dpu_abi_ck *c, enum dpu_abi_status st,
				  uint16_t type, const uint8_t *part,
				  const char *which, size_t off,
				  const char *why)
{
	const struct fdesc *f = item_fields[type];
	char name[40];

	while (f->name && !(off >= f->off && off < (size_t)f->off + f->size))
		f++;
	snprintf(name, sizeof(name), "%s.%s", which, f->name ? f->name : "?");
	return dpu_abi__fail(c, st, part + off, name, "%s (byte %zu: 0x%02x)",
			     why, off, part[off]);
}

/* First byte where spec has bits outside mask (or reserved bytes are set);
 * called only after the word-wise test found one. */
DPU_ABI_COLD static int item_bits_fail(struct dpu_abi_ck *c, uint16_t type,
				       const uint8_t *spec, const uint8_t *mask)
{
	const struct dpu_abi_item_desc *d = &dpu_abi__items[type];
	size_t i;

	for (i = d->resv_off; i < (size_t)d->resv_off + d->resv_len; i++) {
		if (spec[i])
			return item_fail(c, DPU_ABI_E_RESERVED, type, spec,
					 "spec", i, "reserved not zero");
		if (mask[i])
			return item_fail(c, DPU_ABI_E_RESERVED, type, mask,
					 "mask", i, "reserved not zero");
	}
	for (i = 0; i < d->spec_size; i++)
		if (spec[i] & ~mask[i])
			return item_fail(c, DPU_ABI_E_MASK, type, spec, "spec",
					 i, "bits set outside the mask");
	return FAIL(INTERNAL, spec, "spec", "mask check disagrees");
}

static int ck_item_tag(struct dpu_abi_ck *c, const void *sp, const void *mk)
{
	const struct dpu_abi_item_tag *s = sp, *m = mk;

	if (m->index != 0xff)
		return FAIL(MASK, &m->index, "mask.index",
			    "0x%02x, must be 0xff", m->index);
	if (s->index > DPU_ABI_TAG_INDEX_MAX)
		return FAIL(RANGE, &s->index, "spec.index", "%u > %u", s->index,
			    DPU_ABI_TAG_INDEX_MAX);
	return 0;
}

static int ck_item_tunnel(struct dpu_abi_ck *c, const void *sp, const void *mk)
{
	const struct dpu_abi_item_tunnel *s = sp, *m = mk;

	if (m->type != 0xff)
		return FAIL(MASK, &m->type, "mask.type", "0x%02x, must be 0xff",
			    m->type);
	if (m->ip_version != 0xff)
		return FAIL(MASK, &m->ip_version, "mask.ip_version",
			    "0x%02x, must be 0xff", m->ip_version);
	if (s->type < 1 || s->type >= DPU_ABI_TUNNEL_TYPE_MAX)
		return FAIL(ENUM, &s->type, "spec.type", "%u not a tunnel type",
			    s->type);
	if (s->ip_version != 4 && s->ip_version != 6)
		return FAIL(ENUM, &s->ip_version, "spec.ip_version",
			    "%u not 4 or 6", s->ip_version);
	/* spec is inside mask, so checking the mask covers both */
	CALL(ck_addr(c, m->src, s->ip_version, "mask.src"));
	CALL(ck_addr(c, m->dst, s->ip_version, "mask.dst"));
	if (be32(m->vni) > 0xffffffu)
		return FAIL(RANGE, &m->vni, "mask.vni", "0x%x past 24 bits",
			    be32(m->vni));
	c->tun = s;
	return 0;
}

static int ck_item_geneve(struct dpu_abi_ck *c, const void *sp, const void *mk)
{
	const struct dpu_abi_item_geneve_opt *s = sp, *m = mk;

	if (!c->tun || c->tun->type != DPU_ABI_TUNNEL_GENEVE)
		return FAIL(CONFLICT, s, "type",
			    "GENEVE_OPT without a Geneve TUNNEL item");
	if (m->opt_len != 0 && m->opt_len != 0xff)
		return FAIL(MASK, &m->opt_len, "mask.opt_len",
			    "0x%02x, must be 0 or 0xff", m->opt_len);
	if (s->opt_len > DPU_ABI_GENEVE_OPT_DATA / 4)
		return FAIL(RANGE, &s->opt_len, "spec.opt_len", "%u > %u",
			    s->opt_len, DPU_ABI_GENEVE_OPT_DATA / 4);
	if (m->opt_len && !dpu_abi__zero(m->data + s->opt_len * 4,
					  DPU_ABI_GENEVE_OPT_DATA -
						  s->opt_len * 4u))
		return FAIL(CONFLICT, m->data + s->opt_len * 4, "mask.data",
			    "bytes past opt_len %u words", s->opt_len);
	return 0;
}

static int ck_item_vlan(struct dpu_abi_ck *c, const void *sp, const void *mk)
{
	const struct dpu_abi_item_vlan *s = sp, *m = mk;

	if (m->tpid != 0 && m->tpid != 0xffff)
		return FAIL(MASK, &m->tpid, "mask.tpid",
			    "0x%04x, must be 0 or 0xffff", be16(m->tpid));
	if (m->tpid && s->tpid != be16(0x8100) && s->tpid != be16(0x88a8))
		return FAIL(RANGE, &s->tpid, "spec.tpid",
			    "0x%04x not 0x8100 or 0x88a8", be16(s->tpid));
	return 0;
}

static int ck_item_ipv4(struct dpu_abi_ck *c, const void *sp, const void *mk)
{
	const struct dpu_abi_item_ipv4 *m = mk;

	(void)sp;
	if (m->ip_flags & ~DPU_ABI_IPF_ALL)
		return FAIL(FLAGS, &m->ip_flags, "mask.ip_flags",
			    "undefined bits 0x%x", m->ip_flags & ~DPU_ABI_IPF_ALL);
	return 0;
}

static int ck_item_ipv6(struct dpu_abi_ck *c, const void *sp, const void *mk)
{
	const struct dpu_abi_item_ipv6 *m = mk;

	(void)sp;
	if (m->ip_flags & ~DPU_ABI_IPF_ALL)
		return FAIL(FLAGS, &m->ip_flags, "mask.ip_flags",
			    "undefined bits 0x%x", m->ip_flags & ~DPU_ABI_IPF_ALL);
	if (be32(m->flow_label) > 0xfffffu)
		return FAIL(RANGE, &m->flow_label, "mask.flow_label",
			    "0x%x past 20 bits", be32(m->flow_label));
	return 0;
}

static int ck_item_tcp(struct dpu_abi_ck *c, const void *sp, const void *mk)
{
	const struct dpu_abi_item_tcp *m = mk;

	(void)sp;
	if (be16(m->flags) > 0xfffu)
		return FAIL(RANGE, &m->flags, "mask.flags", "0x%x past 12 bits",
			    be16(m->flags));
	return 0;
}

static int ck_item_ct(struct dpu_abi_ck *c, const void *sp, const void *mk)
{
	const struct dpu_abi_item_ct *m = mk;

	(void)sp;
	if (m->state & ~DPU_ABI_CT_STATE_ALL)
		return FAIL(FLAGS, &m->state, "mask.state",
			    "undefined bits 0x%x",
			    m->state & ~DPU_ABI_CT_STATE_ALL);
	return 0;
}

typedef int (*item_fn)(struct dpu_abi_ck *, const void *, const void *);
static const item_fn item_checks[DPU_ABI_ITEM_TYPE_MAX] = {
	[DPU_ABI_ITEM_TAG] = ck_item_tag,
	[DPU_ABI_ITEM_TUNNEL] = ck_item_tunnel,
	[DPU_ABI_ITEM_GENEVE_OPT] = ck_item_geneve,
	[DPU_ABI_ITEM_VLAN] = ck_item_vlan,
	[DPU_ABI_ITEM_VLAN_INNER] = ck_item_vlan,
	[DPU_ABI_ITEM_IPV4] = ck_item_ipv4,
	[DPU_ABI_ITEM_IPV6] = ck_item_ipv6,
	[DPU_ABI_ITEM_TCP] = ck_item_tcp,
	[DPU_ABI_ITEM_CT] = ck_item_ct,
};

/* ------------------------------------------------------------------ */
/* Flows: actions                                                      */
/* ------------------------------------------------------------------ */

static int ck_act_empty(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_empty *a = p;

	RESV(a, reserved);
	return 0;
}

static int ck_act_output(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_port *a = p;

	FLAGS(a, flags, DPU_ABI_OUT_ALL);
	RANGE(a, ratio, 0, 0);
	return 0;
}

static int ck_act_mirror(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_port *a = p;

	FLAGS(a, flags, DPU_ABI_OUT_ALL);
	RANGE(a, ratio, 1, UINT32_MAX);
	return 0;
}

static int ck_act_jump(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_u32 *a = p;

	RANGE(a, value, 0, DPU_ABI_GROUP_MAX);
	if (a->value == c->op->group)
		return FAIL(CONFLICT, &a->value, "value",
			    "jump to its own group %u", a->value);
	return 0;
}

static int ck_act_any(struct dpu_abi_ck *c, const void *p)
{
	(void)c, (void)p;
	return 0;
}

static int ck_act_age(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_u32 *a = p;

	RANGE(a, value, 1, DPU_ABI_AGE_MAX);
	return 0;
}

static int ck_act_set_meta(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_set_meta *a = p;

	if (!a->mask)
		return FAIL(RANGE, &a->mask, "mask", "0: sets nothing");
	if (a->data & ~a->mask)
		return FAIL(MASK, &a->data, "data",
			    "0x%x has bits outside mask 0x%x", a->data, a->mask);
	RESV(a, reserved);
	return 0;
}

#define VID_RESERVED 0x0fffu

static int ck_act_vlan_push(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_vlan *a = p;

	if (a->tpid != be16(0x8100) && a->tpid != be16(0x88a8))
		return FAIL(RANGE, &a->tpid, "tpid",
			    "0x%04x not 0x8100 or 0x88a8", be16(a->tpid));
	/* as tc act_vlan: VID 4095 is reserved by 802.1Q */
	if ((be16(a->tci) & 0xfffu) == VID_RESERVED)
		return FAIL(RANGE, &a->tci, "tci", "VID 4095 not in 0..4094");
	if (a->tci_mask)
		return FAIL(CONFLICT, &a->tci_mask, "tci_mask",
			    "0x%04x on a push", be16(a->tci_mask));
	RESV(a, reserved);
	RESV(a, reserved2);
	return 0;
}

static int ck_act_vlan_set(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_vlan *a = p;

	if (a->tpid)
		return FAIL(CONFLICT, &a->tpid, "tpid", "0x%04x on a set",
			    be16(a->tpid));
	if (!a->tci_mask)
		return FAIL(RANGE, &a->tci_mask, "tci_mask", "0: sets nothing");
	if (a->tci & ~a->tci_mask)
		return FAIL(MASK, &a->tci, "tci",
			    "0x%04x has bits outside tci_mask 0x%04x",
			    be16(a->tci), be16(a->tci_mask));
	if ((be16(a->tci_mask) & 0xfffu) == 0xfffu &&
	    (be16(a->tci) & 0xfffu) == VID_RESERVED)
		return FAIL(RANGE, &a->tci, "tci", "VID 4095 not in 0..4094");
	RESV(a, reserved);
	RESV(a, reserved2);
	return 0;
}

static int ck_act_encap(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_tunnel_encap *a = p;

	ENUM(a, type, 1, DPU_ABI_TUNNEL_TYPE_MAX);
	if (a->ip_version != 4 && a->ip_version != 6)
		return FAIL(ENUM, &a->ip_version, "ip_version", "%u not 4 or 6",
			    a->ip_version);
	CALL(ck_addr(c, a->src, a->ip_version, "src"));
	CALL(ck_addr(c, a->dst, a->ip_version, "dst"));
	if (dpu_abi__zero(a->dst, 16))
		return FAIL(RANGE, a->dst, "dst", "unspecified address");
	if (be32(a->vni) > 0xffffffu)
		return FAIL(RANGE, &a->vni, "vni", "0x%x past 24 bits",
			    be32(a->vni));
	FLAGS(a, flags, DPU_ABI_ENCAP_ALL);
	if (a->opts_len % 4 || a->opts_len > sizeof(a->opts))
		return FAIL(RANGE, &a->opts_len, "opts_len",
			    "%u not a multiple of 4 in 0..%zu", a->opts_len,
			    sizeof(a->opts));
	if (a->opts_len && a->type != DPU_ABI_TUNNEL_GENEVE)
		return FAIL(CONFLICT, &a->opts_len, "opts_len",
			    "%u options on a VXLAN encap", a->opts_len);
	RESV(a, reserved);
	if (!dpu_abi__zero(a->opts + a->opts_len, sizeof(a->opts) - a->opts_len))
		return FAIL(RESERVED, a->opts + a->opts_len, "opts",
			    "bytes past opts_len %u not zero", a->opts_len);
	return 0;
}

/* Width in bytes of each rewritable field. */
static const uint8_t set_field_width[DPU_ABI_FIELD_ID_MAX] = {
	[DPU_ABI_FIELD_ETH_SRC] = 6, [DPU_ABI_FIELD_ETH_DST] = 6,
	[DPU_ABI_FIELD_IPV4_SRC] = 4, [DPU_ABI_FIELD_IPV4_DST] = 4,
	[DPU_ABI_FIELD_IPV6_SRC] = 16, [DPU_ABI_FIELD_IPV6_DST] = 16,
	[DPU_ABI_FIELD_L4_SRC] = 2, [DPU_ABI_FIELD_L4_DST] = 2,
	[DPU_ABI_FIELD_IP_TTL] = 1, [DPU_ABI_FIELD_IP_DSCP] = 1,
};

static int ck_act_set_field(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_set_field *a = p;
	unsigned w, i;

	ENUM(a, field, 1, DPU_ABI_FIELD_ID_MAX);
	RESV(a, reserved);
	w = set_field_width[a->field];
	if (!dpu_abi__zero(a->value + w, 16 - w))
		return FAIL(RESERVED, a->value + w, "value",
			    "bytes past the %u-byte field not zero", w);
	if (!dpu_abi__zero(a->mask + w, 16 - w))
		return FAIL(RESERVED, a->mask + w, "mask",
			    "bytes past the %u-byte field not zero", w);
	if (dpu_abi__zero(a->mask, w))
		return FAIL(RANGE, a->mask, "mask", "0: sets nothing");
	for (i = 0; i < w; i++)
		if (a->value[i] & ~a->mask[i])
			return FAIL(MASK, a->value + i, "value",
				    "bits outside the mask at byte %u", i);
	if (a->field == DPU_ABI_FIELD_IP_DSCP && a->mask[0] > 0x3f)
		return FAIL(RANGE, a->mask, "mask", "DSCP 0x%02x past 6 bits",
			    a->mask[0]);
	return 0;
}

static int ck_act_ct(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_ct *a = p;
	unsigned f = a->flags, i;
	bool nat = f & DPU_ABI_CTF_NAT;

	FLAGS(a, flags, DPU_ABI_CTF_ALL);
	if ((f & DPU_ABI_CTF_CLEAR) &&
	    (f != DPU_ABI_CTF_CLEAR || a->zone || a->mark || a->mark_mask ||
	     !dpu_abi__zero(a->label, 32)))
		return FAIL(CONFLICT, &a->flags, "flags",
			    "CLEAR must stand alone (flags 0x%x)", f);
	if ((f & DPU_ABI_CTF_FORCE) && !(f & DPU_ABI_CTF_COMMIT))
		return FAIL(CONFLICT, &a->flags, "flags", "FORCE without COMMIT");
	if ((f & (DPU_ABI_CTF_NAT_SRC | DPU_ABI_CTF_NAT_DST)) &&
	    (!nat || (f & DPU_ABI_CTF_NAT_SRC && f & DPU_ABI_CTF_NAT_DST)))
		return FAIL(CONFLICT, &a->flags, "flags",
			    "NAT_SRC/NAT_DST need NAT and exclude each other");
	if (a->mark & ~a->mark_mask)
		return FAIL(MASK, &a->mark, "mark", "0x%x outside mark_mask 0x%x",
			    a->mark, a->mark_mask);
	for (i = 0; i < 16; i++)
		if (a->label[i] & ~a->label_mask[i])
			return FAIL(MASK, a->label + i, "label",
				    "bits outside label_mask at byte %u", i);
	RESV(a, reserved);
	RESV(a, reserved2);
	if (a->nat_ip_version != 0 && a->nat_ip_version != 4 &&
	    a->nat_ip_version != 6)
		return FAIL(ENUM, &a->nat_ip_version, "nat_ip_version",
			    "%u not 0, 4 or 6", a->nat_ip_version);
	if (!nat || !(f & (DPU_ABI_CTF_NAT_SRC | DPU_ABI_CTF_NAT_DST))) {
		/* no NAT, or NAT that only re-applies an existing binding */
		if (a->nat_ip_version || a->nat_port_min || a->nat_port_max ||
		    !dpu_abi__zero(a->nat_addr_min, 32))
			return FAIL(CONFLICT, &a->nat_ip_version,
				    "nat_ip_version",
				    "NAT range without NAT_SRC/NAT_DST");
		return 0;
	}
	if (a->nat_ip_version == 0 &&
	    !dpu_abi__zero(a->nat_addr_min, 32))
		return FAIL(CONFLICT, a->nat_addr_min, "nat_addr_min",
			    "address with nat_ip_version 0");
	CALL(ck_addr(c, a->nat_addr_min, a->nat_ip_version, "nat_addr_min"));
	CALL(ck_addr(c, a->nat_addr_max, a->nat_ip_version, "nat_addr_max"));
	if (memcmp(a->nat_addr_min, a->nat_addr_max, 16) > 0)
		return FAIL(RANGE, a->nat_addr_min, "nat_addr_min",
			    "above nat_addr_max");
	if (be16(a->nat_port_min) > be16(a->nat_port_max))
		return FAIL(RANGE, &a->nat_port_min, "nat_port_min",
			    "%u > nat_port_max %u", be16(a->nat_port_min),
			    be16(a->nat_port_max));
	return 0;
}

static int ck_act_meter(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_meter *a = p;

	RANGE(a, meter_id, 1, UINT32_MAX);
	ENUM(a, mode, 0, DPU_ABI_METER_MODE_MAX);
	FLAGS(a, flags, DPU_ABI_METER_FLAGS_ALL);
	ENUM(a, yellow, 0, DPU_ABI_METER_V_VERDICT_MAX);
	ENUM(a, red, 0, DPU_ABI_METER_V_VERDICT_MAX);
	RESV(a, reserved);
	RANGE(a, cir, 1, UINT64_MAX);
	RANGE(a, cbs, 1, UINT64_MAX);
	if (a->mode == DPU_ABI_METER_SRTCM && a->eir)
		return FAIL(CONFLICT, &a->eir, "eir", "%llu on an srTCM meter",
			    (unsigned long long)a->eir);
	if (a->mode == DPU_ABI_METER_TRTCM) {
		RANGE(a, eir, a->cir, UINT64_MAX);
		RANGE(a, ebs, 1, UINT64_MAX);
	}
	return 0;
}

static int ck_act_ipsec(struct dpu_abi_ck *c, const void *p)
{
	const struct dpu_abi_act_ipsec *a = p;

	RANGE(a, sa_id, 1, UINT32_MAX);
	ENUM(a, dir, 0, DPU_ABI_IPSEC_DIR_MAX);
	RESV(a, reserved);
	return 0;
}

typedef int (*act_fn)(struct dpu_abi_ck *, const void *);
static const act_fn act_checks[DPU_ABI_ACT_TYPE_MAX] = {
	[DPU_ABI_ACT_DROP] = ck_act_empty,
	[DPU_ABI_ACT_OUTPUT] = ck_act_output,
	[DPU_ABI_ACT_MIRROR] = ck_act_mirror,
	[DPU_ABI_ACT_JUMP] = ck_act_jump,
	[DPU_ABI_ACT_COUNT] = ck_act_any,
	[DPU_ABI_ACT_MARK] = ck_act_any,
	[DPU_ABI_ACT_SET_META] = ck_act_set_meta,
	[DPU_ABI_ACT_VLAN_PUSH] = ck_act_vlan_push,
	[DPU_ABI_ACT_VLAN_POP] = ck_act_empty,
	[DPU_ABI_ACT_VLAN_SET] = ck_act_vlan_set,
	[DPU_ABI_ACT_TUNNEL_ENCAP] = ck_act_encap,
	[DPU_ABI_ACT_TUNNEL_DECAP] = ck_act_empty,
	[DPU_ABI_ACT_SET_FIELD] = ck_act_set_field,
	[DPU_ABI_ACT_DEC_TTL] = ck_act_empty,
	[DPU_ABI_ACT_CT] = ck_act_ct,
	[DPU_ABI_ACT_METER] = ck_act_meter,
	[DPU_ABI_ACT_IPSEC] = ck_act_ipsec,
	[DPU_ABI_ACT_TO_SOFTWARE] = ck_act_any,
	[DPU_ABI_ACT_AGE] = ck_act_age,
};

/* ------------------------------------------------------------------ */
/* Flows: ops and the batch                                            */
/* ------------------------------------------------------------------ */

/* Walk n_items items from p; *pp is advanced past them. */
static int ck_items(struct dpu_abi_ck *c, const uint8_t **pp,
		    const uint8_t *end, uint32_t *present)
{
	const struct dpu_abi_flow_op *op = c->op;
	const uint8_t *p = *pp;
	unsigned last = 0, j;

	c->sub = "items";
	for (j = 0; j < op->n_items; j++) {
		const struct dpu_abi_item_hdr *it = (const void *)p;
		const struct dpu_abi_item_desc *d;
		const uint8_t *spec, *mask;
		unsigned n, k;
		uint32_t bad = 0;

		c->sub_idx = j;
		if (DPU_ABI_UNLIKELY((size_t)(end - p) < sizeof(*it))) {
			c->sub = NULL;
			return FAIL(COUNT, &op->n_items, "n_items",
				    "%u items run past the op (item %u)",
				    op->n_items, j);
		}
		if (DPU_ABI_UNLIKELY(it->type == 0 ||
				     it->type >= DPU_ABI_ITEM_TYPE_MAX))
			return FAIL(ENUM, &it->type, "type",
				    "%u not an item type", it->type);
		d = &dpu_abi__items[it->type];
		n = d->spec_size;
		if (DPU_ABI_UNLIKELY(it->len != sizeof(*it) + 2 * n))
			return FAIL(SIZE, &it->len, "len",
				    "%u, %s needs %u", it->len, d->name,
				    (unsigned)(sizeof(*it) + 2 * n));
		if (DPU_ABI_UNLIKELY(it->len > (size_t)(end - p)))
			return FAIL(LENGTH, &it->len, "len",
				    "%u past the op (%zu bytes left)", it->len,
				    (size_t)(end - p));
		if (DPU_ABI_UNLIKELY(it->reserved))
			return FAIL(RESERVED, &it->reserved, "reserved",
				    "0x%x not zero", it->reserved);
		if (DPU_ABI_UNLIKELY(it->type <= last))
			return FAIL(ORDER, &it->type, "type",
				    "%s after %s: items must ascend, once each",
				    d->name, dpu_abi__items[last].name);
		last = it->type;
		spec = p + sizeof(*it);
		mask = spec + n;
		/* spec sizes are multiples of 4: one pass of 32-bit words */
		for (k = 0; k < n; k += 4) {
			uint32_t s, m;

			memcpy(&s, spec + k, 4);
			memcpy(&m, mask + k, 4);
			bad |= s & ~m;
		}
		if (d->resv_len && (!dpu_abi__zero(spec + d->resv_off, d->resv_len) ||
				    !dpu_abi__zero(mask + d->resv_off, d->resv_len)))
			bad = 1;
		if (DPU_ABI_UNLIKELY(bad))
			return item_bits_fail(c, it->type, spec, mask);
		if (item_checks[it->type])
			CALL(item_checks[it->type](c, spec, mask));
		*present |= 1u << it->type;
		p += it->len;
	}
	if (DPU_ABI_UNLIKELY((*present & (1u << DPU_ABI_ITEM_VLAN_INNER)) &&
			     !(*present & (1u << DPU_ABI_ITEM_VLAN)))) {
		c->sub = NULL;
		return FAIL(CONFLICT, &op->n_items, "n_items",
			    "VLAN_INNER without VLAN");
	}
	c->sub = NULL;
	*pp = p;
	return 0;
}

#define FATE_NAMES "DROP, OUTPUT, JUMP or TO_SOFTWARE"

static int ck_actions(struct dpu_abi_ck *c, const uint8_t **pp,
		      const uint8_t *end, uint32_t present)
{
	const struct dpu_abi_flow_op *op = c->op;
	const uint8_t *p = *pp;
	uint32_t seen = 0;
	bool fate = false;
	unsigned j;

	c->sub = "actions";
	for (j = 0; j < op->n_actions; j++) {
		const struct dpu_abi_action_hdr *a = (const void *)p;
		const struct dpu_abi_action_desc *d;

		c->sub_idx = j;
		if (DPU_ABI_UNLIKELY((size_t)(end - p) < sizeof(*a))) {
			c->sub = NULL;
			return FAIL(COUNT, &op->n_actions, "n_actions",
				    "%u actions run past the op (action %u)",
				    op->n_actions, j);
		}
		if (DPU_ABI_UNLIKELY(a->type == 0 ||
				     a->type >= DPU_ABI_ACT_TYPE_MAX))
			return FAIL(ENUM, &a->type, "type",
				    "%u not an action type", a->type);
		d = &dpu_abi__actions[a->type];
		if (DPU_ABI_UNLIKELY(a->len != d->size))
			return FAIL(SIZE, &a->len, "len", "%u, %s needs %u",
				    a->len, d->name, d->size);
		if (DPU_ABI_UNLIKELY(a->len > (size_t)(end - p)))
			return FAIL(LENGTH, &a->len, "len",
				    "%u past the op (%zu bytes left)", a->len,
				    (size_t)(end - p));
		if (DPU_ABI_UNLIKELY(fate))
			return FAIL(CONFLICT, &a->type, "type",
				    "%s after the fate action: the fate ("
				    FATE_NAMES ") must be last", d->name);
		if (DPU_ABI_UNLIKELY(d->once && (seen & (1u << a->type))))
			return FAIL(CONFLICT, &a->type, "type",
				    "second %s in one rule", d->name);
		if (DPU_ABI_UNLIKELY(a->type == DPU_ABI_ACT_TUNNEL_DECAP &&
				     !(present & (1u << DPU_ABI_ITEM_TUNNEL))))
			return FAIL(CONFLICT, &a->type, "type",
				    "TUNNEL_DECAP without a TUNNEL item");
		seen |= 1u << a->type;
		fate = d->fate;
		CALL(act_checks[a->type](c, a));
		p += a->len;
	}
	c->sub = NULL;
	if (DPU_ABI_UNLIKELY(!fate))
		return FAIL(CONFLICT, &op->n_actions, "n_actions",
			    "%u actions and no fate (" FATE_NAMES ") last",
			    op->n_actions);
	*pp = p;
	return 0;
}

static int ck_flow_op(struct dpu_abi_ck *c, const struct dpu_abi_flow_op *op,
		      size_t rem)
{
	const uint8_t *p = (const uint8_t *)(op + 1);
	const uint8_t *end = (const uint8_t *)op + op->len;
	uint32_t present = 0;

	if (DPU_ABI_UNLIKELY(op->len % DPU_ABI_ALIGN))
		return FAIL(ALIGN, &op->len, "len", "%u not a multiple of %u",
			    op->len, DPU_ABI_ALIGN);
	if (DPU_ABI_UNLIKELY(op->len < sizeof(*op) || op->len > rem))
		return FAIL(LENGTH, &op->len, "len",
			    "%u not in %zu..%zu (bytes left in the body)",
			    op->len, sizeof(*op), rem);
	if (DPU_ABI_UNLIKELY(op->op == 0 || op->op >= DPU_ABI_FLOW_OP_MAX))
		return FAIL(ENUM, &op->op, "op", "%u not a flow op kind", op->op);
	FLAGS(op, flags, DPU_ABI_FLOWF_ALL);
	RESV(op, reserved);
	RANGE(op, group, 0, DPU_ABI_GROUP_MAX);
	RANGE(op, priority, 0, DPU_ABI_PRIORITY_MAX);
	RANGE(op, n_items, 0, DPU_ABI_MAX_ITEMS);
	RANGE(op, n_actions, 0, DPU_ABI_MAX_ACTIONS);
	if ((op->flags & DPU_ABI_FLOWF_QUERY_RESET) &&
	    op->op != DPU_ABI_FLOW_QUERY)
		return FAIL(FLAGS, &op->flags, "flags",
			    "QUERY_RESET on a non-QUERY op");
	c->op = op;
	c->tun = NULL;
	if (op->op == DPU_ABI_FLOW_DELETE || op->op == DPU_ABI_FLOW_QUERY) {
		if (op->n_items || op->n_actions)
			return FAIL(CONFLICT, &op->n_items, "n_items",
				    "%u items, %u actions on a DELETE/QUERY",
				    op->n_items, op->n_actions);
		if (op->group || op->priority)
			return FAIL(CONFLICT, &op->group, "group",
				    "group/priority set on a DELETE/QUERY");
	} else {
		CALL(ck_items(c, &p, end, &present));
		CALL(ck_actions(c, &p, end, present));
	}
	if (DPU_ABI_UNLIKELY(p != end))
		return FAIL(LENGTH, &op->len, "len",
			    "%u but items and actions end at %zu", op->len,
			    (size_t)(p - (const uint8_t *)op));
	return 0;
}

static int ck_flow_batch(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_flow_batch_req *r = b;
	const uint8_t *p = (const uint8_t *)b + sizeof(*r);
	const uint8_t *end = (const uint8_t *)b + len;
	uint32_t i;

	if (len < sizeof(*r))
		return FAIL(LENGTH, b, NULL, "body %zu bytes, needs %zu", len,
			    sizeof(*r));
	RESV(r, reserved);
	RANGE(r, n_ops, 1, UINT32_MAX);
	c->arr = "ops";
	for (i = 0; i < r->n_ops; i++) {
		const struct dpu_abi_flow_op *op = (const void *)p;
		size_t rem = (size_t)(end - p);

		c->idx = i;
		if (DPU_ABI_UNLIKELY(rem < sizeof(*op))) {
			c->arr = NULL;
			return FAIL(COUNT, &r->n_ops, "n_ops",
				    "%u ops run past the body (op %u)",
				    r->n_ops, i);
		}
		CALL(ck_flow_op(c, op, rem));
		p += op->len;
	}
	c->arr = NULL;
	if (DPU_ABI_UNLIKELY(p != end))
		return FAIL(LENGTH, p, "n_ops", "%zu bytes after op %u",
			    (size_t)(end - p), r->n_ops - 1);
	return 0;
}

static int ck_flow_batch_resp(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_flow_batch_resp *r = b;
	const struct dpu_abi_flow_result *res = (const void *)(r + 1);
	uint32_t i, failed = 0;

	(void)len;
	for (i = 0; i < r->n_results; i++)
		failed += res[i].status != 0;
	if (r->n_failed != failed)
		return FAIL(CONFLICT, &r->n_failed, "n_failed",
			    "%u but %u results failed", r->n_failed, failed);
	return 0;
}

static int ck_flow_result(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_flow_result *r = e;

	if (!dpu_abi_status_known(r->status))
		return FAIL(ENUM, &r->status, "status", "%u not a status",
			    r->status);
	ENUM(r, op, 1, DPU_ABI_FLOW_OP_MAX);
	RESV(r, reserved);
	return 0;
}

static int ck_flow_flush_req(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_flow_flush_req *r = b;

	(void)len;
	if (r->group != DPU_ABI_GROUP_ALL)
		RANGE(r, group, 0, DPU_ABI_GROUP_MAX);
	RESV(r, reserved);
	return 0;
}

static int ck_flow_flush_resp(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_flow_flush_resp *r = b;

	(void)len;
	RESV(r, reserved);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Firewall                                                            */
/* ------------------------------------------------------------------ */

static int ck_acl_batch_req(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_acl_batch_req *r = b;

	(void)len;
	RANGE(r, n_rules, 1, UINT32_MAX);
	RESV(r, reserved);
	return 0;
}

static int ck_acl_rule(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_acl_rule *r = e;

	ENUM(r, op, 1, DPU_ABI_ACL_OP_MAX);
	ENUM(r, verdict, 0, DPU_ABI_ACL_VERDICT_MAX);
	if (r->verdict != DPU_ABI_ACL_PERMIT_TRACK && r->zone)
		return FAIL(CONFLICT, &r->zone, "zone",
			    "%u without PERMIT_TRACK", r->zone);
	if (r->ip_version != 0 && r->ip_version != 4 && r->ip_version != 6)
		return FAIL(ENUM, &r->ip_version, "ip_version",
			    "%u not 0, 4 or 6", r->ip_version);
	if (r->proto_mask != 0 && r->proto_mask != 0xff)
		return FAIL(RANGE, &r->proto_mask, "proto_mask",
			    "0x%02x not 0 or 0xff", r->proto_mask);
	if (r->proto & ~r->proto_mask)
		return FAIL(MASK, &r->proto, "proto", "%u with proto_mask 0",
			    r->proto);
	RESV(r, reserved);
	CALL(ck_prefix(c, r->src, &r->src_plen, r->ip_version,
		       "src", "src_plen"));
	CALL(ck_prefix(c, r->dst, &r->dst_plen, r->ip_version,
		       "dst", "dst_plen"));
	CALL(ck_range16(c, &r->sport_lo, &r->sport_hi, "sport_lo"));
	CALL(ck_range16(c, &r->dport_lo, &r->dport_hi, "dport_lo"));
	return 0;
}

static int ck_acl_batch_resp(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_acl_batch_resp *r = b;
	const struct dpu_abi_acl_result *res = (const void *)(r + 1);
	uint32_t i, failed = 0;

	(void)len;
	for (i = 0; i < r->n_results; i++)
		failed += res[i].status != 0;
	if (r->n_failed != failed)
		return FAIL(CONFLICT, &r->n_failed, "n_failed",
			    "%u but %u results failed", r->n_failed, failed);
	return 0;
}

static int ck_acl_result(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_acl_result *r = e;

	if (!dpu_abi_status_known(r->status))
		return FAIL(ENUM, &r->status, "status", "%u not a status",
			    r->status);
	RESV(r, reserved);
	return 0;
}

static int ck_ct_zone_entry(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_ct_zone *z = e;
	unsigned i;

	RESV(z, reserved);
	for (i = 0; i < DPU_ABI_CTT_MAX; i++)
		if (z->timeouts[i] > DPU_ABI_CT_TIMEOUT_MAX)
			return FAIL(RANGE, &z->timeouts[i], "timeouts",
				    "[%u] %u s > %u s", i, z->timeouts[i],
				    DPU_ABI_CT_TIMEOUT_MAX);
	return 0;
}

static int ck_ct_zone(struct dpu_abi_ck *c, const void *b, size_t len)
{
	(void)len;
	return ck_ct_zone_entry(c, b);
}

static int ck_ct_zone_del(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_ct_zone_ref *r = b;

	(void)len;
	FLAGS(r, flags, 0);
	RESV(r, reserved);
	return 0;
}

static int ck_ct_flush(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_ct_zone_ref *r = b;

	(void)len;
	FLAGS(r, flags, DPU_ABI_CT_ALL_ZONES);
	if ((r->flags & DPU_ABI_CT_ALL_ZONES) && r->zone)
		return FAIL(CONFLICT, &r->zone, "zone", "%u with ALL_ZONES",
			    r->zone);
	RESV(r, reserved);
	return 0;
}

static int ck_count_resp(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_count_resp *r = b;

	(void)len;
	RESV(r, reserved);
	return 0;
}

/* ------------------------------------------------------------------ */
/* IPsec                                                               */
/* ------------------------------------------------------------------ */

static int ck_sa(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_sa *s = b;
	unsigned klen;

	(void)len;
	RANGE(s, sa_id, 1, UINT32_MAX);
	if (!s->spi)
		return FAIL(RANGE, &s->spi, "spi", "0");
	ENUM(s, dir, 0, DPU_ABI_IPSEC_DIR_MAX);
	ENUM(s, mode, 0, DPU_ABI_IPSEC_MODE_MAX);
	if (s->ip_version != 4 && s->ip_version != 6)
		return FAIL(ENUM, &s->ip_version, "ip_version", "%u not 4 or 6",
			    s->ip_version);
	ENUM(s, alg, 1, DPU_ABI_IPSEC_ALG_MAX);
	FLAGS(s, flags, DPU_ABI_SAF_ALL);
	RESV(s, reserved);
	RANGE(s, replay_window, 0, DPU_ABI_REPLAY_WINDOW_MAX);
	klen = s->alg == DPU_ABI_IPSEC_AES_GCM_128 ? 16 : 32;
	if (!dpu_abi__zero(s->key + klen, sizeof(s->key) - klen))
		return FAIL(RANGE, s->key + klen, "key",
			    "longer than the %u bytes of the alg", klen);
	if (dpu_abi__zero(s->key, klen))
		return FAIL(RANGE, s->key, "key", "all zero");
	CALL(ck_addr(c, s->src, s->ip_version, "src"));
	CALL(ck_addr(c, s->dst, s->ip_version, "dst"));
	if (!(s->flags & DPU_ABI_SAF_UDP_ENCAP) &&
	    (s->encap_sport || s->encap_dport))
		return FAIL(CONFLICT, &s->encap_sport, "encap_sport",
			    "encap ports without UDP_ENCAP");
	if ((s->flags & DPU_ABI_SAF_UDP_ENCAP) && !s->encap_dport)
		return FAIL(RANGE, &s->encap_dport, "encap_dport",
			    "0 with UDP_ENCAP");
	RESV(s, reserved2);
	if (s->soft_bytes && s->hard_bytes && s->soft_bytes > s->hard_bytes)
		return FAIL(RANGE, &s->soft_bytes, "soft_bytes",
			    "%llu > hard_bytes %llu",
			    (unsigned long long)s->soft_bytes,
			    (unsigned long long)s->hard_bytes);
	if (s->soft_packets && s->hard_packets &&
	    s->soft_packets > s->hard_packets)
		return FAIL(RANGE, &s->soft_packets, "soft_packets",
			    "%llu > hard_packets %llu",
			    (unsigned long long)s->soft_packets,
			    (unsigned long long)s->hard_packets);
	return 0;
}

static int ck_id_ref(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_id_ref *r = b;

	(void)len;
	RANGE(r, id, 1, UINT32_MAX);
	RESV(r, reserved);
	return 0;
}

static int ck_sa_stats(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_sa_stats *s = b;

	(void)len;
	RESV(s, reserved);
	RANGE(s, soft_expired, 0, 1);
	RANGE(s, hard_expired, 0, 1);
	return 0;
}

static int ck_sp(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_sp *s = b;

	(void)len;
	ENUM(s, dir, 0, DPU_ABI_IPSEC_DIR_MAX);
	ENUM(s, action, 0, DPU_ABI_SP_ACTION_MAX);
	if (s->ip_version != 4 && s->ip_version != 6)
		return FAIL(ENUM, &s->ip_version, "ip_version", "%u not 4 or 6",
			    s->ip_version);
	RESV(s, reserved);
	if (s->action == DPU_ABI_SP_PROTECT && !s->sa_id)
		return FAIL(CONFLICT, &s->sa_id, "sa_id", "0 on PROTECT");
	if (s->action != DPU_ABI_SP_PROTECT && s->sa_id)
		return FAIL(CONFLICT, &s->sa_id, "sa_id",
			    "%u on BYPASS/DISCARD", s->sa_id);
	RESV(s, reserved2);
	CALL(ck_prefix(c, s->src, &s->src_plen, s->ip_version,
		       "src", "src_plen"));
	CALL(ck_prefix(c, s->dst, &s->dst_plen, s->ip_version,
		       "dst", "dst_plen"));
	CALL(ck_range16(c, &s->sport_lo, &s->sport_hi, "sport_lo"));
	CALL(ck_range16(c, &s->dport_lo, &s->dport_hi, "dport_lo"));
	return 0;
}

/* ------------------------------------------------------------------ */
/* NVMe-oF                                                             */
/* ------------------------------------------------------------------ */

static int ck_subsys_entry(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_nvmf_subsys *s = e;

	CALL(ck_nqn(c, s->nqn, "nqn"));
	STR(s, serial, false);
	STR(s, model, false);
	FLAGS(s, flags, DPU_ABI_NVMF_SUBSYS_FLAGS_ALL);
	RESV(s, reserved);
	RESV(s, reserved2);
	return 0;
}

static int ck_subsys_add(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_nvmf_subsys *s = b;

	(void)len;
	CALL(ck_subsys_entry(c, b));
	/* counts are filled in list responses only */
	RESV(s, n_namespaces);
	RESV(s, n_hosts);
	RESV(s, n_listeners);
	return 0;
}

static int ck_subsys_del(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_nvmf_subsys_ref *r = b;

	(void)len;
	CALL(ck_nqn(c, r->nqn, "nqn"));
	RESV(r, list);
	return 0;
}

static int ck_subsys_ref_list(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_nvmf_subsys_ref *r = b;

	(void)len;
	return ck_nqn(c, r->nqn, "nqn");
}

static int ck_ns_entry(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_nvmf_ns *n = e;

	CALL(ck_nqn(c, n->nqn, "nqn"));
	RANGE(n, nsid, 1, 0xfffffffeu);
	ENUM(n, backend, 0, DPU_ABI_NVMF_BDEV_MAX);
	RANGE(n, block_shift, 9, 12);
	RESV(n, reserved);
	if (n->backend != DPU_ABI_NVMF_BDEV_FILE &&
	    (n->size_bytes == 0 ||
	     n->size_bytes & ((1ull << n->block_shift) - 1)))
		return FAIL(RANGE, &n->size_bytes, "size_bytes",
			    "%llu not a non-zero multiple of %u",
			    (unsigned long long)n->size_bytes,
			    1u << n->block_shift);
	STR(n, path, false);
	if (n->backend == DPU_ABI_NVMF_BDEV_FILE && n->path[0] != '/')
		return FAIL(STRING, n->path, "path",
			    "FILE backend needs an absolute path");
	if (n->backend != DPU_ABI_NVMF_BDEV_FILE && n->path[0])
		return FAIL(CONFLICT, n->path, "path", "set on a %s backend",
			    n->backend == DPU_ABI_NVMF_BDEV_RAM ? "RAM" : "NULL");
	return 0;
}

static int ck_ns_add(struct dpu_abi_ck *c, const void *b, size_t len)
{
	(void)len;
	return ck_ns_entry(c, b);
}

static int ck_ns_ref(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_nvmf_ns_ref *r = b;

	(void)len;
	CALL(ck_nqn(c, r->nqn, "nqn"));
	RANGE(r, nsid, 1, 0xfffffffeu);
	RESV(r, reserved);
	return 0;
}

static int ck_host_entry(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_nvmf_host *h = e;

	CALL(ck_nqn(c, h->nqn, "nqn"));
	return ck_nqn(c, h->host_nqn, "host_nqn");
}

static int ck_host(struct dpu_abi_ck *c, const void *b, size_t len)
{
	(void)len;
	return ck_host_entry(c, b);
}

static int ck_listener_entry(struct dpu_abi_ck *c, const void *e)
{
	const struct dpu_abi_nvmf_listener *l = e;

	CALL(ck_nqn(c, l->nqn, "nqn"));
	ENUM(l, adrfam, DPU_ABI_NVMF_ADRFAM_IPV4, DPU_ABI_NVMF_ADRFAM_IPV6 + 1);
	RESV(l, reserved);
	RANGE(l, port, 1, 65535);
	RESV(l, reserved2);
	STR(l, traddr, true);
	return 0;
}

static int ck_listener(struct dpu_abi_ck *c, const void *b, size_t len)
{
	(void)len;
	return ck_listener_entry(c, b);
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

static int ck_evt_flow_aged(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_evt_flow_aged *e = b;

	(void)len;
	RANGE(e, count, 1, UINT32_MAX);
	RESV(e, reserved);
	return 0;
}

static int ck_evt_port_state(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_evt_port_state *e = b;

	(void)len;
	RANGE(e, oper_up, 0, 1);
	RANGE(e, admin_up, 0, 1);
	RESV(e, reserved);
	return 0;
}

static int ck_evt_sa_expiring(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_evt_sa_expiring *e = b;

	(void)len;
	ENUM(e, kind, 0, DPU_ABI_SA_EXPIRY_MAX);
	return 0;
}

static int ck_evt_error(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_evt_error *e = b;

	(void)len;
	ENUM(e, domain, 0, DPU_ABI_ERRD_MAX);
	if (!dpu_abi_status_known(e->status) || e->status == DPU_ABI_OK)
		return FAIL(ENUM, &e->status, "status", "%u not an error status",
			    e->status);
	RESV(e, reserved);
	STR(e, text, false);
	return 0;
}

static int ck_evt_card_reset(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_evt_card_reset *e = b;

	(void)len;
	ENUM(e, reason, 0, DPU_ABI_RESET_REASON_MAX);
	RESV(e, reserved);
	return 0;
}

static int ck_error_body(struct dpu_abi_ck *c, const void *b, size_t len)
{
	const struct dpu_abi_error_body *e = b;

	(void)len;
	if (e->offset >= c->peer->max_msg_len && c->peer->max_msg_len)
		return FAIL(RANGE, &e->offset, "offset", "%u past any message",
			    e->offset);
	RESV(e, reserved);
	STR(e, detail, false);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The opcode table                                                    */
/* ------------------------------------------------------------------ */

#define FIXED(nm, st, fn)                                                      \
	{ nm, sizeof(struct st), 0, false, NULL, NULL, fn, NULL }
#define EMPTY(nm) { nm, 0, 0, false, NULL, NULL, ck_none, NULL }
#define ARRAY(nm, head, cnt, hfn, en, est, efn)                                \
	{ nm, sizeof(struct head), sizeof(est), false, en, cnt, hfn, efn }
#define LIST(nm, est, efn)                                                     \
	ARRAY(nm, dpu_abi_list_resp, "count", ck_list_resp, "entries",         \
	      struct est, efn)
#define LIST_REQ(nm) FIXED(nm, dpu_abi_list_req, ck_none)

static const struct dpu_abi_op_desc ops_ctl[] = {
	{ DPU_ABI_OP_HELLO, 0, "hello",
	  FIXED("hello", dpu_abi_hello_req, ck_hello_req),
	  FIXED("hello_resp", dpu_abi_hello_resp, ck_hello_resp) },
	{ DPU_ABI_OP_KEEPALIVE, 0, "keepalive",
	  FIXED("keepalive", dpu_abi_keepalive_req, ck_none),
	  FIXED("keepalive_resp", dpu_abi_keepalive_resp, ck_keepalive_resp) },
	{ DPU_ABI_OP_CARD_RESET, 0, "card_reset",
	  FIXED("card_reset", dpu_abi_card_reset_req, ck_card_reset_req),
	  FIXED("card_reset_resp", dpu_abi_card_reset_resp,
		ck_card_reset_resp) },
};

static const struct dpu_abi_op_desc ops_port[] = {
	{ DPU_ABI_OP_PORT_LIST, DPU_ABI_OPD_LIST, "port_list",
	  LIST_REQ("port_list"),
	  LIST("port_list_resp", dpu_abi_port_info, ck_port_info) },
	{ DPU_ABI_OP_PORT_CONFIG, 0, "port_config",
	  FIXED("port_config", dpu_abi_port_config_req, ck_port_config_req),
	  EMPTY("port_config_resp") },
	{ DPU_ABI_OP_PORT_STATS, DPU_ABI_OPD_LIST, "port_stats",
	  ARRAY("port_stats", dpu_abi_port_stats_req, "count", ck_port_stats_req,
		"port_ids", uint32_t, NULL),
	  LIST("port_stats_resp", dpu_abi_port_stats, ck_port_stats) },
};

static const struct dpu_abi_op_desc ops_flow[] = {
	{ DPU_ABI_OP_FLOW_BATCH, DPU_ABI_OPD_BATCH, "flow_batch",
	  { "flow_batch", 0, 0, true, NULL, NULL, ck_flow_batch, NULL },
	  ARRAY("flow_batch_resp", dpu_abi_flow_batch_resp, "n_results",
		ck_flow_batch_resp, "results", struct dpu_abi_flow_result,
		ck_flow_result) },
	{ DPU_ABI_OP_FLOW_FLUSH, 0, "flow_flush",
	  FIXED("flow_flush", dpu_abi_flow_flush_req, ck_flow_flush_req),
	  FIXED("flow_flush_resp", dpu_abi_flow_flush_resp,
		ck_flow_flush_resp) },
	{ DPU_ABI_OP_FLOW_LIST, DPU_ABI_OPD_LIST, "flow_list",
	  LIST_REQ("flow_list"),
	  LIST("flow_list_resp", dpu_abi_flow_id, NULL) },
};

static const struct dpu_abi_op_desc ops_fw[] = {
	{ DPU_ABI_OP_ACL_BATCH, DPU_ABI_OPD_BATCH, "acl_batch",
	  ARRAY("acl_batch", dpu_abi_acl_batch_req, "n_rules", ck_acl_batch_req,
		"rules", struct dpu_abi_acl_rule, ck_acl_rule),
	  ARRAY("acl_batch_resp", dpu_abi_acl_batch_resp, "n_results",
		ck_acl_batch_resp, "results", struct dpu_abi_acl_result,
		ck_acl_result) },
	{ DPU_ABI_OP_CT_ZONE_SET, 0, "ct_zone_set",
	  FIXED("ct_zone_set", dpu_abi_ct_zone, ck_ct_zone),
	  EMPTY("ct_zone_set_resp") },
	{ DPU_ABI_OP_CT_ZONE_DEL, 0, "ct_zone_del",
	  FIXED("ct_zone_del", dpu_abi_ct_zone_ref, ck_ct_zone_del),
	  FIXED("ct_zone_del_resp", dpu_abi_count_resp, ck_count_resp) },
	{ DPU_ABI_OP_CT_ZONE_LIST, DPU_ABI_OPD_LIST, "ct_zone_list",
	  LIST_REQ("ct_zone_list"),
	  LIST("ct_zone_list_resp", dpu_abi_ct_zone, ck_ct_zone_entry) },
	{ DPU_ABI_OP_CT_FLUSH, 0, "ct_flush",
	  FIXED("ct_flush", dpu_abi_ct_zone_ref, ck_ct_flush),
	  FIXED("ct_flush_resp", dpu_abi_count_resp, ck_count_resp) },
};

static const struct dpu_abi_op_desc ops_ipsec[] = {
	{ DPU_ABI_OP_SA_ADD, 0, "sa_add", FIXED("sa_add", dpu_abi_sa, ck_sa),
	  EMPTY("sa_add_resp") },
	{ DPU_ABI_OP_SA_DEL, 0, "sa_del",
	  FIXED("sa_del", dpu_abi_id_ref, ck_id_ref), EMPTY("sa_del_resp") },
	{ DPU_ABI_OP_SA_QUERY, 0, "sa_query",
	  FIXED("sa_query", dpu_abi_id_ref, ck_id_ref),
	  FIXED("sa_query_resp", dpu_abi_sa_stats, ck_sa_stats) },
	{ DPU_ABI_OP_SP_ADD, 0, "sp_add", FIXED("sp_add", dpu_abi_sp, ck_sp),
	  EMPTY("sp_add_resp") },
	{ DPU_ABI_OP_SP_DEL, 0, "sp_del",
	  FIXED("sp_del", dpu_abi_id_ref, ck_id_ref), EMPTY("sp_del_resp") },
};

static const struct dpu_abi_op_desc ops_nvmf[] = {
	{ DPU_ABI_OP_NVMF_SUBSYS_ADD, 0, "nvmf_subsys_add",
	  FIXED("nvmf_subsys_add", dpu_abi_nvmf_subsys, ck_subsys_add),
	  EMPTY("nvmf_subsys_add_resp") },
	{ DPU_ABI_OP_NVMF_SUBSYS_DEL, 0, "nvmf_subsys_del",
	  FIXED("nvmf_subsys_del", dpu_abi_nvmf_subsys_ref, ck_subsys_del),
	  EMPTY("nvmf_subsys_del_resp") },
	{ DPU_ABI_OP_NVMF_SUBSYS_LIST, DPU_ABI_OPD_LIST, "nvmf_subsys_list",
	  LIST_REQ("nvmf_subsys_list"),
	  LIST("nvmf_subsys_list_resp", dpu_abi_nvmf_subsys, ck_subsys_entry) },
	{ DPU_ABI_OP_NVMF_NS_ADD, 0, "nvmf_ns_add",
	  FIXED("nvmf_ns_add", dpu_abi_nvmf_ns, ck_ns_add),
	  EMPTY("nvmf_ns_add_resp") },
	{ DPU_ABI_OP_NVMF_NS_DEL, 0, "nvmf_ns_del",
	  FIXED("nvmf_ns_del", dpu_abi_nvmf_ns_ref, ck_ns_ref),
	  EMPTY("nvmf_ns_del_resp") },
	{ DPU_ABI_OP_NVMF_NS_LIST, DPU_ABI_OPD_LIST, "nvmf_ns_list",
	  FIXED("nvmf_ns_list", dpu_abi_nvmf_subsys_ref, ck_subsys_ref_list),
	  LIST("nvmf_ns_list_resp", dpu_abi_nvmf_ns, ck_ns_entry) },
	{ DPU_ABI_OP_NVMF_HOST_ADD, 0, "nvmf_host_add",
	  FIXED("nvmf_host_add", dpu_abi_nvmf_host, ck_host),
	  EMPTY("nvmf_host_add_resp") },
	{ DPU_ABI_OP_NVMF_HOST_DEL, 0, "nvmf_host_del",
	  FIXED("nvmf_host_del", dpu_abi_nvmf_host, ck_host),
	  EMPTY("nvmf_host_del_resp") },
	{ DPU_ABI_OP_NVMF_HOST_LIST, DPU_ABI_OPD_LIST, "nvmf_host_list",
	  FIXED("nvmf_host_list", dpu_abi_nvmf_subsys_ref, ck_subsys_ref_list),
	  LIST("nvmf_host_list_resp", dpu_abi_nvmf_host, ck_host_entry) },
	{ DPU_ABI_OP_NVMF_LISTENER_ADD, 0, "nvmf_listener_add",
	  FIXED("nvmf_listener_add", dpu_abi_nvmf_listener, ck_listener),
	  EMPTY("nvmf_listener_add_resp") },
	{ DPU_ABI_OP_NVMF_LISTENER_DEL, 0, "nvmf_listener_del",
	  FIXED("nvmf_listener_del", dpu_abi_nvmf_listener, ck_listener),
	  EMPTY("nvmf_listener_del_resp") },
	{ DPU_ABI_OP_NVMF_LISTENER_LIST, DPU_ABI_OPD_LIST,
	  "nvmf_listener_list",
	  FIXED("nvmf_listener_list", dpu_abi_nvmf_subsys_ref,
		ck_subsys_ref_list),
	  LIST("nvmf_listener_list_resp", dpu_abi_nvmf_listener,
	       ck_listener_entry) },
};

static const struct dpu_abi_op_desc ops_evt[] = {
	{ DPU_ABI_OP_EVT_FLOW_AGED, DPU_ABI_OPD_EVENT, "evt_flow_aged",
	  ARRAY("evt_flow_aged", dpu_abi_evt_flow_aged, "count",
		ck_evt_flow_aged, "ids", struct dpu_abi_flow_id, NULL),
	  EMPTY(NULL) },
	{ DPU_ABI_OP_EVT_PORT_STATE, DPU_ABI_OPD_EVENT, "evt_port_state",
	  FIXED("evt_port_state", dpu_abi_evt_port_state, ck_evt_port_state),
	  EMPTY(NULL) },
	{ DPU_ABI_OP_EVT_SA_EXPIRING, DPU_ABI_OPD_EVENT, "evt_sa_expiring",
	  FIXED("evt_sa_expiring", dpu_abi_evt_sa_expiring,
		ck_evt_sa_expiring),
	  EMPTY(NULL) },
	{ DPU_ABI_OP_EVT_ERROR, DPU_ABI_OPD_EVENT, "evt_error",
	  FIXED("evt_error", dpu_abi_evt_error, ck_evt_error), EMPTY(NULL) },
	{ DPU_ABI_OP_EVT_CARD_RESET, DPU_ABI_OPD_EVENT, "evt_card_reset",
	  FIXED("evt_card_reset", dpu_abi_evt_card_reset, ck_evt_card_reset),
	  EMPTY(NULL) },
};

static const struct dpu_abi_body_desc error_body_desc =
	FIXED("error_body", dpu_abi_error_body, ck_error_body);

#define DOMAIN(d, t) [d] = { t, sizeof(t) / sizeof(t[0]) }
static const struct {
	const struct dpu_abi_op_desc *ops;
	uint8_t n;
} domains[16] = {
	DOMAIN(0x0, ops_ctl),  DOMAIN(0x1, ops_port),  DOMAIN(0x2, ops_flow),
	DOMAIN(0x3, ops_fw),   DOMAIN(0x4, ops_ipsec), DOMAIN(0x5, ops_nvmf),
	DOMAIN(0xf, ops_evt),
};

const struct dpu_abi_op_desc *dpu_abi__op_desc(uint16_t opcode)
{
	unsigned dom = opcode >> 8, idx = opcode & 0xff;
	unsigned base = dom == 0 ? 1 : 0; /* control opcodes start at 1 */

	if (dom >= 16 || idx < base || idx - base >= domains[dom].n)
		return NULL;
	return &domains[dom].ops[idx - base];
}

/* ------------------------------------------------------------------ */
/* Header and dispatch                                                 */
/* ------------------------------------------------------------------ */

static int ck_body(struct dpu_abi_ck *c, const struct dpu_abi_body_desc *d,
		   const uint8_t *b, size_t len)
{
	uint64_t need;
	uint32_t count, i;
	const uint8_t *e;

	c->root = d->name;
	if (d->var)
		return d->check(c, b, len);
	if (len < d->size)
		return FAIL(LENGTH, b, NULL, "body %zu bytes, needs %u", len,
			    d->size);
	if (!d->elem_size) {
		/* a newer sender (HELLO, before negotiation) may append */
		if (len != d->size && c->h->ver_minor <= c->peer->minor)
			return FAIL(LENGTH, b + d->size, NULL,
				    "body %zu bytes, expected %u", len,
				    d->size);
		return d->check(c, b, len);
	}
	memcpy(&count, b, sizeof(count));
	need = d->size + (uint64_t)count * d->elem_size;
	if (need > len)
		return FAIL(COUNT, b, d->count_name, "%u entries of %u bytes run "
			    "past the %zu-byte body", count, d->elem_size, len);
	if (len - need >= DPU_ABI_ALIGN)
		return FAIL(LENGTH, b + need, NULL,
			    "%zu bytes after %u entries", (size_t)(len - need),
			    count);
	if (!dpu_abi__zero(b + need, len - need))
		return FAIL(RESERVED, b + need, "pad", "not zero");
	CALL(d->check(c, b, len));
	if (!d->check_elem)
		return 0;
	c->arr = d->elem_name;
	for (i = 0, e = b + d->size; i < count; i++, e += d->elem_size) {
		c->idx = i;
		CALL(d->check_elem(c, e));
	}
	c->arr = NULL;
	return 0;
}

static bool is_proto_error(uint16_t st)
{
	return st >= DPU_ABI_E_TRUNCATED && st <= DPU_ABI_E_PROTO_LAST;
}

int dpu_abi_check(const void *buf, size_t len, const struct dpu_abi_peer *peer,
		  struct dpu_abi_error *err)
{
	static const struct dpu_abi_peer dflt = { DPU_ABI_ROLE_CARD,
						  DPU_ABI_VERSION_MINOR, 0 };
	const struct dpu_abi_hdr *h = buf;
	const struct dpu_abi_op_desc *d;
	struct dpu_abi_ck ck = { .msg = buf, .h = h, .err = err, .root = "hdr" };
	struct dpu_abi_ck *c = &ck;
	const struct dpu_abi_body_desc *bd;
	uint32_t max;
	uint16_t st;
	bool resp, evt;

	if (!peer)
		peer = &dflt;
	ck.peer = peer;
	max = peer->max_msg_len && peer->max_msg_len < DPU_ABI_MSG_MAX ?
		      peer->max_msg_len : DPU_ABI_MSG_MAX;
	if (DPU_ABI_UNLIKELY(!buf || len < sizeof(*h)))
		return FAIL(TRUNCATED, NULL, NULL,
			    "%zu bytes, a header needs %zu", len, sizeof(*h));
	if (DPU_ABI_UNLIKELY((uintptr_t)buf % DPU_ABI_ALIGN))
		return FAIL(ALIGN, NULL, NULL,
			    "buffer not %u-byte aligned", DPU_ABI_ALIGN);
	if (DPU_ABI_UNLIKELY(h->magic != DPU_ABI_MAGIC))
		return FAIL(MAGIC, &h->magic, "magic", "0x%08x", h->magic);
	if (DPU_ABI_UNLIKELY(h->ver_major != DPU_ABI_VERSION_MAJOR))
		return FAIL(VERSION, &h->ver_major, "ver_major",
			    "%u, we speak %u", h->ver_major,
			    DPU_ABI_VERSION_MAJOR);
	if (DPU_ABI_UNLIKELY(h->length > len))
		return FAIL(TRUNCATED, &h->length, "length",
			    "%u but only %zu bytes arrived", h->length, len);
	if (DPU_ABI_UNLIKELY(h->length != len || h->length < sizeof(*h)))
		return FAIL(LENGTH, &h->length, "length",
			    "%u but the frame is %zu bytes", h->length, len);
	if (DPU_ABI_UNLIKELY(h->length % DPU_ABI_ALIGN))
		return FAIL(ALIGN, &h->length, "length",
			    "%u not a multiple of %u", h->length, DPU_ABI_ALIGN);
	if (DPU_ABI_UNLIKELY(h->length > max))
		return FAIL(TOO_BIG, &h->length, "length", "%u > maximum %u",
			    h->length, max);
	if (DPU_ABI_UNLIKELY(h->reserved))
		return FAIL(RESERVED, &h->reserved, "reserved", "0x%x",
			    h->reserved);
	if (DPU_ABI_UNLIKELY(h->flags & ~DPU_ABI_F_ALL))
		return FAIL(FLAGS, &h->flags, "flags", "undefined bits 0x%x",
			    h->flags & ~DPU_ABI_F_ALL);
	resp = h->flags & DPU_ABI_F_RESPONSE;
	evt = h->flags & DPU_ABI_F_EVENT;
	if (DPU_ABI_UNLIKELY(resp && evt))
		return FAIL(FLAGS, &h->flags, "flags", "RESPONSE and EVENT");
	if (DPU_ABI_UNLIKELY((h->flags & DPU_ABI_F_MORE) && !resp))
		return FAIL(FLAGS, &h->flags, "flags",
			    "MORE on a request or event");
	d = dpu_abi__op_desc(h->opcode);
	st = h->status;

	/* A refused request is answered with its own opcode echoed, which
	 * may be one we do not know (or 0 when its header was unreadable):
	 * accept any opcode on a failure carrying no opcode-specific body. */
	if (peer->role == DPU_ABI_ROLE_HOST && resp && st &&
	    (is_proto_error(st) || !d)) {
		if (h->flags & DPU_ABI_F_MORE)
			return FAIL(FLAGS, &h->flags, "flags",
				    "MORE on an error response");
		if (is_proto_error(st))
			goto error_body;
		if (!dpu_abi_status_known(st))
			return FAIL(ENUM, &h->status, "status",
				    "%u not a status", st);
		if (h->length != sizeof(*h))
			return FAIL(LENGTH, h + 1, NULL,
				    "%s failure with a %u-byte body",
				    dpu_abi_status_name(st),
				    h->length - (unsigned)sizeof(*h));
		return 0;
	}
	if (DPU_ABI_UNLIKELY(!d))
		return FAIL(OPCODE, &h->opcode, "opcode", "0x%04x unknown",
			    h->opcode);
	if (DPU_ABI_UNLIKELY(h->ver_minor > peer->minor &&
			     h->opcode != DPU_ABI_OP_HELLO))
		return FAIL(VERSION, &h->ver_minor, "ver_minor",
			    "%u above the negotiated %u", h->ver_minor,
			    peer->minor);
	if (peer->role == DPU_ABI_ROLE_CARD) {
		if (DPU_ABI_UNLIKELY(resp || evt || (d->flags & DPU_ABI_OPD_EVENT)))
			return FAIL(OPCODE, &h->opcode, "opcode",
				    "%s %s sent to the card", d->name,
				    resp ? "response" : "event");
		if (DPU_ABI_UNLIKELY(st))
			return FAIL(STATUS, &h->status, "status",
				    "%u on a request", st);
		return ck_body(c, &d->req, (const uint8_t *)(h + 1),
			       h->length - sizeof(*h));
	}
	if (evt != !!(d->flags & DPU_ABI_OPD_EVENT) || (!resp && !evt))
		return FAIL(OPCODE, &h->opcode, "opcode",
			    "%s with flags 0x%x sent to the host", d->name,
			    h->flags);
	if (evt) {
		if (st)
			return FAIL(STATUS, &h->status, "status",
				    "%u on an event", st);
		return ck_body(c, &d->req, (const uint8_t *)(h + 1),
			       h->length - sizeof(*h));
	}
	if ((h->flags & DPU_ABI_F_MORE) && !(d->flags & DPU_ABI_OPD_LIST))
		return FAIL(FLAGS, &h->flags, "flags",
			    "MORE on a %s response", d->name);
	if (st == DPU_ABI_OK)
		return ck_body(c, &d->resp, (const uint8_t *)(h + 1),
			       h->length - sizeof(*h));
	if (!dpu_abi_status_known(st))
		return FAIL(ENUM, &h->status, "status", "%u not a status", st);
	if (h->flags & DPU_ABI_F_MORE)
		return FAIL(FLAGS, &h->flags, "flags", "MORE on a failure");
	if (st == DPU_ABI_E_PARTIAL && !(d->flags & DPU_ABI_OPD_BATCH))
		return FAIL(STATUS, &h->status, "status",
			    "E_PARTIAL on a %s response", d->name);
	/* Semantic failure: no body, or (batches) the per-op results. */
	if (h->length == sizeof(*h) && st != DPU_ABI_E_PARTIAL)
		return 0;
	if (d->flags & DPU_ABI_OPD_BATCH)
		return ck_body(c, &d->resp, (const uint8_t *)(h + 1),
			       h->length - sizeof(*h));
	c->root = d->resp.name;
	return FAIL(LENGTH, h + 1, NULL, "%s failure with a %u-byte body",
		    dpu_abi_status_name(st), h->length - (unsigned)sizeof(*h));

error_body:
	bd = &error_body_desc;
	return ck_body(c, bd, (const uint8_t *)(h + 1), h->length - sizeof(*h));
}

/* ------------------------------------------------------------------ */
/* Iterators over checked messages                                     */
/* ------------------------------------------------------------------ */

const struct dpu_abi_flow_op *
dpu_abi_flow_batch_first(const struct dpu_abi_hdr *h)
{
	const struct dpu_abi_flow_batch_req *r = dpu_abi_body(h);

	return r->n_ops ? (const struct dpu_abi_flow_op *)(r + 1) : NULL;
}

const struct dpu_abi_action_hdr *
dpu_abi_flow_op_first_action(const struct dpu_abi_flow_op *op)
{
	const struct dpu_abi_item_hdr *it = dpu_abi_flow_op_first_item(op);
	unsigned i;

	for (i = 0; i < op->n_items; i++)
		it = dpu_abi_item_next(it);
	return (const struct dpu_abi_action_hdr *)it;
}
