// SPDX-License-Identifier: BSD-3-Clause
/*
 * Rule text: the pattern. Items are described by tables of fields (where
 * a field sits in the ABI item, how wide, which byte order) so that every
 * item parses the same "FIELD is|spec|mask|prefix VALUE" way testpmd does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

enum fkind {
	F_BE,    /* network-order integer of size bytes, bits [shift, shift+width) */
	F_HE,    /* host-order integer */
	F_MAC,
	F_IP4,
	F_IP6,
	F_BYTES, /* hex bytes (Geneve option data, ct label) */
	F_CT_STATE,
};

struct field {
	const char *name;
	uint16_t off;
	uint8_t size;
	uint8_t kind;  /* enum fkind */
	uint8_t shift;
	uint8_t width; /* 0: size * 8 */
};

struct item_desc {
	const char *name;
	uint8_t type; /* enum dpu_abi_item_type */
	const struct field *fields;
};

#define FLD(st, f, k) { #f, offsetof(st, f), sizeof(((st *)0)->f), k, 0, 0 }
#define FLDN(n, st, f, k) { n, offsetof(st, f), sizeof(((st *)0)->f), k, 0, 0 }
#define BITS(n, st, f, sh, w) { n, offsetof(st, f), sizeof(((st *)0)->f), F_BE, sh, w }

static const struct field eth_fields[] = {
	FLD(struct dpu_abi_item_eth, dst, F_MAC),
	FLD(struct dpu_abi_item_eth, src, F_MAC),
	FLDN("type", struct dpu_abi_item_eth, ether_type, F_BE),
	{ 0 },
};
static const struct field vlan_fields[] = {
	BITS("vid", struct dpu_abi_item_vlan, tci, 0, 12),
	BITS("dei", struct dpu_abi_item_vlan, tci, 12, 1),
	BITS("pcp", struct dpu_abi_item_vlan, tci, 13, 3),
	BITS("tci", struct dpu_abi_item_vlan, tci, 0, 16),
	FLD(struct dpu_abi_item_vlan, tpid, F_BE),
	{ 0 },
};
static const struct field ipv4_fields[] = {
	FLD(struct dpu_abi_item_ipv4, src, F_IP4),
	FLD(struct dpu_abi_item_ipv4, dst, F_IP4),
	FLD(struct dpu_abi_item_ipv4, proto, F_BE),
	FLD(struct dpu_abi_item_ipv4, tos, F_BE),
	FLD(struct dpu_abi_item_ipv4, ttl, F_BE),
	BITS("frag", struct dpu_abi_item_ipv4, ip_flags, 0, 1),
	BITS("first_frag", struct dpu_abi_item_ipv4, ip_flags, 1, 1),
	{ 0 },
};
static const struct field ipv6_fields[] = {
	FLD(struct dpu_abi_item_ipv6, src, F_IP6),
	FLD(struct dpu_abi_item_ipv6, dst, F_IP6),
	FLD(struct dpu_abi_item_ipv6, proto, F_BE),
	FLDN("tc", struct dpu_abi_item_ipv6, tclass, F_BE),
	FLDN("hop", struct dpu_abi_item_ipv6, hop_limit, F_BE),
	BITS("flow", struct dpu_abi_item_ipv6, flow_label, 0, 20),
	BITS("frag", struct dpu_abi_item_ipv6, ip_flags, 0, 1),
	BITS("first_frag", struct dpu_abi_item_ipv6, ip_flags, 1, 1),
	{ 0 },
};
static const struct field tcp_fields[] = {
	FLDN("src", struct dpu_abi_item_tcp, src_port, F_BE),
	FLDN("dst", struct dpu_abi_item_tcp, dst_port, F_BE),
	BITS("flags", struct dpu_abi_item_tcp, flags, 0, 12),
	{ 0 },
};
static const struct field l4_fields[] = {
	FLDN("src", struct dpu_abi_item_l4, src_port, F_BE),
	FLDN("dst", struct dpu_abi_item_l4, dst_port, F_BE),
	{ 0 },
};
static const struct field icmp_fields[] = {
	FLD(struct dpu_abi_item_icmp, type, F_BE),
	FLD(struct dpu_abi_item_icmp, code, F_BE),
	{ 0 },
};
static const struct field arp_fields[] = {
	FLDN("opcode", struct dpu_abi_item_arp, op, F_BE),
	FLD(struct dpu_abi_item_arp, sha, F_MAC),
	FLD(struct dpu_abi_item_arp, tha, F_MAC),
	FLD(struct dpu_abi_item_arp, spa, F_IP4),
	FLD(struct dpu_abi_item_arp, tpa, F_IP4),
	{ 0 },
};
static const struct field tunnel_fields[] = {
	BITS("vni", struct dpu_abi_item_tunnel, vni, 0, 24),
	{ 0 },
};
static const struct field geneve_opt_fields[] = {
	FLDN("class", struct dpu_abi_item_geneve_opt, opt_class, F_BE),
	FLDN("type", struct dpu_abi_item_geneve_opt, opt_type, F_BE),
	FLD(struct dpu_abi_item_geneve_opt, data, F_BYTES),
	{ 0 },
};
static const struct field meta_fields[] = {
	FLD(struct dpu_abi_item_meta, data, F_HE),
	{ 0 },
};
static const struct field tag_fields[] = {
	FLD(struct dpu_abi_item_tag, data, F_HE),
	FLD(struct dpu_abi_item_tag, index, F_HE),
	{ 0 },
};
static const struct field mark_fields[] = {
	FLD(struct dpu_abi_item_mark, id, F_HE),
	{ 0 },
};
static const struct field ct_fields[] = {
	FLD(struct dpu_abi_item_ct, state, F_CT_STATE),
	FLD(struct dpu_abi_item_ct, zone, F_HE),
	FLD(struct dpu_abi_item_ct, mark, F_HE),
	FLD(struct dpu_abi_item_ct, label, F_BYTES),
	{ 0 },
};

