/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Action programs, run on the packet in place.  Checksums are patched
 * incrementally (RFC 1624) like NIC modify-header engines do; an encap
 * computes the outer IPv4 checksum (and the UDP checksum for IPv6 outer
 * headers, where a zero UDP checksum is not allowed by default).
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_meter.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "esw_internal.h"

/* Where the headers actions edit are right now (changes with push/pop/decap). */
struct cur {
	uint16_t l3, l4;
	uint8_t v6, l4p;	/* l4p: IPPROTO_TCP/UDP or 0 */
	uint8_t nvlan;
};

static inline uint16_t
fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return s;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') */
static inline void
csum_repl16(uint8_t *csum, uint16_t old, uint16_t nw)
{
	uint16_t c;

	memcpy(&c, csum, 2);
	c = ~fold((uint16_t)~c + (uint16_t)~old + (uint32_t)nw);
	memcpy(csum, &c, 2);
}

static inline void
csum_repl_bytes(uint8_t *csum, const uint8_t *old, const uint8_t *nw, unsigned int len)
{
	for (unsigned int i = 0; i < len; i += 2) {
		uint16_t o, n;

		memcpy(&o, old + i, 2);
		memcpy(&n, nw + i, 2);
		csum_repl16(csum, o, n);
	}
}

/* The L4 checksum field, or NULL when there is none to keep right. */
static uint8_t *
l4_csum(uint8_t *d, const struct cur *c, bool *udp)
{
	*udp = false;
	if (c->l4 == 0)
		return NULL;
	if (c->l4p == IPPROTO_TCP)
		return d + c->l4 + offsetof(struct rte_tcp_hdr, cksum);
	if (c->l4p == IPPROTO_UDP) {
		uint8_t *cs = d + c->l4 + offsetof(struct rte_udp_hdr, dgram_cksum);

		*udp = true;
		if (cs[0] == 0 && cs[1] == 0 && !c->v6)
			return NULL;	/* IPv4 UDP without checksum stays without */
		return cs;
	}
	return NULL;
}

static void
l4_fix_zero(uint8_t *cs, bool udp)
{
	if (udp && cs[0] == 0 && cs[1] == 0)
		cs[0] = cs[1] = 0xff;
}

static void
rewrite(uint8_t *d, const struct cur *c, unsigned int off, const void *nw, unsigned int len,
	bool ip_hdr_csum, bool pseudo)
{
	uint8_t old[16];
	uint8_t *cs;
	bool udp;

	memcpy(old, d + off, len);
	memcpy(d + off, nw, len);
	if (ip_hdr_csum)
		csum_repl_bytes(d + c->l3 + offsetof(struct rte_ipv4_hdr, hdr_checksum), old, nw, len);
	if (pseudo && (cs = l4_csum(d, c, &udp)) != NULL) {
		csum_repl_bytes(cs, old, nw, len);
		l4_fix_zero(cs, udp);
	}
}

static void
shift_offsets(struct sim_pkt *p, struct cur *c, int delta)
{
	if (c->l3)
		c->l3 += delta;
	if (c->l4)
		c->l4 += delta;
	if (p->pi.tun)
		p->pi.tun += delta;
	if (p->pi.in_l2)
		p->pi.in_l2 += delta;
	if (p->pi.in_l3)
		p->pi.in_l3 += delta;
	if (p->pi.in_l4)
		p->pi.in_l4 += delta;
}

static void
drop_pkt(struct sim_pkt *p)
{
	p->verdict = SIM_V_DROP;
}

static bool
do_encap(struct rte_mbuf *m, struct sim_pkt *p, const struct sim_op *op, const uint8_t *tmpl)
{
	uint32_t inner = rte_pktmbuf_pkt_len(m), L = op->data_len;
	bool v6 = op->idx & 1;
	uint16_t l3 = 14 + ((op->idx & 2) ? 4 : 0);
	uint16_t l4 = l3 + (v6 ? 40 : 20);
	uint8_t *d;
	struct rte_udp_hdr *uh;

	d = (uint8_t *)rte_pktmbuf_prepend(m, L);
	if (d == NULL)
		return false;
	memcpy(d, tmpl, L);
	uh = (struct rte_udp_hdr *)(d + l4);
	uh->dgram_len = rte_cpu_to_be_16(L - l4 + inner);
	if (uh->src_port == 0) {
		/* entropy from the inner flow, in the dynamic port range (RFC 7348) */
		const struct sim_key *k = &p->key;
		uint32_t h = rte_hash_crc_8byte(k->w[1], k->w[0]);

		h = rte_hash_crc_8byte(k->w[2], h);
		h = rte_hash_crc_8byte(k->w[11] ^ k->w[13], h);
		h = rte_hash_crc_8byte(k->w[12] ^ k->w[14], h);
		uh->src_port = rte_cpu_to_be_16(49152 | (h & 0x3fff));
	}
	if (!v6) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + l3);

		ip->total_length = rte_cpu_to_be_16(L - l3 + inner);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(d + l3);

		ip->payload_len = rte_cpu_to_be_16(L - l4 + inner);
		uh->dgram_cksum = 0;
		uh->dgram_cksum = rte_ipv6_udptcp_cksum(ip, uh);
	}
	m->packet_type = 0;
	return true;
}

