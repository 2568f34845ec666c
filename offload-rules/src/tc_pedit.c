// SPDX-License-Identifier: BSD-3-Clause
/*
 * pedit (extended keys) -> SET_FIELD / DEC_TTL.
 *
 * A pedit key is a 32-bit word at a header offset: word = (word & mask) ^
 * val ("set"), or word = (word & mask) | ((word + val) & ~mask) ("add").
 * We replay all keys of one action onto a per-header overlay of changed
 * bits and values, then cut the overlay into the fields the ABI knows.
 * Any changed bit outside those fields refuses the whole rule, as does the
 * legacy non-extended form (offsets relative to "the network header",
 * which mlx5 refuses too).
 */
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_csum.h>
#include <linux/tc_act/tc_pedit.h>
#include <string.h>

#include "tc_nl.h"

#define HDR_MAX 40 /* the IPv6 fixed header is the longest we rewrite */

static const struct tc_attr pedit_attrs[TCA_PEDIT_MAX + 1] = {
	[TCA_PEDIT_TM] = { "TCA_PEDIT_TM", TC_A_FIXED, TC_SKIP, sizeof(struct tcf_t), NULL },
	[TCA_PEDIT_PARMS] = { "TCA_PEDIT_PARMS", TC_A_MIN, TC_REFUSE,
			      sizeof(struct tc_pedit_sel),
			      "legacy pedit (offsets relative to the network header) is not offloadable; use 'pedit ex'" },
	[TCA_PEDIT_PAD] = { "TCA_PEDIT_PAD", TC_A_MIN, TC_SKIP, 0, NULL },
	[TCA_PEDIT_PARMS_EX] = { "TCA_PEDIT_PARMS_EX", TC_A_MIN, TC_USE,
				 sizeof(struct tc_pedit_sel), NULL },
	[TCA_PEDIT_KEYS_EX] = { "TCA_PEDIT_KEYS_EX", TC_A_NESTED, TC_USE, 0, NULL },
};

static const struct tc_attr key_ex_attrs[TCA_PEDIT_KEY_EX_MAX + 1] = {
	[TCA_PEDIT_KEY_EX_HTYPE] = { "TCA_PEDIT_KEY_EX_HTYPE", TC_A_FIXED, TC_USE, 2, NULL },
	[TCA_PEDIT_KEY_EX_CMD] = { "TCA_PEDIT_KEY_EX_CMD", TC_A_FIXED, TC_USE, 2, NULL },
};

static const char *const htype_name[] = {
	"network", "eth", "ip4", "ip6", "tcp", "udp",
};

struct overlay {
	uint8_t val[HDR_MAX];
	uint8_t chg[HDR_MAX]; /* bits this action rewrites */
	bool dec_ttl;
};

struct field {
	uint8_t htype, off, len, id;
};

/* Byte ranges that are whole ABI fields (DSCP is handled apart). */
static const struct field fields[] = {
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, 0, 6, DPU_ABI_FIELD_ETH_DST },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, 6, 6, DPU_ABI_FIELD_ETH_SRC },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, 8, 1, DPU_ABI_FIELD_IP_TTL },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, 12, 4, DPU_ABI_FIELD_IPV4_SRC },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, 16, 4, DPU_ABI_FIELD_IPV4_DST },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_IP6, 7, 1, DPU_ABI_FIELD_IP_TTL },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_IP6, 8, 16, DPU_ABI_FIELD_IPV6_SRC },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_IP6, 24, 16, DPU_ABI_FIELD_IPV6_DST },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_TCP, 0, 2, DPU_ABI_FIELD_L4_SRC },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_TCP, 2, 2, DPU_ABI_FIELD_L4_DST },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_UDP, 0, 2, DPU_ABI_FIELD_L4_SRC },
	{ TCA_PEDIT_KEY_EX_HDR_TYPE_UDP, 2, 2, DPU_ABI_FIELD_L4_DST },
};