static const struct item_desc items[] = {
	{ "eth", DPU_ABI_ITEM_ETH, eth_fields },
	{ "vlan", DPU_ABI_ITEM_VLAN, vlan_fields },
	{ "ipv4", DPU_ABI_ITEM_IPV4, ipv4_fields },
	{ "ipv6", DPU_ABI_ITEM_IPV6, ipv6_fields },
	{ "tcp", DPU_ABI_ITEM_TCP, tcp_fields },
	{ "udp", DPU_ABI_ITEM_UDP, l4_fields },
	{ "sctp", DPU_ABI_ITEM_SCTP, l4_fields },
	{ "icmp", DPU_ABI_ITEM_ICMP, icmp_fields },
	{ "icmp6", DPU_ABI_ITEM_ICMP6, icmp_fields },
	{ "arp_eth_ipv4", DPU_ABI_ITEM_ARP, arp_fields },
	{ "arp", DPU_ABI_ITEM_ARP, arp_fields },
	{ "vxlan", DPU_ABI_ITEM_TUNNEL, tunnel_fields },
	{ "geneve", DPU_ABI_ITEM_TUNNEL, tunnel_fields },
	{ "geneve_opt", DPU_ABI_ITEM_GENEVE_OPT, geneve_opt_fields },
	{ "meta", DPU_ABI_ITEM_META, meta_fields },
	{ "tag", DPU_ABI_ITEM_TAG, tag_fields },
	{ "mark", DPU_ABI_ITEM_MARK, mark_fields },
	{ "conntrack", DPU_ABI_ITEM_CT, ct_fields },
	{ "ct", DPU_ABI_ITEM_CT, ct_fields },
};

static uint64_t get_int(const uint8_t *p, size_t n, bool be)
{
	uint64_t x = 0;

	for (size_t i = 0; i < n; i++)
		x |= (uint64_t)p[be ? i : n - 1 - i] << (8 * (be ? n - 1 - i : i));
	return x;
}

