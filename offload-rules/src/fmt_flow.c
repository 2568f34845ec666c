// SPDX-License-Identifier: BSD-3-Clause
/* The model printer, in tc's own words. */
#include <arpa/inet.h>
#include <linux/tc_act/tc_csum.h>
#include <stdio.h>

#include "dpu_rules_print.h"
#include "fmt.h"

static const char *field_name(uint8_t id)
{
	static const char *const names[DPU_ABI_FIELD_ID_MAX] = {
		[DPU_ABI_FIELD_ETH_SRC] = "eth_src",
		[DPU_ABI_FIELD_ETH_DST] = "eth_dst",
		[DPU_ABI_FIELD_IPV4_SRC] = "ipv4_src",
		[DPU_ABI_FIELD_IPV4_DST] = "ipv4_dst",
		[DPU_ABI_FIELD_IPV6_SRC] = "ipv6_src",
		[DPU_ABI_FIELD_IPV6_DST] = "ipv6_dst",
		[DPU_ABI_FIELD_L4_SRC] = "l4_src",
		[DPU_ABI_FIELD_L4_DST] = "l4_dst",
		[DPU_ABI_FIELD_IP_TTL] = "ip_ttl",
		[DPU_ABI_FIELD_IP_DSCP] = "ip_dscp",
	};

	return id < DPU_ABI_FIELD_ID_MAX && names[id] ? names[id] : "?";
}

/* Width of a SET_FIELD field and how to print it. */
void fmt_set_field(struct fmt *f, const struct dpu_abi_act_set_field *s)
{
	static const uint8_t width[DPU_ABI_FIELD_ID_MAX] = {
		[DPU_ABI_FIELD_ETH_SRC] = 6, [DPU_ABI_FIELD_ETH_DST] = 6,
		[DPU_ABI_FIELD_IPV4_SRC] = 4, [DPU_ABI_FIELD_IPV4_DST] = 4,
		[DPU_ABI_FIELD_IPV6_SRC] = 16, [DPU_ABI_FIELD_IPV6_DST] = 16,
		[DPU_ABI_FIELD_L4_SRC] = 2, [DPU_ABI_FIELD_L4_DST] = 2,
		[DPU_ABI_FIELD_IP_TTL] = 1, [DPU_ABI_FIELD_IP_DSCP] = 1,
	};
	enum fmt_kind k = FMT_DEC;
	uint8_t w = s->field < DPU_ABI_FIELD_ID_MAX ? width[s->field] : 0;

	if (w == 6)
		k = FMT_MAC;
	else if (w == 4)
		k = FMT_IP4;
	else if (w == 16)
		k = FMT_IP6;
	if (!w) {
		fmt_add(f, " set ?%u", s->field);
		return;
	}
	fmt_add(f, " set");
	fmt_field(f, field_name(s->field), k, s->value, s->mask, w);
}

void fmt_encap(struct fmt *f, const struct dpu_abi_act_tunnel_encap *e)
{
	enum fmt_kind k = e->ip_version == 6 ? FMT_IP6 : FMT_IP4;
	size_t n = e->ip_version == 6 ? 16 : 4;
	unsigned int i;

	if (e->type)
		fmt_add(f, " %s", e->type == DPU_ABI_TUNNEL_VXLAN ? "vxlan" :
			e->type == DPU_ABI_TUNNEL_GENEVE ? "geneve" : "?");
	fmt_field(f, "src_ip", k, e->src, NULL, n);
	fmt_field(f, "dst_ip", k, e->dst, NULL, n);
	fmt_add(f, " id %u", ntohl(e->vni));
	if (e->dst_port)
		fmt_add(f, " dst_port %u", ntohs(e->dst_port));
	if (e->tos)
		fmt_add(f, " tos 0x%02x", e->tos);
	if (e->ttl)
		fmt_add(f, " ttl %u", e->ttl);
	fmt_add(f, "%s", e->flags & DPU_ABI_ENCAP_UDP_CSUM ? " csum" : " nocsum");
	if (e->flags & DPU_ABI_ENCAP_DONT_FRAG)
		fmt_add(f, " nofrag");
	if (e->eth_dst[0] | e->eth_dst[1] | e->eth_dst[2] | e->eth_dst[3] |
	    e->eth_dst[4] | e->eth_dst[5]) {
		fmt_field(f, "eth_src", FMT_MAC, e->eth_src, NULL, 6);
		fmt_field(f, "eth_dst", FMT_MAC, e->eth_dst, NULL, 6);
	}
	if (e->opts_len) {
		fmt_add(f, " geneve_opts ");
		for (i = 0; i < e->opts_len && i < sizeof(e->opts); i++)
			fmt_add(f, "%02x", e->opts[i]);
	}
}

