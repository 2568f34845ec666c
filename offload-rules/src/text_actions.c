// SPDX-License-Identifier: BSD-3-Clause
/* Rule text: the action list (testpmd's names where it has one). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

static union dpu_rules_abi_action *put(struct text *t, uint16_t type, size_t len)
{
	struct dpu_rules_abi_flow *o = t->out;
	union dpu_rules_abi_action *a;

	if (o->n_actions == DPU_ABI_MAX_ACTIONS) {
		text_err(t, "a rule holds at most %d actions", DPU_ABI_MAX_ACTIONS);
		return NULL;
	}
	a = &o->actions[o->n_actions++];
	memset(a, 0, sizeof(*a));
	a->hdr.type = type;
	a->hdr.len = (uint16_t)len;
	return a;
}

static union dpu_rules_abi_action *last(struct text *t, uint16_t type)
{
	struct dpu_rules_abi_flow *o = t->out;

	if (!o->n_actions || o->actions[o->n_actions - 1].hdr.type != type)
		return NULL;
	return &o->actions[o->n_actions - 1];
}

/* "KEYWORD VALUE" where testpmd has a keyword: accept it or the bare value. */
static void opt_kw(struct text *t, const char *kw)
{
	text_accept(t, kw);
}

static int u32_arg(struct text *t, const char *kw, const char *what, uint64_t max,
		   uint32_t *v)
{
	uint64_t x;

	if (kw)
		opt_kw(t, kw);
	if (text_u64(t, what, max, &x))
		return t->res->err;
	*v = (uint32_t)x;
	return 0;
}

static int output(struct text *t, uint16_t type, uint32_t flags)
{
	union dpu_rules_abi_action *a = put(t, type, sizeof(a->port));
	uint64_t v;

	if (!a)
		return t->res->err;
	/* testpmd: "port_id id N", "represented_port ethdev_port_id N",
	 * "port_representor port_id N". */
	if (!text_accept(t, "id") && !text_accept(t, "ethdev_port_id"))
		text_accept(t, "port_id");
	if (type == DPU_ABI_ACT_MIRROR)
		text_accept(t, "port");
	if (text_port(t, type == DPU_ABI_ACT_MIRROR ? "mirror" : "port", &a->port.port_id))
		return t->res->err;
	a->port.flags = flags;
	if (type == DPU_ABI_ACT_MIRROR) {
		a->port.ratio = 1;
		while (!text_at_sep(t)) {
			if (text_accept(t, "representor")) {
				a->port.flags |= DPU_ABI_OUT_TO_REPRESENTOR;
			} else if (text_accept(t, "ratio")) {
				if (text_u64(t, "ratio", UINT32_MAX, &v))
					return t->res->err;
				if (!v)
					return text_err(t, "ratio must be >= 1");
				a->port.ratio = (uint32_t)v;
			} else {
				return text_err(t, "mirror: expected 'ratio N' or 'representor'");
			}
		}
	}
	return 0;
}

/* of_push_vlan / of_set_vlan_vid / of_set_vlan_pcp (testpmd) and the
 * short vlan_push|vlan_set vid N [pcp N] [tpid N]. A set right after a
 * push completes the pushed tag, as in OpenFlow. */