static void put_int(uint8_t *p, size_t n, bool be, uint64_t x)
{
	for (size_t i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(x >> (8 * i));
}

/* Replace bits [shift, shift+width) of the integer at p with v. */
static void put_bits(uint8_t *p, const struct field *f, uint64_t v)
{
	bool be = f->kind == F_BE;
	unsigned int w = f->width ? f->width : f->size * 8u;
	uint64_t m = (w == 64 ? ~0ull : (1ull << w) - 1) << f->shift;
	uint64_t x = get_int(p, f->size, be);

	put_int(p, f->size, be, (x & ~m) | ((v << f->shift) & m));
}

static void prefix_mask(uint8_t *m, size_t n, int plen)
{
	memset(m, 0, n);
	for (int i = 0; i < plen; i++)
		m[i / 8] |= (uint8_t)(0x80u >> (i % 8));
}

static int ct_state(struct text *t, uint16_t *s, uint16_t *m)
{
	static const char *const names[] = { "new", "est", "rel", "trk", "inv", "rpl" };
	const char *w = text_peek(t), *p;
	uint64_t v;

	if (w && (*w == '+' || *w == '-')) {
		for (p = w; *p;) {
			bool set = *p == '+';
			size_t i, n;

			if (*p != '+' && *p != '-')
				return text_err(t, "state: flags look like +trk+est-new");
			p++;
			for (i = 0; i < 6; i++) {
				n = strlen(names[i]);
				if (!strncmp(p, names[i], n) && (p[n] == 0 || p[n] == '+' || p[n] == '-'))
					break;
			}
			if (i == 6)
				return text_err(t, "state: unknown flag (new est rel trk inv rpl)");
			*m |= (uint16_t)(1u << i);
			if (set)
				*s |= (uint16_t)(1u << i);
			else
				*s &= (uint16_t)~(1u << i);
			p += n;
		}
		t->pos++;
		return 0;
	}
	if (text_u64(t, "state", DPU_ABI_CT_STATE_ALL, &v))
		return t->res->err;
	*s = (uint16_t)v;
	*m = DPU_ABI_CT_STATE_ALL;
	return 0;
}

/* One "FIELD OP VALUE" of an item. */
static int field_op(struct text *t, const struct item_desc *d, uint8_t *spec,
		    uint8_t *mask, uint8_t *mask_set)
{
	const struct field *f;
	const char *name = text_peek(t), *op;
	uint8_t *s, *m, ver, buf[32];
	size_t n;
	int plen;

	for (f = d->fields; f->name; f++)
		if (!strcmp(f->name, name))
			break;
	if (!f->name) {
		char list[96] = "";

		for (f = d->fields; f->name; f++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), " %s", f->name);
		return text_err(t, "'%s' has no such field (it has:%s)", d->name, list);
	}
	t->pos++;
	s = spec + f->off;
	m = mask + f->off;
	op = text_next(t);
	if (!op || (strcmp(op, "is") && strcmp(op, "spec") && strcmp(op, "mask") &&
		    strcmp(op, "prefix"))) {
		if (op)
			t->pos--;
		return text_err(t, "%s %s: expected 'is', 'spec', 'mask' or 'prefix'",
				d->name, f->name);
	}
	bool is_mask = !strcmp(op, "mask"), is = !strcmp(op, "is");

	switch (f->kind) {
	case F_BE:
	case F_HE: {
		unsigned int w = f->width ? f->width : f->size * 8u;
		uint64_t v, full = w == 64 ? ~0ull : (1ull << w) - 1;

		if (!strcmp(op, "prefix"))
			return text_err(t, "%s %s: 'prefix' is for addresses", d->name, f->name);
		if (text_u64(t, f->name, full, &v))
			return t->res->err;
		if (is_mask) {
			put_bits(m, f, v);
			mask_set[f - d->fields] = 1;
		} else {
			put_bits(s, f, v);
			if (is || !mask_set[f - d->fields])
				put_bits(m, f, full);
		}
		return 0;
	}
	case F_MAC:
		if (!strcmp(op, "prefix"))
			return text_err(t, "%s %s: 'prefix' is for IP addresses", d->name, f->name);
		if (text_mac(t, f->name, is_mask ? m : s))
			return t->res->err;
		if (is_mask)
			mask_set[f - d->fields] = 1;
		else if (is || !mask_set[f - d->fields])
			memset(m, 0xff, 6);
		return 0;
	case F_IP4:
	case F_IP6: {
		uint8_t addr[16];

		if (!strcmp(op, "prefix")) {
			uint64_t v;

			if (text_u64(t, "prefix", f->size * 8u, &v))
				return t->res->err;
			prefix_mask(m, f->size, (int)v);
			mask_set[f - d->fields] = 1;
			return 0;
		}
		if (text_ip(t, f->name, addr, &ver, &plen))
			return t->res->err;
		if (ver != (f->kind == F_IP4 ? 4 : 6)) {
			t->pos--;
			return text_err(t, "%s %s needs an IPv%d address", d->name, f->name,
					f->kind == F_IP4 ? 4 : 6);
		}
		if (is_mask) {
			memcpy(m, addr, f->size);
			mask_set[f - d->fields] = 1;
			return 0;
		}
		memcpy(s, addr, f->size);
		if (plen >= 0)
			prefix_mask(m, f->size, plen);
		else if (is || !mask_set[f - d->fields])
			memset(m, 0xff, f->size);
		return 0;
	}
	case F_BYTES:
		if (!strcmp(op, "prefix"))
			return text_err(t, "%s %s: 'prefix' is for addresses", d->name, f->name);
		memset(buf, 0, sizeof(buf));
		if (text_hex(t, f->name, buf, f->size, &n))
			return t->res->err;
		memcpy(is_mask ? m : s, buf, f->size);
		if (is_mask)
			mask_set[f - d->fields] = 1;
		else if (is || !mask_set[f - d->fields])
			memset(m, 0xff, n);
		return 0;
	case F_CT_STATE: {
		uint16_t sv, mv;

		memcpy(&sv, s, 2);
		memcpy(&mv, m, 2);
		if (is_mask) {
			uint64_t v;

			if (text_u64(t, "state mask", DPU_ABI_CT_STATE_ALL, &v))
				return t->res->err;
			mv = (uint16_t)v;
		} else if (ct_state(t, &sv, &mv)) {
			return t->res->err;
		}
		memcpy(s, &sv, 2);
		memcpy(m, &mv, 2);
		return 0;
	}
	}
	return text_err(t, "internal: field kind %u", f->kind);
}