void fmt_ct(struct fmt *f, const struct dpu_abi_act_ct *ct)
{
	unsigned int i;

	if (ct->flags & DPU_ABI_CTF_CLEAR) {
		fmt_add(f, " clear");
		return;
	}
	if (ct->zone)
		fmt_add(f, " zone %u", ct->zone);
	if (ct->flags & DPU_ABI_CTF_COMMIT)
		fmt_add(f, " commit");
	if (ct->flags & DPU_ABI_CTF_FORCE)
		fmt_add(f, " force");
	if (ct->mark_mask)
		fmt_add(f, " mark 0x%x/0x%x", ct->mark, ct->mark_mask);
	for (i = 0; i < 16 && !ct->label_mask[i]; i++)
		;
	if (i < 16)
		fmt_field(f, "label", FMT_HEX, ct->label, ct->label_mask, 16);
	if (ct->flags & DPU_ABI_CTF_NAT) {
		fmt_add(f, " nat");
		if (ct->flags & DPU_ABI_CTF_NAT_SRC)
			fmt_add(f, " src");
		if (ct->flags & DPU_ABI_CTF_NAT_DST)
			fmt_add(f, " dst");
		if (ct->nat_ip_version) {
			enum fmt_kind k = ct->nat_ip_version == 6 ? FMT_IP6 : FMT_IP4;
			size_t n = ct->nat_ip_version == 6 ? 16 : 4;

			fmt_field(f, "addr", k, ct->nat_addr_min, NULL, n);
			fmt_field(f, "-", k, ct->nat_addr_max, NULL, n);
		}
		if (ct->nat_port_min)
			fmt_add(f, " port %u-%u", ntohs(ct->nat_port_min),
				ntohs(ct->nat_port_max));
	}
}