static int vlan(struct text *t, const char *name)
{
	union dpu_rules_abi_action *a;
	uint64_t v;

	if (!strcmp(name, "of_pop_vlan") || !strcmp(name, "vlan_pop"))
		return put(t, DPU_ABI_ACT_VLAN_POP, sizeof(a->empty)) ? 0 : t->res->err;
	if (!strcmp(name, "of_push_vlan")) {
		a = put(t, DPU_ABI_ACT_VLAN_PUSH, sizeof(a->vlan));
		if (!a)
			return t->res->err;
		opt_kw(t, "ethertype");
		if (text_u64(t, "ethertype", 0xffff, &v))
			return t->res->err;
		a->vlan.tpid = htons((uint16_t)v);
		return 0;
	}
	if (!strcmp(name, "of_set_vlan_vid") || !strcmp(name, "of_set_vlan_pcp")) {
		bool vid = !strcmp(name, "of_set_vlan_vid");
		uint16_t shift = vid ? 0 : 13, m = vid ? 0x0fff : 0xe000;

		opt_kw(t, vid ? "vlan_vid" : "vlan_pcp");
		if (text_u64(t, vid ? "vlan_vid" : "vlan_pcp", vid ? 4095 : 7, &v))
			return t->res->err;
		a = last(t, DPU_ABI_ACT_VLAN_PUSH);
		if (!a) {
			a = last(t, DPU_ABI_ACT_VLAN_SET);
			if (!a && !(a = put(t, DPU_ABI_ACT_VLAN_SET, sizeof(a->vlan))))
				return t->res->err;
			a->vlan.tci_mask = htons(ntohs(a->vlan.tci_mask) | m);
		}
		a->vlan.tci = htons((uint16_t)((ntohs(a->vlan.tci) & ~m) | (v << shift)));
		return 0;
	}
	/* vlan_push / vlan_set */
	bool push = !strcmp(name, "vlan_push");

	a = put(t, push ? DPU_ABI_ACT_VLAN_PUSH : DPU_ABI_ACT_VLAN_SET, sizeof(a->vlan));
	if (!a)
		return t->res->err;
	if (push)
		a->vlan.tpid = htons(0x8100);
	while (!text_at_sep(t)) {
		uint16_t tci = ntohs(a->vlan.tci), tm = ntohs(a->vlan.tci_mask);

		if (text_accept(t, "vid")) {
			if (text_u64(t, "vid", 4095, &v))
				return t->res->err;
			tci = (uint16_t)((tci & ~0x0fffu) | v);
			tm |= 0x0fff;
		} else if (text_accept(t, "pcp")) {
			if (text_u64(t, "pcp", 7, &v))
				return t->res->err;
			tci = (uint16_t)((tci & ~0xe000u) | v << 13);
			tm |= 0xe000;
		} else if (push && text_accept(t, "tpid")) {
			if (text_u64(t, "tpid", 0xffff, &v))
				return t->res->err;
			a->vlan.tpid = htons((uint16_t)v);
		} else {
			return text_err(t, "%s: expected 'vid N', 'pcp N'%s", name,
					push ? " or 'tpid N'" : "");
		}
		a->vlan.tci = htons(tci);
		if (!push)
			a->vlan.tci_mask = htons(tm);
	}
	if (!push && !a->vlan.tci_mask)
		return text_err(t, "vlan_set needs 'vid N' or 'pcp N'");
	return 0;
}

static int geneve_opt(struct text *t, struct dpu_abi_act_tunnel_encap *e)
{
	/* CLASS:TYPE:DATA as tc's geneve_opts (0102:80:00112233). */
	const char *w = text_peek(t);
	unsigned int cls, type;
	int n = 0;
	uint8_t data[32];
	size_t len = 0;

	/* %n is only stored when the second ':' was there. */
	if (!w || sscanf(w, "%x:%x:%n", &cls, &type, &n) != 2 || n == 0 || cls > 0xffff ||
	    type > 0xff)
		return text_err(t, "opt needs CLASS:TYPE:HEXDATA (e.g. 0102:80:00112233)");
	{
		/* The data part is read like any hex word. */
		char *const one[1] = { (char *)w + n };
		struct text sub = *t;

		sub.argv = one;
		sub.argc = 1;
		sub.pos = 0;
		if (text_hex(&sub, "opt data", data, sizeof(data), &len))
			return t->res->err;
	}
	if (len % 4)
		return text_err(t, "opt data is a multiple of 4 bytes");
	if (e->opts_len + 4 + len > sizeof(e->opts))
		return text_err(t, "Geneve options hold at most %zu bytes", sizeof(e->opts));
	uint8_t *o = e->opts + e->opts_len;

	o[0] = (uint8_t)(cls >> 8);
	o[1] = (uint8_t)cls;
	o[2] = (uint8_t)type;
	o[3] = (uint8_t)(len / 4);
	memcpy(o + 4, data, len);
	e->opts_len = (uint8_t)(e->opts_len + 4 + len);
	t->pos++;
	return 0;
}