/* DEC_TTL: returns false when the TTL is exhausted (software must answer). */
static bool
do_dec_ttl(uint8_t *d, const struct cur *c)
{
	if (c->l3 == 0)
		return true;
	if (!c->v6) {
		uint8_t *ttl = d + c->l3 + offsetof(struct rte_ipv4_hdr, time_to_live);
		uint16_t o, n;

		if (*ttl <= 1)
			return false;
		memcpy(&o, ttl, 2);	/* ttl + proto word */
		(*ttl)--;
		memcpy(&n, ttl, 2);
		csum_repl16(d + c->l3 + offsetof(struct rte_ipv4_hdr, hdr_checksum), o, n);
	} else {
		uint8_t *hl = d + c->l3 + offsetof(struct rte_ipv6_hdr, hop_limits);

		if (*hl <= 1)
			return false;
		(*hl)--;
	}
	return true;
}

static void
do_meter(struct sim_esw *esw, struct rte_mbuf *m, struct sim_pkt *p, uint32_t id, uint64_t now)
{
	struct sim_meter *mt = __atomic_load_n(&esw->meters[id], __ATOMIC_ACQUIRE);
	uint32_t len = rte_pktmbuf_pkt_len(m);
	enum rte_color col;
	enum dpu_hal_meter_verdict v;

	if (mt == NULL)
		return;
	if (mt->conf.alg == DPU_HAL_METER_SRTCM)
		col = rte_meter_srtcm_color_blind_check(&mt->s, &mt->sp, now, len);
	else
		col = rte_meter_trtcm_color_blind_check(&mt->t, &mt->tp, now, len);
	v = col == RTE_COLOR_GREEN ? mt->conf.green :
	    col == RTE_COLOR_YELLOW ? mt->conf.yellow : mt->conf.red;
	__atomic_store_n(&mt->st.pkts[col], mt->st.pkts[col] + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&mt->st.bytes[col], mt->st.bytes[col] + len, __ATOMIC_RELAXED);
	if (v == DPU_HAL_METER_DROP) {
		__atomic_store_n(&mt->st.dropped, mt->st.dropped + 1, __ATOMIC_RELAXED);
		p->verdict = SIM_V_DROP;
		p->sw_reason = SIM_DROP_BY_METER;	/* counted apart */
	}
}

static void
do_sample(struct sim_esw_worker *wk, struct rte_mbuf *m, struct sim_pkt *p,
	  const struct sim_op *op, struct sim_esw_out *out)
{
	struct sim_esw *esw = wk->esw;
	struct rte_mbuf *c;

	if (op->u32 > 1 && (wk->sample_ctr++ % op->u32) != 0)
		return;
	/* no pool once the card's I/O stopped: the copy is lost, counted */
	c = esw->conf.pool ? rte_pktmbuf_copy(m, esw->conf.pool, 0, UINT32_MAX) : NULL;
	if (c == NULL) {
		SIM_STAT_ADD(wk, sample_fail, 1);
		return;
	}
	c->port = m->port;
	if (op->idx == SIM_FATE_PORT) {
		if (out->n >= out->cap) {
			rte_pktmbuf_free(c);
			SIM_STAT_ADD(wk, drop_out_full, 1);
			return;
		}
		out->pkts[out->n] = c;
		out->port[out->n++] = op->u16;
		SIM_STAT_ADD(wk, tx, 1);
	} else {
		sim_to_sw(wk, c, p, SIM_SW_SAMPLE, op->u16, op->mask);
	}
}