static void action(struct fmt *f, const struct dpu_rules_action *a)
{
	const struct dpu_rules_act_police *p = &a->u.police;

	switch (a->kind) {
	case DPU_RULES_ACT_DROP:
		fmt_add(f, " drop");
		return;
	case DPU_RULES_ACT_TO_HOST:
		fmt_add(f, " pass");
		return;
	case DPU_RULES_ACT_REDIRECT:
	case DPU_RULES_ACT_MIRROR:
		fmt_add(f, " mirred %s %s if %u",
			a->u.port.ingress ? "ingress" : "egress",
			a->kind == DPU_RULES_ACT_REDIRECT ? "redirect" : "mirror",
			a->u.port.ifindex);
		return;
	case DPU_RULES_ACT_JUMP:
		fmt_add(f, " goto chain %u", a->u.chain);
		return;
	case DPU_RULES_ACT_VLAN_PUSH:
		fmt_add(f, " vlan push id %u priority %u protocol 0x%04x",
			ntohs(a->u.vlan.tci) & 0xfff, ntohs(a->u.vlan.tci) >> 13,
			ntohs(a->u.vlan.tpid));
		return;
	case DPU_RULES_ACT_VLAN_POP:
		fmt_add(f, " vlan pop");
		return;
	case DPU_RULES_ACT_VLAN_SET:
		fmt_add(f, " vlan modify id %u", ntohs(a->u.vlan.tci) & 0xfff);
		if (ntohs(a->u.vlan.tci_mask) & 0xe000)
			fmt_add(f, " priority %u", ntohs(a->u.vlan.tci) >> 13);
		return;
	case DPU_RULES_ACT_TUNNEL_SET:
		fmt_add(f, " tunnel_key set");
		fmt_encap(f, &a->u.encap);
		return;
	case DPU_RULES_ACT_TUNNEL_UNSET:
		fmt_add(f, " tunnel_key unset");
		return;
	case DPU_RULES_ACT_SET_FIELD:
		fmt_add(f, " pedit");
		fmt_set_field(f, &a->u.set);
		return;
	case DPU_RULES_ACT_DEC_TTL:
		fmt_add(f, " pedit dec_ttl");
		return;
	case DPU_RULES_ACT_CSUM:
		fmt_add(f, " csum%s%s%s%s",
			a->u.csum_flags & TCA_CSUM_UPDATE_FLAG_IPV4HDR ? " iph" : "",
			a->u.csum_flags & TCA_CSUM_UPDATE_FLAG_ICMP ? " icmp" : "",
			a->u.csum_flags & TCA_CSUM_UPDATE_FLAG_TCP ? " tcp" : "",
			a->u.csum_flags & TCA_CSUM_UPDATE_FLAG_UDP ? " udp" : "");
		return;
	case DPU_RULES_ACT_CT:
		fmt_add(f, " ct");
		fmt_ct(f, &a->u.ct);
		return;
	case DPU_RULES_ACT_POLICE:
		fmt_add(f, " police index %u", p->index);
		if (p->by_reference)
			return;
		fmt_add(f, " %s %llu burst %llu", p->pps ? "pkts_rate" : "rate",
			(unsigned long long)p->rate, (unsigned long long)p->burst);
		if (p->peakrate)
			fmt_add(f, " peakrate %llu mtu %u",
				(unsigned long long)p->peakrate, p->mtu);
		/* tc's order: exceed/conform; conform is always pipe here. */
		fmt_add(f, " conform-exceed %s/pipe",
			p->exceed == DPU_ABI_METER_V_DROP ? "drop" : "pipe");
		return;
	}
	fmt_add(f, " ?%u", a->kind);
}

size_t dpu_rules_format_actions(const struct dpu_rules_flow *fl, char *buf,
				size_t len)
{
	struct fmt f = { .buf = buf, .cap = len };
	unsigned int i;

	if (len)
		buf[0] = 0;
	for (i = 0; i < fl->n_actions; i++) {
		fmt_add(&f, "%saction", i ? " " : "");
		action(&f, &fl->actions[i]);
	}
	return f.len;
}

size_t dpu_rules_format(const struct dpu_rules_flow *fl, char *buf, size_t len)
{
	static const char *const dir[] = { "ingress", "egress", "block" };
	struct fmt f = { .buf = buf, .cap = len };
	unsigned int i;

	if (len)
		buf[0] = 0;
	fmt_add(&f, "%s%s %s %u chain %u prio %u handle 0x%x protocol 0x%04x flower",
		fl->op == DPU_RULES_OP_DEL ? "delete " : "",
		fl->id.dir < 3 ? dir[fl->id.dir] : "?",
		fl->id.dir == DPU_RULES_DIR_BLOCK ? "block" : "if",
		fl->id.ifindex, fl->id.chain, fl->id.prio, fl->id.handle,
		fl->id.protocol);
	if (fl->flags & DPU_RULES_F_SKIP_HW)
		fmt_add(&f, " skip_hw");
	if (fl->flags & DPU_RULES_F_SKIP_SW)
		fmt_add(&f, " skip_sw");
	fmt_match(&f, &fl->match);
	for (i = 0; i < fl->n_actions; i++) {
		fmt_add(&f, " action");
		action(&f, &fl->actions[i]);
	}
	if (fl->cookie_len) {
		fmt_add(&f, " cookie ");
		for (i = 0; i < fl->cookie_len && i < sizeof(fl->cookie); i++)
			fmt_add(&f, "%02x", fl->cookie[i]);
	}
	return f.len;
}