static struct dpu_rules_action *set_field(struct tc_ctx *c, uint8_t idx,
					  uint8_t id)
{
	struct dpu_rules_action *a;

	a = dpu_rules_add_action(c->f, DPU_RULES_ACT_SET_FIELD, idx, c->res);
	if (!a)
		return NULL;
	a->u.set.hdr.type = DPU_ABI_ACT_SET_FIELD;
	a->u.set.hdr.len = sizeof(a->u.set);
	a->u.set.field = id;
	return a;
}

/* The DSCP bits of IPv4 tos (byte 1 bits 7..2) or IPv6 traffic class
 * (byte 0 bits 3..0, byte 1 bits 7..6), as a 6-bit value and mask. */
static void dscp_of(uint8_t ht, const uint8_t *b, uint8_t *out)
{
	if (ht == TCA_PEDIT_KEY_EX_HDR_TYPE_IP4)
		*out = b[1] >> 2;
	else
		*out = (uint8_t)((b[0] & 0x0f) << 2 | b[1] >> 6);
}

static int emit(struct tc_ctx *c, uint8_t idx, uint8_t ht, struct overlay *o,
		uint32_t *need)
{
	uint8_t left[HDR_MAX];
	unsigned int i, b;

	if ((ht == TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 || ht == TCA_PEDIT_KEY_EX_HDR_TYPE_IP6) &&
	    !o->dec_ttl) {
		/* OVS's dec_ttl: the flow matches the TTL exactly and sets it
		 * to that value minus one, which is a decrement (the card
		 * rewrites no TTL, it decrements it). */
		const struct dpu_rules_match *m = &c->f->match;
		bool v4 = ht == TCA_PEDIT_KEY_EX_HDR_TYPE_IP4;
		unsigned int t = v4 ? 8 : 7;
		uint8_t mv = v4 ? m->ipv4.ttl : m->ipv6.hop_limit;
		uint8_t mm = v4 ? m->ipv4_mask.ttl : m->ipv6_mask.hop_limit;

		if (o->chg[t] == 0xff && mm == 0xff && mv >= 2 && o->val[t] == mv - 1) {
			o->chg[t] = 0;
			o->dec_ttl = true;
		}
	}
	if (!o->dec_ttl) {
		for (b = 0; b < HDR_MAX && !o->chg[b]; b++)
			;
		if (b == HDR_MAX)
			return 0;
	}
	memcpy(left, o->chg, sizeof(left));
	if (ht == TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 ||
	    ht == TCA_PEDIT_KEY_EX_HDR_TYPE_IP6) {
		bool v4 = ht == TCA_PEDIT_KEY_EX_HDR_TYPE_IP4;
		uint8_t dm, dv;

		dscp_of(ht, o->chg, &dm);
		if (dm) {
			struct dpu_rules_action *a = set_field(c, idx, DPU_ABI_FIELD_IP_DSCP);

			dscp_of(ht, o->val, &dv);
			if (a) {
				a->u.set.value[0] = dv & dm;
				a->u.set.mask[0] = dm;
			}
			if (v4) {
				left[1] &= 0x03;
			} else {
				left[0] &= 0xf0;
				left[1] &= 0x3f;
			}
		}
		if (v4 && o->dec_ttl)
			left[8] = 0;
		if (!v4 && o->dec_ttl)
			left[7] = 0;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];
		struct dpu_rules_action *a;
		bool any = false;

		if (f->htype != ht)
			continue;
		for (b = 0; b < f->len; b++)
			any |= o->chg[f->off + b] != 0;
		if (!any)
			continue;
		a = set_field(c, idx, f->id);
		for (b = 0; a && b < f->len; b++) {
			a->u.set.mask[b] = o->chg[f->off + b];
			a->u.set.value[b] = o->val[f->off + b] & o->chg[f->off + b];
		}
		memset(left + f->off, 0, f->len);
	}
	for (b = 0; b < HDR_MAX; b++)
		if (left[b])
			return tc_refuse(c, "action %u: pedit %s offset %u mask 0x%02x: no ABI field there",
					 idx, htype_name[ht], b, left[b]);
	if (o->dec_ttl) {
		if (dpu_rules_add_action(c->f, DPU_RULES_ACT_DEC_TTL, idx, c->res) == NULL)
			return 0;
	}

	switch (ht) {
	case TCA_PEDIT_KEY_EX_HDR_TYPE_IP4:
		*need |= TCA_CSUM_UPDATE_FLAG_IPV4HDR;
		for (b = 12; b < 20; b++)
			if (o->chg[b])
				*need |= TC_CSUM_NEED_L4; /* pseudo-header */
		break;
	case TCA_PEDIT_KEY_EX_HDR_TYPE_IP6:
		for (b = 8; b < 40; b++)
			if (o->chg[b])
				*need |= TC_CSUM_NEED_L4;
		break;
	case TCA_PEDIT_KEY_EX_HDR_TYPE_TCP:
		*need |= TCA_CSUM_UPDATE_FLAG_TCP;
		break;
	case TCA_PEDIT_KEY_EX_HDR_TYPE_UDP:
		*need |= TCA_CSUM_UPDATE_FLAG_UDP;
		break;
	}
	return 0;
}