void
sim_actions_run(struct sim_esw_worker *wk, struct rte_mbuf *m, struct sim_pkt *p,
		const struct sim_prog *prog, struct sim_esw_out *out, uint64_t now)
{
	const uint8_t *data = sim_prog_data(prog);
	struct sim_key *k = &p->key;
	struct cur c = {
		.l3 = p->pi.l3, .l4 = p->pi.l4, .v6 = !!(k->layers & SIM_L_IPV6),
		.l4p = (k->layers & SIM_L_TCP) ? IPPROTO_TCP :
		       (k->layers & SIM_L_UDP) ? IPPROTO_UDP : 0,
		.nvlan = p->pi.nvlan,
	};
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);

	for (unsigned int i = 0; i < prog->nops; i++) {
		const struct sim_op *op = &prog->ops[i];

		switch (op->code) {
		case SIM_OP_MARK:
			k->mark = op->u32;
			m->hash.fdir.hi = op->u32;
			m->ol_flags |= RTE_MBUF_F_RX_FDIR | RTE_MBUF_F_RX_FDIR_ID;
			break;
		case SIM_OP_SET_META:
			k->meta = (k->meta & ~op->mask) | op->u32;
			break;
		case SIM_OP_SET_TAG:
			k->tag[op->idx] = (k->tag[op->idx] & ~op->mask) | op->u32;
			break;
		case SIM_OP_PUSH_VLAN: {
			uint16_t tci = op->u32;

			d = (uint8_t *)rte_pktmbuf_prepend(m, 4);
			if (d == NULL) {
				SIM_STAT_ADD(wk, drop_no_headroom, 1);
				drop_pkt(p);
				return;
			}
			memmove(d, d + 4, 12);
			memcpy(d + 12, &op->u16, 2);
			memcpy(d + 14, &tci, 2);
			shift_offsets(p, &c, 4);
			c.nvlan++;
			break;
		}
		case SIM_OP_POP_VLAN:
			if (c.nvlan == 0)
				break;
			memmove(d + 4, d, 12);
			d = (uint8_t *)rte_pktmbuf_adj(m, 4);
			shift_offsets(p, &c, -4);
			c.nvlan--;
			break;
		case SIM_OP_SET_VLAN_VID:
		case SIM_OP_SET_VLAN_PCP: {
			uint16_t tci;

			if (c.nvlan == 0)
				break;
			memcpy(&tci, d + 14, 2);
			tci = rte_be_to_cpu_16(tci);
			if (op->code == SIM_OP_SET_VLAN_VID)
				tci = (tci & 0xf000) | rte_be_to_cpu_16(op->u16);
			else
				tci = (tci & 0x1fff) | (op->u16 << 13);
			tci = rte_cpu_to_be_16(tci);
			memcpy(d + 14, &tci, 2);
			break;
		}
		case SIM_OP_ENCAP:
			if (!do_encap(m, p, op, data + op->data_off)) {
				SIM_STAT_ADD(wk, drop_no_headroom, 1);
				drop_pkt(p);
				return;
			}
			d = rte_pktmbuf_mtod(m, uint8_t *);
			break;
		case SIM_OP_DECAP: {
			uint16_t in = p->pi.in_l2;

			if (in == 0)
				break;
			d = (uint8_t *)rte_pktmbuf_adj(m, in);
			c.l3 = p->pi.in_l3 ? p->pi.in_l3 - in : 0;
			c.l4 = p->pi.in_l4 ? p->pi.in_l4 - in : 0;
			c.v6 = !!(k->in_layers & SIM_IL_IPV6);
			c.l4p = (k->in_layers & SIM_IL_TCP) ? IPPROTO_TCP :
				(k->in_layers & SIM_IL_UDP) ? IPPROTO_UDP : 0;
			c.nvlan = 0;
			p->pi.tun = p->pi.in_l2 = p->pi.in_l3 = p->pi.in_l4 = 0;
			m->packet_type = 0;
			break;
		}
		case SIM_OP_SET_MAC_SRC:
			memcpy(d + 6, data + op->data_off, 6);
			break;
		case SIM_OP_SET_MAC_DST:
			memcpy(d, data + op->data_off, 6);
			break;
		case SIM_OP_SET_IPV4_SRC:
		case SIM_OP_SET_IPV4_DST:
			if (c.l3 == 0 || c.v6)
				break;
			rewrite(d, &c, c.l3 + (op->code == SIM_OP_SET_IPV4_SRC ?
					       offsetof(struct rte_ipv4_hdr, src_addr) :
					       offsetof(struct rte_ipv4_hdr, dst_addr)),
				&op->u32, 4, true, true);
			break;
		case SIM_OP_SET_IPV6_SRC:
		case SIM_OP_SET_IPV6_DST:
			if (c.l3 == 0 || !c.v6)
				break;
			rewrite(d, &c, c.l3 + (op->code == SIM_OP_SET_IPV6_SRC ?
					       offsetof(struct rte_ipv6_hdr, src_addr) :
					       offsetof(struct rte_ipv6_hdr, dst_addr)),
				data + op->data_off, 16, false, true);
			break;
		case SIM_OP_SET_TP_SRC:
		case SIM_OP_SET_TP_DST:
			if (c.l4 == 0 || c.l4p == 0)
				break;
			rewrite(d, &c, c.l4 + (op->code == SIM_OP_SET_TP_SRC ? 0 : 2),
				&op->u16, 2, false, true);
			break;
		case SIM_OP_DEC_TTL:
			if (!do_dec_ttl(d, &c)) {
				p->verdict = SIM_V_TO_SW;
				p->sw_reason = SIM_SW_TTL;
				return;
			}
			break;
		case SIM_OP_METER:
			do_meter(wk->esw, m, p, op->u32, now);
			if (p->verdict == SIM_V_DROP)
				return;
			break;
		case SIM_OP_SAMPLE:
			do_sample(wk, m, p, op, out);
			break;
		default:
			break;
		}
	}
}
