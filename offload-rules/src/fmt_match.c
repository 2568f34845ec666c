// SPDX-License-Identifier: BSD-3-Clause
/* Printing a match in tc flower's words (shared by both printers). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"

void fmt_add(struct fmt *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(f->len < f->cap ? f->buf + f->len : NULL,
		      f->len < f->cap ? f->cap - f->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		f->len += (size_t)n;
}

static bool all(const uint8_t *m, size_t n, uint8_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (m[i] != v)
			return false;
	return true;
}

/* Prefix length of a contiguous mask, -1 if not contiguous. */
static int prefix_len(const uint8_t *m, size_t n)
{
	size_t i;
	int bits = 0, b;
	bool end = false;

	for (i = 0; i < n; i++) {
		for (b = 7; b >= 0; b--) {
			if (m[i] & (1u << b)) {
				if (end)
					return -1;
				bits++;
			} else {
				end = true;
			}
		}
	}
	return bits;
}

static void value(struct fmt *f, enum fmt_kind k, const uint8_t *v, size_t n)
{
	char a[INET6_ADDRSTRLEN];
	size_t i;
	uint64_t x = 0;

	switch (k) {
	case FMT_MAC:
		fmt_add(f, "%02x:%02x:%02x:%02x:%02x:%02x", v[0], v[1], v[2],
			v[3], v[4], v[5]);
		return;
	case FMT_IP4:
		fmt_add(f, "%s", inet_ntop(AF_INET, v, a, sizeof(a)));
		return;
	case FMT_IP6:
		fmt_add(f, "%s", inet_ntop(AF_INET6, v, a, sizeof(a)));
		return;
	case FMT_DEC:
		for (i = 0; i < n; i++)
			x = x << 8 | v[i];
		fmt_add(f, "%llu", (unsigned long long)x);
		return;
	case FMT_HEX:
		fmt_add(f, "0x");
		for (i = 0; i < n; i++)
			fmt_add(f, "%02x", v[i]);
		return;
	}
}

void fmt_field(struct fmt *f, const char *name, enum fmt_kind k,
	       const void *vp, const void *mp, size_t n)
{
	const uint8_t *v = vp, *m = mp;
	int pl;

	if (m && all(m, n, 0))
		return;
	fmt_add(f, " %s ", name);
	value(f, k, v, n);
	if (!m || all(m, n, 0xff))
		return;
	if ((k == FMT_IP4 || k == FMT_IP6) && (pl = prefix_len(m, n)) >= 0) {
		fmt_add(f, "/%d", pl);
		return;
	}
	fmt_add(f, "/");
	value(f, k == FMT_DEC ? FMT_HEX : k, m, n);
}

static void ct_state(struct fmt *f, uint16_t s, uint16_t m)
{
	static const char *const names[] = { "new", "est", "rel", "trk",
					     "inv", "rpl" };
	unsigned int i;

	if (!m)
		return;
	fmt_add(f, " ct_state ");
	for (i = 0; i < 6; i++)
		if (m & (1u << i))
			fmt_add(f, "%c%s", s & (1u << i) ? '+' : '-', names[i]);
}

static void ip_flags(struct fmt *f, uint8_t v, uint8_t m)
{
	const char *sep = "";

	if (!m)
		return;
	fmt_add(f, " ip_flags ");
	if (m & DPU_ABI_IPF_FRAG) {
		fmt_add(f, "%sfrag", v & DPU_ABI_IPF_FRAG ? "" : "no");
		sep = "/";
	}
	if (m & DPU_ABI_IPF_FIRSTFRAG)
		fmt_add(f, "%s%sfirstfrag", sep,
			v & DPU_ABI_IPF_FIRSTFRAG ? "" : "no");
}

static void vlan(struct fmt *f, const char *pfx,
		 const struct dpu_abi_item_vlan *v,
		 const struct dpu_abi_item_vlan *m)
{
	uint16_t tci = ntohs(v->tci), tm = ntohs(m->tci);

	fmt_add(f, " %svlan_tpid 0x%04x", pfx, ntohs(v->tpid));
	if (tm & 0x0fff) {
		fmt_add(f, " %svlan_id %u", pfx, tci & 0x0fff);
		if ((tm & 0x0fff) != 0x0fff)
			fmt_add(f, "/0x%03x", tm & 0x0fff);
	}
	if (tm & 0xe000)
		fmt_add(f, " %svlan_prio %u", pfx, tci >> 13);
}