static int encap(struct text *t, uint8_t type)
{
	union dpu_rules_abi_action *a = put(t, DPU_ABI_ACT_TUNNEL_ENCAP, sizeof(a->encap));
	struct dpu_abi_act_tunnel_encap *e;
	bool have_src = false, have_dst = false;
	uint8_t ver;
	uint64_t v;
	int plen;

	if (!a)
		return t->res->err;
	e = &a->encap;
	e->type = type;
	while (!text_at_sep(t)) {
		const char *k = text_next(t);
		uint8_t *addr = NULL;

		if (!strcmp(k, "vni")) {
			if (text_u64(t, "vni", 0xffffff, &v))
				return t->res->err;
			e->vni = htonl((uint32_t)v);
		} else if (!strcmp(k, "src") || !strcmp(k, "dst")) {
			addr = !strcmp(k, "src") ? e->src : e->dst;
			if (text_ip(t, k, addr, &ver, &plen))
				return t->res->err;
			if (plen >= 0 || (e->ip_version && e->ip_version != ver)) {
				t->pos--;
				return text_err(t, "encap src and dst are one address family, no prefix");
			}
			e->ip_version = ver;
			*(!strcmp(k, "src") ? &have_src : &have_dst) = true;
		} else if (!strcmp(k, "eth_src") || !strcmp(k, "eth_dst")) {
			if (text_mac(t, k, !strcmp(k, "eth_src") ? e->eth_src : e->eth_dst))
				return t->res->err;
		} else if (!strcmp(k, "src_port") || !strcmp(k, "dst_port")) {
			if (text_u64(t, k, 0xffff, &v))
				return t->res->err;
			*(!strcmp(k, "src_port") ? &e->src_port : &e->dst_port) = htons((uint16_t)v);
		} else if (!strcmp(k, "tos") || !strcmp(k, "ttl")) {
			if (text_u64(t, k, 0xff, &v))
				return t->res->err;
			*(!strcmp(k, "tos") ? &e->tos : &e->ttl) = (uint8_t)v;
		} else if (!strcmp(k, "csum")) {
			e->flags |= DPU_ABI_ENCAP_UDP_CSUM;
		} else if (!strcmp(k, "dont_frag")) {
			e->flags |= DPU_ABI_ENCAP_DONT_FRAG;
		} else if (!strcmp(k, "opt") && type == DPU_ABI_TUNNEL_GENEVE) {
			if (geneve_opt(t, e))
				return t->res->err;
		} else {
			t->pos--;
			return text_err(t, "encap: expected vni, src, dst, eth_src, eth_dst, src_port, dst_port, tos, ttl, csum, dont_frag%s",
					type == DPU_ABI_TUNNEL_GENEVE ? ", opt" : "");
		}
	}
	if (!have_src || !have_dst)
		return text_err(t, "encap needs 'src ADDR' and 'dst ADDR'");
	return 0;
}

static int set_field(struct text *t, uint8_t field, const char *kw)
{
	union dpu_rules_abi_action *a = put(t, DPU_ABI_ACT_SET_FIELD, sizeof(a->set));
	struct dpu_abi_act_set_field *s;
	uint8_t ver;
	uint64_t v;
	int plen;

	if (!a)
		return t->res->err;
	s = &a->set;
	s->field = field;
	opt_kw(t, kw);
	switch (field) {
	case DPU_ABI_FIELD_ETH_SRC:
	case DPU_ABI_FIELD_ETH_DST:
		if (text_mac(t, kw, s->value))
			return t->res->err;
		memset(s->mask, 0xff, 6);
		return 0;
	case DPU_ABI_FIELD_IPV4_SRC:
	case DPU_ABI_FIELD_IPV4_DST:
	case DPU_ABI_FIELD_IPV6_SRC:
	case DPU_ABI_FIELD_IPV6_DST: {
		uint8_t want = field <= DPU_ABI_FIELD_IPV4_DST ? 4 : 6;

		if (text_ip(t, kw, s->value, &ver, &plen))
			return t->res->err;
		if (ver != want || plen >= 0) {
			t->pos--;
			return text_err(t, "%s needs one IPv%u address", kw, want);
		}
		memset(s->mask, 0xff, want == 4 ? 4 : 16);
		return 0;
	}
	case DPU_ABI_FIELD_L4_SRC:
	case DPU_ABI_FIELD_L4_DST:
		if (text_u64(t, kw, 0xffff, &v))
			return t->res->err;
		s->value[0] = (uint8_t)(v >> 8);
		s->value[1] = (uint8_t)v;
		memset(s->mask, 0xff, 2);
		return 0;
	case DPU_ABI_FIELD_IP_TTL:
	case DPU_ABI_FIELD_IP_DSCP:
		if (text_u64(t, kw, field == DPU_ABI_FIELD_IP_TTL ? 255 : 63, &v))
			return t->res->err;
		s->value[0] = (uint8_t)v;
		s->mask[0] = field == DPU_ABI_FIELD_IP_TTL ? 0xff : 0x3f;
		return 0;
	}
	return text_err(t, "internal: field %u", field);
}