/* The items before a vxlan/geneve item are the outer headers: fold them
 * into the TUNNEL item (the ABI matches outer IP/UDP there, inner
 * headers in the ordinary items). */
static int fold_outer(struct text *t, uint8_t tun_type)
{
	struct dpu_rules_match *m = &t->out->match;
	struct dpu_abi_item_tunnel *tu = &m->tunnel, *tm = &m->tunnel_mask;
	static const uint8_t zero[sizeof(m->eth_mask)];

	if (dpu_rules_has_item(m, DPU_ABI_ITEM_TUNNEL))
		return text_err(t, "one tunnel per rule");
	if (dpu_rules_has_item(m, DPU_ABI_ITEM_ETH) && memcmp(&m->eth_mask, zero, sizeof(zero)))
		return text_err(t, "the outer 'eth' of a tunnel cannot be matched: leave it empty");
	if (m->items & (1u << DPU_ABI_ITEM_VLAN | 1u << DPU_ABI_ITEM_TCP |
			1u << DPU_ABI_ITEM_SCTP | 1u << DPU_ABI_ITEM_ICMP |
			1u << DPU_ABI_ITEM_ICMP6 | 1u << DPU_ABI_ITEM_ARP))
		return text_err(t, "a tunnel's outer headers are eth / ipv4|ipv6 / udp only");
	if (dpu_rules_has_item(m, DPU_ABI_ITEM_IPV4)) {
		if (m->ipv4_mask.ip_flags || (m->ipv4_mask.proto && m->ipv4.proto != 17))
			return text_err(t, "outer ipv4: only src, dst, tos, ttl (and proto 17) can be matched");
		tu->ip_version = 4;
		memcpy(tu->src, m->ipv4.src, 4);
		memcpy(tm->src, m->ipv4_mask.src, 4);
		memcpy(tu->dst, m->ipv4.dst, 4);
		memcpy(tm->dst, m->ipv4_mask.dst, 4);
		tu->tos = m->ipv4.tos;
		tm->tos = m->ipv4_mask.tos;
		tu->ttl = m->ipv4.ttl;
		tm->ttl = m->ipv4_mask.ttl;
	} else if (dpu_rules_has_item(m, DPU_ABI_ITEM_IPV6)) {
		if (m->ipv6_mask.ip_flags || m->ipv6_mask.flow_label ||
		    (m->ipv6_mask.proto && m->ipv6.proto != 17))
			return text_err(t, "outer ipv6: only src, dst, tc, hop (and proto 17) can be matched");
		tu->ip_version = 6;
		memcpy(tu->src, m->ipv6.src, 16);
		memcpy(tm->src, m->ipv6_mask.src, 16);
		memcpy(tu->dst, m->ipv6.dst, 16);
		memcpy(tm->dst, m->ipv6_mask.dst, 16);
		tu->tos = m->ipv6.tclass;
		tm->tos = m->ipv6_mask.tclass;
		tu->ttl = m->ipv6.hop_limit;
		tm->ttl = m->ipv6_mask.hop_limit;
	} else {
		return text_err(t, "a tunnel needs its outer 'ipv4' or 'ipv6' item before it (it may be empty)");
	}
	if (dpu_rules_has_item(m, DPU_ABI_ITEM_UDP)) {
		tu->src_port = m->udp.src_port;
		tm->src_port = m->udp_mask.src_port;
		tu->dst_port = m->udp.dst_port;
		tm->dst_port = m->udp_mask.dst_port;
	}
	tu->type = tun_type;
	tm->type = 0xff;
	tm->ip_version = 0xff;
	m->items &= ~(1u << DPU_ABI_ITEM_ETH | 1u << DPU_ABI_ITEM_IPV4 |
		      1u << DPU_ABI_ITEM_IPV6 | 1u << DPU_ABI_ITEM_UDP);
	memset(&m->eth, 0, sizeof(m->eth));
	memset(&m->eth_mask, 0, sizeof(m->eth_mask));
	memset(&m->ipv4, 0, sizeof(m->ipv4));
	memset(&m->ipv4_mask, 0, sizeof(m->ipv4_mask));
	memset(&m->ipv6, 0, sizeof(m->ipv6));
	memset(&m->ipv6_mask, 0, sizeof(m->ipv6_mask));
	memset(&m->udp, 0, sizeof(m->udp));
	memset(&m->udp_mask, 0, sizeof(m->udp_mask));
	return 0;
}