/* "add" is offloadable only as TTL/hop-limit minus one. */
static int add_key(struct tc_ctx *c, uint8_t idx, uint8_t ht,
		   const struct tc_pedit_key *k, struct overlay *o)
{
	const uint8_t *m = (const uint8_t *)&k->mask, *v = (const uint8_t *)&k->val;
	unsigned int ttl_off = ht == TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 ? 8 : 7;
	unsigned int b, tb;

	if ((ht != TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 &&
	     ht != TCA_PEDIT_KEY_EX_HDR_TYPE_IP6) ||
	    k->off != (ttl_off & ~3u))
		goto refuse;
	tb = ttl_off & 3;
	for (b = 0; b < 4; b++) {
		if (b == tb ? (m[b] != 0 || v[b] != 0xff) : (m[b] != 0xff || v[b]))
			goto refuse;
	}
	if (o->chg[ttl_off])
		return tc_refuse(c, "action %u: pedit both sets and decrements the TTL", idx);
	o->dec_ttl = true;
	return 0;
refuse:
	return tc_refuse(c, "action %u: pedit add on %s offset %u is only offloadable as ttl/hoplimit add 255 (decrement)",
			 idx, htype_name[ht], k->off);
}

static int set_key(struct tc_ctx *c, uint8_t idx, uint8_t ht,
		   const struct tc_pedit_key *k, struct overlay *o)
{
	const uint8_t *m = (const uint8_t *)&k->mask, *v = (const uint8_t *)&k->val;
	unsigned int b;

	for (b = 0; b < 4; b++) {
		if (v[b] & m[b])
			return tc_refuse(c, "action %u: pedit key at %s offset %u flips kept bits (xor)",
					 idx, htype_name[ht], k->off);
		o->chg[k->off + b] |= (uint8_t)~m[b];
		o->val[k->off + b] = (uint8_t)((o->val[k->off + b] & m[b]) | v[b]);
	}
	if (o->dec_ttl &&
	    o->chg[ht == TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 ? 8 : 7])
		return tc_refuse(c, "action %u: pedit both sets and decrements the TTL", idx);
	return 0;
}