static int meter(struct text *t)
{
	union dpu_rules_abi_action *a = put(t, DPU_ABI_ACT_METER, sizeof(a->meter));
	struct dpu_abi_act_meter *m;
	uint64_t v;

	if (!a)
		return t->res->err;
	m = &a->meter;
	m->mode = DPU_ABI_METER_SRTCM;
	m->yellow = DPU_ABI_METER_V_PASS;
	m->red = DPU_ABI_METER_V_DROP;
	while (!text_at_sep(t)) {
		const char *k = text_next(t);

		if (!strcmp(k, "id") || !strcmp(k, "mtr_id")) {
			if (text_u64(t, "meter id", UINT32_MAX, &v))
				return t->res->err;
			m->meter_id = (uint32_t)v;
		} else if (!strcmp(k, "cir") || !strcmp(k, "cbs") || !strcmp(k, "eir") ||
			   !strcmp(k, "ebs")) {
			if (text_u64(t, k, UINT64_MAX, &v))
				return t->res->err;
			*(!strcmp(k, "cir") ? &m->cir : !strcmp(k, "cbs") ? &m->cbs :
			  !strcmp(k, "eir") ? &m->eir : &m->ebs) = v;
		} else if (!strcmp(k, "trtcm")) {
			m->mode = DPU_ABI_METER_TRTCM;
		} else if (!strcmp(k, "srtcm")) {
			m->mode = DPU_ABI_METER_SRTCM;
		} else if (!strcmp(k, "pps")) {
			m->flags |= DPU_ABI_METER_PPS;
		} else if (!strcmp(k, "yellow") || !strcmp(k, "red")) {
			uint8_t *vd = !strcmp(k, "yellow") ? &m->yellow : &m->red;

			if (text_accept(t, "drop"))
				*vd = DPU_ABI_METER_V_DROP;
			else if (text_accept(t, "pass"))
				*vd = DPU_ABI_METER_V_PASS;
			else
				return text_err(t, "%s: expected 'pass' or 'drop'", k);
		} else {
			t->pos--;
			return text_err(t, "meter: expected id, cir, cbs, eir, ebs, srtcm, trtcm, pps, yellow, red");
		}
	}
	if (!m->meter_id || !m->cir || !m->cbs)
		return text_err(t, "meter needs 'id N' (>= 1), 'cir RATE' and 'cbs BURST'");
	return 0;
}

static int nat_range(struct text *t, struct dpu_abi_act_ct *c)
{
	uint8_t ver, ver2;
	int plen;
	uint64_t v;

	while (!text_at_sep(t)) {
		if (text_accept(t, "src")) {
			c->flags |= DPU_ABI_CTF_NAT_SRC;
		} else if (text_accept(t, "dst")) {
			c->flags |= DPU_ABI_CTF_NAT_DST;
		} else if (text_accept(t, "addr")) {
			if (text_ip(t, "nat addr", c->nat_addr_min, &ver, &plen))
				return t->res->err;
			memcpy(c->nat_addr_max, c->nat_addr_min, 16);
			if (text_accept(t, "-") &&
			    text_ip(t, "nat addr range end", c->nat_addr_max, &ver2, &plen))
				return t->res->err;
			c->nat_ip_version = ver;
		} else if (text_accept(t, "port")) {
			if (text_u64(t, "nat port", 0xffff, &v))
				return t->res->err;
			c->nat_port_min = c->nat_port_max = htons((uint16_t)v);
			if (text_accept(t, "-")) {
				if (text_u64(t, "nat port range end", 0xffff, &v))
					return t->res->err;
				c->nat_port_max = htons((uint16_t)v);
			}
		} else {
			return 0;
		}
	}
	return 0;
}