void fmt_match(struct fmt *f, const struct dpu_rules_match *m)
{
#define HAS(x) dpu_rules_has_item(m, DPU_ABI_ITEM_##x)
	if (HAS(PORT))
		fmt_add(f, " in_port %u", m->port.port_id);
	/* metadata the card's own actions set (not from tc) */
	if (HAS(META))
		fmt_add(f, " meta 0x%x/0x%x", m->meta.data, m->meta_mask.data);
	if (HAS(TAG))
		fmt_add(f, " tag[%u] 0x%x/0x%x", m->tag.index, m->tag.data, m->tag_mask.data);
	if (HAS(MARK))
		fmt_add(f, " mark 0x%x/0x%x", m->mark.id, m->mark_mask.id);
	if (HAS(TUNNEL)) {
		const struct dpu_abi_item_tunnel *t = &m->tunnel, *tm = &m->tunnel_mask;
		enum fmt_kind k = t->ip_version == 6 ? FMT_IP6 : FMT_IP4;
		size_t n = t->ip_version == 6 ? 16 : 4;

		if (tm->type)
			fmt_add(f, " enc_type %s", t->type == DPU_ABI_TUNNEL_VXLAN ?
				"vxlan" : t->type == DPU_ABI_TUNNEL_GENEVE ?
				"geneve" : "?");
		fmt_field(f, "enc_src_ip", k, t->src, tm->src, n);
		fmt_field(f, "enc_dst_ip", k, t->dst, tm->dst, n);
		if (tm->vni)
			fmt_add(f, " enc_key_id %u", ntohl(t->vni));
		fmt_field(f, "enc_src_port", FMT_DEC, &t->src_port, &tm->src_port, 2);
		fmt_field(f, "enc_dst_port", FMT_DEC, &t->dst_port, &tm->dst_port, 2);
		fmt_field(f, "enc_tos", FMT_HEX, &t->tos, &tm->tos, 1);
		fmt_field(f, "enc_ttl", FMT_DEC, &t->ttl, &tm->ttl, 1);
	}
	if (HAS(GENEVE_OPT)) {
		const struct dpu_abi_item_geneve_opt *g = &m->geneve_opt;
		const struct dpu_abi_item_geneve_opt *gm = &m->geneve_opt_mask;
		unsigned int i;

		fmt_add(f, " enc_opts geneve %04x:%02x:", ntohs(g->opt_class),
			g->opt_type);
		for (i = 0; i < g->opt_len * 4u; i++)
			fmt_add(f, "%02x", g->data[i]);
		fmt_add(f, "/%04x:%02x:", ntohs(gm->opt_class), gm->opt_type);
		for (i = 0; i < g->opt_len * 4u; i++)
			fmt_add(f, "%02x", gm->data[i]);
	}
	if (HAS(ETH)) {
		fmt_field(f, "dst_mac", FMT_MAC, m->eth.dst, m->eth_mask.dst, 6);
		fmt_field(f, "src_mac", FMT_MAC, m->eth.src, m->eth_mask.src, 6);
		if (m->eth_mask.ether_type)
			fmt_add(f, " eth_type 0x%04x", ntohs(m->eth.ether_type));
	}
	if (HAS(VLAN))
		vlan(f, "", &m->vlan, &m->vlan_mask);
	if (HAS(VLAN_INNER))
		vlan(f, "c", &m->cvlan, &m->cvlan_mask);
	if (HAS(ARP)) {
		fmt_field(f, "arp_op", FMT_DEC, &m->arp.op, &m->arp_mask.op, 2);
		fmt_field(f, "arp_sip", FMT_IP4, m->arp.spa, m->arp_mask.spa, 4);
		fmt_field(f, "arp_tip", FMT_IP4, m->arp.tpa, m->arp_mask.tpa, 4);
		fmt_field(f, "arp_sha", FMT_MAC, m->arp.sha, m->arp_mask.sha, 6);
		fmt_field(f, "arp_tha", FMT_MAC, m->arp.tha, m->arp_mask.tha, 6);
	}
	if (HAS(IPV4)) {
		fmt_field(f, "ip_proto", FMT_DEC, &m->ipv4.proto, &m->ipv4_mask.proto, 1);
		fmt_field(f, "src_ip", FMT_IP4, m->ipv4.src, m->ipv4_mask.src, 4);
		fmt_field(f, "dst_ip", FMT_IP4, m->ipv4.dst, m->ipv4_mask.dst, 4);
		fmt_field(f, "ip_tos", FMT_HEX, &m->ipv4.tos, &m->ipv4_mask.tos, 1);
		fmt_field(f, "ip_ttl", FMT_DEC, &m->ipv4.ttl, &m->ipv4_mask.ttl, 1);
		ip_flags(f, m->ipv4.ip_flags, m->ipv4_mask.ip_flags);
	}
	if (HAS(IPV6)) {
		fmt_field(f, "ip_proto", FMT_DEC, &m->ipv6.proto, &m->ipv6_mask.proto, 1);
		fmt_field(f, "src_ip", FMT_IP6, m->ipv6.src, m->ipv6_mask.src, 16);
		fmt_field(f, "dst_ip", FMT_IP6, m->ipv6.dst, m->ipv6_mask.dst, 16);
		fmt_field(f, "ip_tos", FMT_HEX, &m->ipv6.tclass, &m->ipv6_mask.tclass, 1);
		fmt_field(f, "ip_ttl", FMT_DEC, &m->ipv6.hop_limit, &m->ipv6_mask.hop_limit, 1);
		fmt_field(f, "flow_label", FMT_HEX, &m->ipv6.flow_label,
			  &m->ipv6_mask.flow_label, 4);
		ip_flags(f, m->ipv6.ip_flags, m->ipv6_mask.ip_flags);
	}
	if (HAS(TCP)) {
		fmt_field(f, "src_port", FMT_DEC, &m->tcp.src_port, &m->tcp_mask.src_port, 2);
		fmt_field(f, "dst_port", FMT_DEC, &m->tcp.dst_port, &m->tcp_mask.dst_port, 2);
		fmt_field(f, "tcp_flags", FMT_HEX, &m->tcp.flags, &m->tcp_mask.flags, 2);
	}
	if (HAS(UDP)) {
		fmt_field(f, "src_port", FMT_DEC, &m->udp.src_port, &m->udp_mask.src_port, 2);
		fmt_field(f, "dst_port", FMT_DEC, &m->udp.dst_port, &m->udp_mask.dst_port, 2);
	}
	if (HAS(SCTP)) {
		fmt_field(f, "src_port", FMT_DEC, &m->sctp.src_port, &m->sctp_mask.src_port, 2);
		fmt_field(f, "dst_port", FMT_DEC, &m->sctp.dst_port, &m->sctp_mask.dst_port, 2);
	}
	if (HAS(ICMP)) {
		fmt_field(f, "type", FMT_DEC, &m->icmp.type, &m->icmp_mask.type, 1);
		fmt_field(f, "code", FMT_DEC, &m->icmp.code, &m->icmp_mask.code, 1);
	}
	if (HAS(ICMP6)) {
		fmt_field(f, "type", FMT_DEC, &m->icmp6.type, &m->icmp6_mask.type, 1);
		fmt_field(f, "code", FMT_DEC, &m->icmp6.code, &m->icmp6_mask.code, 1);
	}
	if (HAS(CT)) {
		uint16_t z = htons(m->ct.zone), zm = htons(m->ct_mask.zone);
		uint32_t mk = htonl(m->ct.mark), mm = htonl(m->ct_mask.mark);

		ct_state(f, m->ct.state, m->ct_mask.state);
		fmt_field(f, "ct_zone", FMT_DEC, &z, &zm, 2);
		fmt_field(f, "ct_mark", FMT_HEX, &mk, &mm, 4);
		fmt_field(f, "ct_label", FMT_HEX, m->ct.label, m->ct_mask.label, 16);
	}
#undef HAS
}