/* Clear spec bits the mask does not cover (the ABI rejects them). */
static void apply_mask(uint8_t *spec, const uint8_t *mask, size_t n)
{
	for (size_t i = 0; i < n; i++)
		spec[i] &= mask[i];
}

static size_t item_size(unsigned int type)
{
	static const uint8_t sz[DPU_ABI_ITEM_TYPE_MAX] = {
		[DPU_ABI_ITEM_PORT] = sizeof(struct dpu_abi_item_port),
		[DPU_ABI_ITEM_META] = sizeof(struct dpu_abi_item_meta),
		[DPU_ABI_ITEM_TAG] = sizeof(struct dpu_abi_item_tag),
		[DPU_ABI_ITEM_MARK] = sizeof(struct dpu_abi_item_mark),
		[DPU_ABI_ITEM_TUNNEL] = sizeof(struct dpu_abi_item_tunnel),
		[DPU_ABI_ITEM_GENEVE_OPT] = sizeof(struct dpu_abi_item_geneve_opt),
		[DPU_ABI_ITEM_ETH] = sizeof(struct dpu_abi_item_eth),
		[DPU_ABI_ITEM_VLAN] = sizeof(struct dpu_abi_item_vlan),
		[DPU_ABI_ITEM_VLAN_INNER] = sizeof(struct dpu_abi_item_vlan),
		[DPU_ABI_ITEM_ARP] = sizeof(struct dpu_abi_item_arp),
		[DPU_ABI_ITEM_IPV4] = sizeof(struct dpu_abi_item_ipv4),
		[DPU_ABI_ITEM_IPV6] = sizeof(struct dpu_abi_item_ipv6),
		[DPU_ABI_ITEM_TCP] = sizeof(struct dpu_abi_item_tcp),
		[DPU_ABI_ITEM_UDP] = sizeof(struct dpu_abi_item_l4),
		[DPU_ABI_ITEM_SCTP] = sizeof(struct dpu_abi_item_l4),
		[DPU_ABI_ITEM_ICMP] = sizeof(struct dpu_abi_item_icmp),
		[DPU_ABI_ITEM_ICMP6] = sizeof(struct dpu_abi_item_icmp),
		[DPU_ABI_ITEM_CT] = sizeof(struct dpu_abi_item_ct),
	};
	return type < DPU_ABI_ITEM_TYPE_MAX ? sz[type] : 0;
}