static int ct(struct text *t)
{
	union dpu_rules_abi_action *a = put(t, DPU_ABI_ACT_CT, sizeof(a->ct));
	struct dpu_abi_act_ct *c;
	uint64_t v;

	if (!a)
		return t->res->err;
	c = &a->ct;
	while (!text_at_sep(t)) {
		const char *k = text_next(t);

		if (!strcmp(k, "zone")) {
			if (text_u64(t, "zone", 0xffff, &v))
				return t->res->err;
			c->zone = (uint16_t)v;
		} else if (!strcmp(k, "commit")) {
			c->flags |= DPU_ABI_CTF_COMMIT;
		} else if (!strcmp(k, "force")) {
			c->flags |= DPU_ABI_CTF_FORCE;
		} else if (!strcmp(k, "clear")) {
			c->flags |= DPU_ABI_CTF_CLEAR;
		} else if (!strcmp(k, "mark")) {
			if (text_u64(t, "mark", UINT32_MAX, &v))
				return t->res->err;
			c->mark = (uint32_t)v;
			c->mark_mask = UINT32_MAX;
			if (text_accept(t, "mask")) {
				if (text_u64(t, "mark mask", UINT32_MAX, &v))
					return t->res->err;
				c->mark_mask = (uint32_t)v;
				c->mark &= c->mark_mask;
			}
		} else if (!strcmp(k, "nat")) {
			c->flags |= DPU_ABI_CTF_NAT;
			if (nat_range(t, c))
				return t->res->err;
		} else {
			t->pos--;
			return text_err(t, "ct: expected zone, commit, force, clear, mark, nat");
		}
	}
	return 0;
}