int tc_pedit(struct tc_ctx *c, const struct nlattr *opts, uint8_t idx,
	     int *verdict, uint32_t *csum_need)
{
	struct nlattr *tb[TCA_PEDIT_MAX + 1], *ktb[TCA_PEDIT_KEY_EX_MAX + 1];
	struct overlay ov[TCA_PEDIT_HDR_TYPE_MAX + 1];
	const struct tc_pedit_key *keys;
	struct tc_pedit_sel sel;
	const struct nlattr *a;
	unsigned int n = 0, i;
	int rem, err, len;

	err = tc_parse_nested(c, tb, TCA_PEDIT_MAX, opts, pedit_attrs,
			      "pedit TCA_ACT_OPTIONS");
	if (err)
		return err;
	*verdict = TC_ACT_PIPE;
	if (!tb[TCA_PEDIT_PARMS_EX]) {
		if (!tb[TCA_PEDIT_PARMS])
			return tc_malformed(c, "TCA_PEDIT_PARMS_EX: missing");
		return 0; /* refused by the table: legacy pedit */
	}
	len = nla_len(tb[TCA_PEDIT_PARMS_EX]);
	tc_get(tb[TCA_PEDIT_PARMS_EX], &sel, sizeof(sel));
	*verdict = sel.action;
	if (sel.nkeys == 0)
		return tc_malformed(c, "TCA_PEDIT_PARMS_EX: no keys");
	if ((size_t)len != sizeof(sel) + sel.nkeys * sizeof(struct tc_pedit_key))
		return tc_malformed(c, "TCA_PEDIT_PARMS_EX: %d bytes for %u keys (expected %zu)",
				    len, sel.nkeys,
				    sizeof(sel) + sel.nkeys * sizeof(struct tc_pedit_key));
	if (!tb[TCA_PEDIT_KEYS_EX])
		return tc_malformed(c, "TCA_PEDIT_KEYS_EX: missing with TCA_PEDIT_PARMS_EX");
	keys = (const struct tc_pedit_key *)((const uint8_t *)nla_data(tb[TCA_PEDIT_PARMS_EX]) +
					     sizeof(sel));
	memset(ov, 0, sizeof(ov));

	/* KEYS_EX is a list of KEY_EX nests, one per key, in key order. */
	nla_for_each_nested(a, tb[TCA_PEDIT_KEYS_EX], rem) {
		struct tc_pedit_key k;
		uint16_t ht, cmd;

		if (nla_type(a) != TCA_PEDIT_KEY_EX)
			return tc_malformed(c, "TCA_PEDIT_KEYS_EX: entry of type %d", nla_type(a));
		if (n >= sel.nkeys)
			return tc_malformed(c, "TCA_PEDIT_KEYS_EX: more entries than the %u keys",
					    sel.nkeys);
		err = tc_parse_nested(c, ktb, TCA_PEDIT_KEY_EX_MAX, a,
				      key_ex_attrs, "TCA_PEDIT_KEY_EX");
		if (err)
			return err;
		if (!ktb[TCA_PEDIT_KEY_EX_HTYPE] || !ktb[TCA_PEDIT_KEY_EX_CMD])
			return tc_malformed(c, "TCA_PEDIT_KEY_EX: htype and cmd are required");
		ht = nla_get_u16(ktb[TCA_PEDIT_KEY_EX_HTYPE]);
		cmd = nla_get_u16(ktb[TCA_PEDIT_KEY_EX_CMD]);
		if (ht > TCA_PEDIT_HDR_TYPE_MAX)
			return tc_malformed(c, "TCA_PEDIT_KEY_EX_HTYPE: %u unknown", ht);
		if (cmd > TCA_PEDIT_CMD_MAX)
			return tc_malformed(c, "TCA_PEDIT_KEY_EX_CMD: %u unknown", cmd);
		memcpy(&k, &keys[n], sizeof(k));
		n++;
		if (ht == TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK) {
			tc_refuse(c, "action %u: pedit key without a header type (network-relative)", idx);
			continue;
		}
		if (k.at || k.offmask || k.shift) {
			tc_refuse(c, "action %u: pedit key with a variable offset (at/offmask)", idx);
			continue;
		}
		if (k.off % 4 || k.off > HDR_MAX - 4) {
			tc_refuse(c, "action %u: pedit %s offset %u outside the fields the card rewrites",
				  idx, htype_name[ht], k.off);
			continue;
		}
		err = cmd == TCA_PEDIT_KEY_EX_CMD_ADD ?
			add_key(c, idx, (uint8_t)ht, &k, &ov[ht]) :
			set_key(c, idx, (uint8_t)ht, &k, &ov[ht]);
		if (err)
			return err;
	}
	if (rem)
		return tc_malformed(c, "TCA_PEDIT_KEYS_EX: %d trailing bytes", rem);
	if (n != sel.nkeys)
		return tc_malformed(c, "TCA_PEDIT_KEYS_EX: %u entries for %u keys", n, sel.nkeys);
	for (i = TCA_PEDIT_KEY_EX_HDR_TYPE_ETH; i <= TCA_PEDIT_HDR_TYPE_MAX; i++) {
		err = emit(c, idx, (uint8_t)i, &ov[i], csum_need);
		if (err)
			return err;
	}
	return 0;
}