static int port_item(struct text *t)
{
	struct dpu_rules_match *m = &t->out->match;
	uint32_t id;

	/* testpmd spellings: "port_id id N", "represented_port ethdev_port_id N". */
	if (!text_accept(t, "id"))
		text_accept(t, "ethdev_port_id");
	if (dpu_rules_has_item(m, DPU_ABI_ITEM_PORT))
		return text_err(t, "one 'port' item per rule");
	if (text_port(t, "port", &id))
		return t->res->err;
	m->port.port_id = id;
	m->port_mask.port_id = UINT32_MAX;
	m->items |= 1u << DPU_ABI_ITEM_PORT;
	return 0;
}

static int item(struct text *t)
{
	struct dpu_rules_match *m = &t->out->match;
	const char *name = text_peek(t);
	const struct item_desc *d = NULL;
	uint8_t mask_set[16] = { 0 };
	unsigned int type;
	uint8_t *spec, *mask;

	if (!strcmp(name, "port") || !strcmp(name, "port_id") ||
	    !strcmp(name, "represented_port")) {
		t->pos++;
		return port_item(t);
	}
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		if (!strcmp(items[i].name, name))
			d = &items[i];
	if (!d)
		return text_err(t, "unknown item (port eth vlan ipv4 ipv6 tcp udp sctp icmp icmp6 arp vxlan geneve geneve_opt meta tag mark ct)");
	type = d->type;
	if (type == DPU_ABI_ITEM_TUNNEL) {
		int err = fold_outer(t, strcmp(name, "vxlan") ? DPU_ABI_TUNNEL_GENEVE :
							      DPU_ABI_TUNNEL_VXLAN);
		if (err)
			return err;
	} else if (type == DPU_ABI_ITEM_GENEVE_OPT) {
		if (!dpu_rules_has_item(m, DPU_ABI_ITEM_TUNNEL) ||
		    m->tunnel.type != DPU_ABI_TUNNEL_GENEVE)
			return text_err(t, "'geneve_opt' must follow a 'geneve' item");
	}
	/* A second vlan item is the inner (customer) tag, as in testpmd. */
	if (type == DPU_ABI_ITEM_VLAN && dpu_rules_has_item(m, DPU_ABI_ITEM_VLAN))
		type = DPU_ABI_ITEM_VLAN_INNER;
	if (type != DPU_ABI_ITEM_TUNNEL && dpu_rules_has_item(m, type))
		return text_err(t, "'%s' appears twice at the same level", name);
	spec = dpu_rules_item_spec(m, type);
	mask = dpu_rules_item_mask(m, type);
	t->pos++;
	while (!text_at_sep(t))
		if (field_op(t, d, spec, mask, mask_set))
			return t->res->err;
	if (type == DPU_ABI_ITEM_GENEVE_OPT) {
		struct dpu_abi_item_geneve_opt *g = &m->geneve_opt;
		size_t used = 0;

		/* The option length follows from the data given. */
		for (size_t i = 0; i < sizeof(g->data); i++)
			if (m->geneve_opt_mask.data[i] || g->data[i])
				used = i + 1;
		g->opt_len = (uint8_t)((used + 3) / 4);
		m->geneve_opt_mask.opt_len = g->opt_len ? 0xff : 0;
	}
	if (type == DPU_ABI_ITEM_TAG) {
		if (m->tag.index > DPU_ABI_TAG_INDEX_MAX)
			return text_err(t, "tag index must be 0..%d", DPU_ABI_TAG_INDEX_MAX);
		m->tag_mask.index = 0xff;
	}
	apply_mask(spec, mask, item_size(type));
	m->items |= 1u << type;
	return 0;
}

int text_pattern(struct text *t)
{
	for (;;) {
		if (!text_peek(t))
			return text_err(t, "the pattern ends with 'end'");
		if (text_accept(t, "end"))
			return 0;
		if (item(t))
			return t->res->err;
		if (text_accept(t, "/"))
			continue;
		if (!text_at_sep(t))
			return text_err(t, "expected '/' or 'end'");
	}
}