static int action(struct text *t)
{
	const char *name = text_next(t);
	union dpu_rules_abi_action *a;
	uint32_t v = 0;

	if (!strcmp(name, "drop"))
		return put(t, DPU_ABI_ACT_DROP, sizeof(a->empty)) ? 0 : t->res->err;
	if (!strcmp(name, "count")) {
		if (!(a = put(t, DPU_ABI_ACT_COUNT, sizeof(a->u32))))
			return t->res->err;
		if (text_accept(t, "id") && u32_arg(t, NULL, "count id", UINT32_MAX, &a->u32.value))
			return t->res->err;
		return 0;
	}
	if (!strcmp(name, "port") || !strcmp(name, "port_id") ||
	    !strcmp(name, "represented_port"))
		return output(t, DPU_ABI_ACT_OUTPUT, 0);
	if (!strcmp(name, "port_representor"))
		return output(t, DPU_ABI_ACT_OUTPUT, DPU_ABI_OUT_TO_REPRESENTOR);
	if (!strcmp(name, "mirror"))
		return output(t, DPU_ABI_ACT_MIRROR, 0);
	if (!strcmp(name, "jump")) {
		if (!(a = put(t, DPU_ABI_ACT_JUMP, sizeof(a->u32))))
			return t->res->err;
		return u32_arg(t, "group", "jump group", DPU_ABI_GROUP_MAX, &a->u32.value);
	}
	if (!strcmp(name, "mark") || !strcmp(name, "queue") || !strcmp(name, "to_software") ||
	    !strcmp(name, "age")) {
		uint16_t type = !strcmp(name, "mark") ? DPU_ABI_ACT_MARK :
				!strcmp(name, "age") ? DPU_ABI_ACT_AGE : DPU_ABI_ACT_TO_SOFTWARE;
		const char *kw = type == DPU_ABI_ACT_MARK ? "id" :
				 type == DPU_ABI_ACT_AGE ? "timeout" : "index";

		if (!(a = put(t, type, sizeof(a->u32))))
			return t->res->err;
		if (type == DPU_ABI_ACT_TO_SOFTWARE && text_at_sep(t))
			return 0;
		return u32_arg(t, kw, name, type == DPU_ABI_ACT_AGE ? DPU_ABI_AGE_MAX : UINT32_MAX,
			       &a->u32.value);
	}
	if (!strcmp(name, "set_meta")) {
		if (!(a = put(t, DPU_ABI_ACT_SET_META, sizeof(a->set_meta))))
			return t->res->err;
		if (u32_arg(t, "data", "set_meta data", UINT32_MAX, &v))
			return t->res->err;
		a->set_meta.data = v;
		a->set_meta.mask = UINT32_MAX;
		if (text_accept(t, "mask") &&
		    u32_arg(t, NULL, "set_meta mask", UINT32_MAX, &a->set_meta.mask))
			return t->res->err;
		a->set_meta.data &= a->set_meta.mask;
		return 0;
	}
	if (!strncmp(name, "of_", 3) || !strncmp(name, "vlan_", 5))
		return vlan(t, name);
	if (!strcmp(name, "vxlan_encap"))
		return encap(t, DPU_ABI_TUNNEL_VXLAN);
	if (!strcmp(name, "geneve_encap"))
		return encap(t, DPU_ABI_TUNNEL_GENEVE);
	if (!strcmp(name, "vxlan_decap") || !strcmp(name, "geneve_decap") ||
	    !strcmp(name, "tunnel_decap"))
		return put(t, DPU_ABI_ACT_TUNNEL_DECAP, sizeof(a->empty)) ? 0 : t->res->err;
	if (!strcmp(name, "set_mac_src"))
		return set_field(t, DPU_ABI_FIELD_ETH_SRC, "mac_addr");
	if (!strcmp(name, "set_mac_dst"))
		return set_field(t, DPU_ABI_FIELD_ETH_DST, "mac_addr");
	if (!strcmp(name, "set_ipv4_src"))
		return set_field(t, DPU_ABI_FIELD_IPV4_SRC, "ipv4_addr");
	if (!strcmp(name, "set_ipv4_dst"))
		return set_field(t, DPU_ABI_FIELD_IPV4_DST, "ipv4_addr");
	if (!strcmp(name, "set_ipv6_src"))
		return set_field(t, DPU_ABI_FIELD_IPV6_SRC, "ipv6_addr");
	if (!strcmp(name, "set_ipv6_dst"))
		return set_field(t, DPU_ABI_FIELD_IPV6_DST, "ipv6_addr");
	if (!strcmp(name, "set_tp_src"))
		return set_field(t, DPU_ABI_FIELD_L4_SRC, "port");
	if (!strcmp(name, "set_tp_dst"))
		return set_field(t, DPU_ABI_FIELD_L4_DST, "port");
	if (!strcmp(name, "set_ttl"))
		return set_field(t, DPU_ABI_FIELD_IP_TTL, "ttl_value");
	if (!strcmp(name, "set_ipv4_dscp") || !strcmp(name, "set_ipv6_dscp"))
		return set_field(t, DPU_ABI_FIELD_IP_DSCP, "dscp");
	if (!strcmp(name, "dec_ttl"))
		return put(t, DPU_ABI_ACT_DEC_TTL, sizeof(a->empty)) ? 0 : t->res->err;
	if (!strcmp(name, "meter"))
		return meter(t);
	if (!strcmp(name, "ct") || !strcmp(name, "conntrack"))
		return ct(t);
	if (!strcmp(name, "ipsec")) {
		if (!(a = put(t, DPU_ABI_ACT_IPSEC, sizeof(a->ipsec))))
			return t->res->err;
		if (u32_arg(t, "sa", "ipsec sa", UINT32_MAX, &a->ipsec.sa_id))
			return t->res->err;
		if (text_accept(t, "in"))
			a->ipsec.dir = DPU_ABI_IPSEC_IN;
		else if (text_accept(t, "out"))
			a->ipsec.dir = DPU_ABI_IPSEC_OUT;
		else
			return text_err(t, "ipsec: expected 'in' or 'out'");
		return 0;
	}
	t->pos--;
	return text_err(t, "unknown action (drop count port port_representor mirror jump mark set_meta queue age vlan_* of_* vxlan_encap geneve_encap tunnel_decap set_* dec_ttl meter ct ipsec)");
}

int text_actions(struct text *t)
{
	for (;;) {
		if (!text_peek(t))
			return text_err(t, "the actions end with 'end'");
		if (text_accept(t, "end"))
			break;
		if (text_at_sep(t))
			return text_err(t, "expected an action");
		if (action(t))
			return t->res->err;
		if (text_accept(t, "/"))
			continue;
		if (!text_at_sep(t))
			return text_err(t, "expected '/' or 'end'");
	}
	if (!t->out->n_actions)
		return text_err(t, "a rule needs at least one action");
	/* The ABI wants the packet's fate spelled out last; say so here
	 * rather than let the card refuse the op. */
	switch (t->out->actions[t->out->n_actions - 1].hdr.type) {
	case DPU_ABI_ACT_DROP:
	case DPU_ABI_ACT_OUTPUT:
	case DPU_ABI_ACT_JUMP:
	case DPU_ABI_ACT_TO_SOFTWARE:
		return 0;
	}
	t->pos--;
	return text_err(t, "the last action must say where the packet goes: drop, port, port_representor, jump or queue");
}
