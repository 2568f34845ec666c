/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Conformance runner: executes the case file generated from
 * conformance.spec (see gen_conformance.py for the language) against the
 * sim eSwitch through the HAL, packet by packet, comparing verdicts,
 * output bytes, counters and aging with what the spec expects.
 *
 * usage: conformance_runner CASES [PCAP_DIR]
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "dpu_hal.h"
#include "esw_test_eal.h"
#include "sim_esw.h"

#define MAX_RULES_NAMED 4096
#define MAX_OUT 16
#define MAX_TOK 64

struct named {
	char name[32];
	struct dpu_hal_flow *flow;
	bool failed;
};

struct outpkt {
	int sw;			/* 0: port output, else sim_sw_reason */
	uint16_t port;
	uint16_t user_reason;
	uint32_t mark;
	uint32_t len;
	uint8_t data[2048];
};

static struct {
	struct rte_mempool *mp;
	struct sim_esw *esw;
	struct sim_esw_worker *wk;
	struct dpu_hal_dev *dev;
	struct named rules[MAX_RULES_NAMED];
	int nrules;
	struct outpkt outs[MAX_OUT];
	int nouts, outpos;
	uint64_t clock;
	char test[96];
	int test_failed;
	int ntests, nfailed, nchecks;
	int lineno;
	int tcount;
	struct sim_pkt_meta meta;
	bool have_meta;
	FILE *pcap;
	const char *pcap_dir;
	/* current rule being assembled */
	struct dpu_hal_item items[DPU_HAL_MAX_ITEMS];
	uint8_t specs[DPU_HAL_MAX_ITEMS][128], masks[DPU_HAL_MAX_ITEMS][128];
	struct dpu_hal_action acts[DPU_HAL_MAX_ACTIONS];
	uint8_t confs[DPU_HAL_MAX_ACTIONS][256];
	struct dpu_hal_action subacts[4];
	uint8_t subconf[64];
} T;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
fail(const char *fmt, ...)
{
	va_list ap;

	if (!T.test_failed)
		T.nfailed++;
	T.test_failed = 1;
	fprintf(stderr, "FAIL [%s] line %d: ", T.test, T.lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int age_events;

static void
on_age(void *arg, void *ctx)
{
	(void)arg;
	(void)ctx;
	age_events++;
}

static uint64_t
fake_clock(void *arg)
{
	(void)arg;
	return __atomic_load_n(&T.clock, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------- parsing */

static int
hexbytes(const char *s, uint8_t *out, int max)
{
	int n = 0;

	while (*s && n < max) {
		unsigned int v;

		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return -1;
		sscanf(s, "%2x", &v);
		out[n++] = v;
		s += 2;
	}
	return *s ? -1 : n;
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

static void
prefix_mask(uint8_t *m, int bytes, int plen)
{
	memset(m, 0, bytes);
	for (int i = 0; i < plen; i++)
		m[i / 8] |= 0x80 >> (i % 8);
}

enum fkind { F_MAC, F_IP4, F_IP6, F_BE16, F_BE32, F_U8, F_U16, F_U32, F_VID, F_PCP };

struct field {
	enum dpu_hal_item_type it;
	const char *name;
	size_t off;
	enum fkind kind;
};

#define FLD(t, s, f, k) { DPU_HAL_ITEM_##t, #f, offsetof(struct dpu_hal_item_##s, f), k }
static const struct field fields[] = {
	FLD(PORT, port, port_id, F_U32),
	FLD(ETH, eth, dst, F_MAC), FLD(ETH, eth, src, F_MAC), FLD(ETH, eth, type, F_BE16),
	FLD(ETH, eth, has_vlan, F_U8),
	FLD(VLAN, vlan, tci, F_BE16), FLD(VLAN, vlan, inner_type, F_BE16),
	FLD(VLAN, vlan, has_more_vlan, F_U8),
	{ DPU_HAL_ITEM_VLAN, "vid", offsetof(struct dpu_hal_item_vlan, tci), F_VID },
	{ DPU_HAL_ITEM_VLAN, "pcp", offsetof(struct dpu_hal_item_vlan, tci), F_PCP },
	FLD(IPV4, ipv4, src, F_IP4), FLD(IPV4, ipv4, dst, F_IP4), FLD(IPV4, ipv4, tos, F_U8),
	FLD(IPV4, ipv4, ttl, F_U8), FLD(IPV4, ipv4, proto, F_U8), FLD(IPV4, ipv4, frag, F_U8),
	FLD(IPV6, ipv6, src, F_IP6), FLD(IPV6, ipv6, dst, F_IP6), FLD(IPV6, ipv6, tc, F_U8),
	FLD(IPV6, ipv6, hop_limit, F_U8), FLD(IPV6, ipv6, proto, F_U8), FLD(IPV6, ipv6, frag, F_U8),
	FLD(TCP, l4, src, F_BE16), FLD(TCP, l4, dst, F_BE16), FLD(TCP, l4, tcp_flags, F_U8),
	FLD(UDP, l4, src, F_BE16), FLD(UDP, l4, dst, F_BE16), FLD(UDP, l4, tcp_flags, F_U8),
	FLD(SCTP, l4, src, F_BE16), FLD(SCTP, l4, dst, F_BE16),
	FLD(ICMP, icmp, type, F_U8), FLD(ICMP, icmp, code, F_U8),
	FLD(ICMP6, icmp, type, F_U8), FLD(ICMP6, icmp, code, F_U8),
	FLD(VXLAN, tunnel, vni, F_U32), FLD(GENEVE, tunnel, vni, F_U32),
	FLD(GENEVE, tunnel, proto, F_BE16),
	FLD(GENEVE_OPT, geneve_opt, opt_class, F_BE16), FLD(GENEVE_OPT, geneve_opt, opt_type, F_U8),
	FLD(GENEVE_OPT, geneve_opt, opt_len, F_U8), FLD(GENEVE_OPT, geneve_opt, data, F_BE32),
	FLD(META, meta, data, F_U32), FLD(TAG, tag, data, F_U32), FLD(TAG, tag, index, F_U8),
	FLD(MARK, mark, id, F_U32),
	FLD(CONNTRACK, ct, state, F_U8), FLD(CONNTRACK, ct, zone, F_U16), FLD(CONNTRACK, ct, mark, F_U32),
};

static const struct {
	const char *name;
	enum dpu_hal_item_type t;
} item_kw[] = {
	{ "port", DPU_HAL_ITEM_PORT }, { "eth", DPU_HAL_ITEM_ETH }, { "vlan", DPU_HAL_ITEM_VLAN },
	{ "ipv4", DPU_HAL_ITEM_IPV4 }, { "ipv6", DPU_HAL_ITEM_IPV6 }, { "tcp", DPU_HAL_ITEM_TCP },
	{ "udp", DPU_HAL_ITEM_UDP }, { "sctp", DPU_HAL_ITEM_SCTP }, { "icmp", DPU_HAL_ITEM_ICMP },
	{ "icmp6", DPU_HAL_ITEM_ICMP6 }, { "vxlan", DPU_HAL_ITEM_VXLAN },
	{ "geneve", DPU_HAL_ITEM_GENEVE }, { "gopt", DPU_HAL_ITEM_GENEVE_OPT },
	{ "meta", DPU_HAL_ITEM_META }, { "tag", DPU_HAL_ITEM_TAG }, { "mark", DPU_HAL_ITEM_MARK },
	{ "ct", DPU_HAL_ITEM_CONNTRACK }, { "void", DPU_HAL_ITEM_VOID },
};

/* name=value[/mask] into spec/mask of item type t */
static int
set_field(enum dpu_hal_item_type t, uint8_t *spec, uint8_t *mask, const char *kv)
{
	char key[32], val[96], *slash;
	const char *eq = strchr(kv, '=');
	const struct field *f = NULL;
	const char *mstr;

	if (eq == NULL || eq - kv >= (int)sizeof(key))
		return -1;
	memcpy(key, kv, eq - kv);
	key[eq - kv] = 0;
	snprintf(val, sizeof(val), "%s", eq + 1);
	if (t == DPU_HAL_ITEM_TCP || t == DPU_HAL_ITEM_UDP || t == DPU_HAL_ITEM_SCTP) {
		if (!strcmp(key, "sport"))
			strcpy(key, "src");
		else if (!strcmp(key, "dport"))
			strcpy(key, "dst");
		else if (!strcmp(key, "flags"))
			strcpy(key, "tcp_flags");
	}
	for (size_t i = 0; i < RTE_DIM(fields); i++)
		if (fields[i].it == t && !strcmp(fields[i].name, key))
			f = &fields[i];
	if (f == NULL)
		return -1;
	slash = strchr(val, '/');
	mstr = NULL;
	if (slash) {
		*slash = 0;
		mstr = slash + 1;
	}
	switch (f->kind) {
	case F_MAC:
		if (parse_mac(val, spec + f->off) < 0)
			return -1;
		if (mstr) {
			if (parse_mac(mstr, mask + f->off) < 0)
				return -1;
		} else {
			memset(mask + f->off, 0xff, 6);
		}
		return 0;
	case F_IP4:
		if (inet_pton(AF_INET, val, spec + f->off) != 1)
			return -1;
		prefix_mask(mask + f->off, 4, mstr ? atoi(mstr) : 32);
		return 0;
	case F_IP6:
		if (inet_pton(AF_INET6, val, spec + f->off) != 1)
			return -1;
		prefix_mask(mask + f->off, 16, mstr ? atoi(mstr) : 128);
		return 0;
	default:
		break;
	}
	{
		unsigned long v = strtoul(val, NULL, 0);
		unsigned long m = mstr ? strtoul(mstr, NULL, 0) : ~0UL;
		uint16_t s16, m16, cur_s, cur_m;
		uint32_t s32, m32;

		switch (f->kind) {
		case F_BE16:
			s16 = rte_cpu_to_be_16(v);
			m16 = rte_cpu_to_be_16(m);
			memcpy(spec + f->off, &s16, 2);
			memcpy(mask + f->off, &m16, 2);
			break;
		case F_BE32:
			s32 = rte_cpu_to_be_32(v);
			m32 = rte_cpu_to_be_32(m);
			memcpy(spec + f->off, &s32, 4);
			memcpy(mask + f->off, &m32, 4);
			break;
		case F_U8:
			spec[f->off] = v;
			mask[f->off] = mstr ? m : 0xff;
			break;
		case F_U16:
			s16 = v;
			m16 = mstr ? m : 0xffff;
			memcpy(spec + f->off, &s16, 2);
			memcpy(mask + f->off, &m16, 2);
			break;
		case F_U32:
			s32 = v;
			m32 = mstr ? m : (t == DPU_HAL_ITEM_VXLAN || t == DPU_HAL_ITEM_GENEVE ?
					  0xffffff : 0xffffffff);
			memcpy(spec + f->off, &s32, 4);
			memcpy(mask + f->off, &m32, 4);
			break;
		case F_VID:
		case F_PCP:
			memcpy(&cur_s, spec + f->off, 2);
			memcpy(&cur_m, mask + f->off, 2);
			cur_s = rte_be_to_cpu_16(cur_s);
			cur_m = rte_be_to_cpu_16(cur_m);
			if (f->kind == F_VID) {
				cur_s = (cur_s & 0xf000) | (v & 0xfff);
				cur_m |= 0x0fff;
			} else {
				cur_s = (cur_s & 0x1fff) | ((v & 7) << 13);
				cur_m |= 0xe000;
			}
			cur_s = rte_cpu_to_be_16(cur_s);
			cur_m = rte_cpu_to_be_16(cur_m);
			memcpy(spec + f->off, &cur_s, 2);
			memcpy(mask + f->off, &cur_m, 2);
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int
tokenize(char *s, char **tok, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(s, " \t", &save); t && n < max; t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	return n;
}

/* items: "eth dst=.. / ipv4 src=.. / tcp" */
static int
parse_items(char *s)
{
	char *tok[MAX_TOK];
	int n = tokenize(s, tok, MAX_TOK), ni = 0;
	bool any = false;

	memset(T.items, 0, sizeof(T.items));
	memset(T.specs, 0, sizeof(T.specs));
	memset(T.masks, 0, sizeof(T.masks));
	for (int i = 0; i < n; i++) {
		if (!strcmp(tok[i], "/"))
			continue;
		if (strchr(tok[i], '=') == NULL) {
			size_t k;

			if (!strcmp(tok[i], "any"))
				continue;
			for (k = 0; k < RTE_DIM(item_kw); k++)
				if (!strcmp(item_kw[k].name, tok[i]))
					break;
			if (k == RTE_DIM(item_kw) || ni >= DPU_HAL_MAX_ITEMS - 1) {
				fail("unknown item '%s'", tok[i]);
				return -1;
			}
			T.items[ni++].type = item_kw[k].t;
			any = false;
			continue;
		}
		if (ni == 0 || set_field(T.items[ni - 1].type, T.specs[ni - 1], T.masks[ni - 1], tok[i]) < 0) {
			fail("bad field '%s'", tok[i]);
			return -1;
		}
		T.items[ni - 1].spec = T.specs[ni - 1];
		T.items[ni - 1].mask = T.masks[ni - 1];
		any = true;
	}
	(void)any;
	T.items[ni].type = DPU_HAL_ITEM_END;
	return 0;
}

static uint32_t
kvnum(char **tok, int n, const char *key, uint32_t def)
{
	size_t kl = strlen(key);

	for (int i = 0; i < n; i++)
		if (!strncmp(tok[i], key, kl) && tok[i][kl] == '=')
			return strtoul(tok[i] + kl + 1, NULL, 0);
	return def;
}

static const char *
kvstr(char **tok, int n, const char *key)
{
	size_t kl = strlen(key);

	for (int i = 0; i < n; i++)
		if (!strncmp(tok[i], key, kl) && tok[i][kl] == '=')
			return tok[i] + kl + 1;
	return NULL;
}

static int
parse_one_action(char **tok, int n, struct dpu_hal_action *a, uint8_t *conf)
{
	const char *k = tok[0];
	uint32_t v1 = n > 1 ? strtoul(tok[1], NULL, 0) : 0;

	memset(conf, 0, 256);
	a->conf = conf;
	if (!strcmp(k, "port")) {
		a->type = DPU_HAL_ACTION_PORT;
		((struct dpu_hal_action_port *)conf)->port_id = v1;
	} else if (!strcmp(k, "drop")) {
		a->type = DPU_HAL_ACTION_DROP;
		a->conf = NULL;
	} else if (!strcmp(k, "jump")) {
		a->type = DPU_HAL_ACTION_JUMP;
		((struct dpu_hal_action_jump *)conf)->group = v1;
	} else if (!strcmp(k, "sw")) {
		struct dpu_hal_action_to_sw *c = (void *)conf;

		a->type = DPU_HAL_ACTION_TO_SW;
		c->reason = v1;
		c->cookie = n > 2 ? strtoul(tok[2], NULL, 0) : 0;
	} else if (!strcmp(k, "count")) {
		a->type = DPU_HAL_ACTION_COUNT;
		a->conf = NULL;
	} else if (!strcmp(k, "mark")) {
		a->type = DPU_HAL_ACTION_MARK;
		((struct dpu_hal_action_mark *)conf)->id = v1;
	} else if (!strcmp(k, "meta")) {
		struct dpu_hal_action_set_meta *c = (void *)conf;
		char *sl = n > 1 ? strchr(tok[1], '/') : NULL;

		a->type = DPU_HAL_ACTION_SET_META;
		c->data = v1;
		c->mask = sl ? strtoul(sl + 1, NULL, 0) : 0xffffffff;
	} else if (!strcmp(k, "tag")) {
		struct dpu_hal_action_set_tag *c = (void *)conf;
		char *sl = n > 2 ? strchr(tok[2], '/') : NULL;

		a->type = DPU_HAL_ACTION_SET_TAG;
		c->index = v1;
		c->data = n > 2 ? strtoul(tok[2], NULL, 0) : 0;
		c->mask = sl ? strtoul(sl + 1, NULL, 0) : 0xffffffff;
	} else if (!strcmp(k, "push_vlan")) {
		struct dpu_hal_action_push_vlan *c = (void *)conf;
		uint16_t tci = (kvnum(tok, n, "pcp", 0) << 13) | kvnum(tok, n, "vid", 0);

		a->type = DPU_HAL_ACTION_PUSH_VLAN;
		c->tpid = rte_cpu_to_be_16(kvnum(tok, n, "tpid", 0x8100));
		c->tci = rte_cpu_to_be_16(tci);
	} else if (!strcmp(k, "pop_vlan")) {
		a->type = DPU_HAL_ACTION_POP_VLAN;
		a->conf = NULL;
	} else if (!strcmp(k, "set_vid")) {
		a->type = DPU_HAL_ACTION_SET_VLAN_VID;
		((struct dpu_hal_action_set_vlan_vid *)conf)->vid = rte_cpu_to_be_16(v1);
	} else if (!strcmp(k, "set_pcp")) {
		a->type = DPU_HAL_ACTION_SET_VLAN_PCP;
		((struct dpu_hal_action_set_vlan_pcp *)conf)->pcp = v1;
	} else if (!strcmp(k, "encap")) {
		struct dpu_hal_action_encap *c = (void *)conf;
		const char *s;

		a->type = DPU_HAL_ACTION_TUNNEL_ENCAP;
		c->type = (n > 1 && !strcmp(tok[1], "geneve")) ? DPU_HAL_TUNNEL_GENEVE :
			  (n > 1 && !strcmp(tok[1], "vxlan")) ? DPU_HAL_TUNNEL_VXLAN : 99;
		if ((s = kvstr(tok, n, "dmac")) && parse_mac(s, c->eth_dst) < 0)
			return -1;
		if ((s = kvstr(tok, n, "smac")) && parse_mac(s, c->eth_src) < 0)
			return -1;
		if ((s = kvstr(tok, n, "src"))) {
			if (strchr(s, ':')) {
				c->is_ipv6 = 1;
				inet_pton(AF_INET6, s, c->ipv6_src);
			} else {
				inet_pton(AF_INET, s, &c->ipv4_src);
			}
		}
		if ((s = kvstr(tok, n, "dst"))) {
			if (strchr(s, ':'))
				inet_pton(AF_INET6, s, c->ipv6_dst);
			else
				inet_pton(AF_INET, s, &c->ipv4_dst);
		}
		c->udp_src = rte_cpu_to_be_16(kvnum(tok, n, "sport", 0));
		c->udp_dst = rte_cpu_to_be_16(kvnum(tok, n, "dport", 0));
		c->vni = kvnum(tok, n, "vni", 0);
		c->ttl = kvnum(tok, n, "ttl", 0);
		c->tos = kvnum(tok, n, "tos", 0);
		c->vlan_tci = rte_cpu_to_be_16(kvnum(tok, n, "vlan", 0));
		if ((s = kvstr(tok, n, "opt"))) {
			int l = hexbytes(s, c->opts, sizeof(c->opts));

			if (l < 0)
				return -1;
			c->opt_len = l;
		}
		if ((s = kvstr(tok, n, "optlen")))
			c->opt_len = strtoul(s, NULL, 0);
	} else if (!strcmp(k, "decap")) {
		a->type = DPU_HAL_ACTION_TUNNEL_DECAP;
		if (n > 1)
			((struct dpu_hal_action_decap *)conf)->type =
				!strcmp(tok[1], "geneve") ? DPU_HAL_TUNNEL_GENEVE : DPU_HAL_TUNNEL_VXLAN;
		else
			a->conf = NULL;
	} else if (!strcmp(k, "set_mac_src") || !strcmp(k, "set_mac_dst")) {
		a->type = k[8] == 's' ? DPU_HAL_ACTION_SET_MAC_SRC : DPU_HAL_ACTION_SET_MAC_DST;
		if (n < 2 || parse_mac(tok[1], conf) < 0)
			return -1;
	} else if (!strcmp(k, "set_ipv4_src") || !strcmp(k, "set_ipv4_dst")) {
		a->type = k[9] == 's' ? DPU_HAL_ACTION_SET_IPV4_SRC : DPU_HAL_ACTION_SET_IPV4_DST;
		if (n < 2 || inet_pton(AF_INET, tok[1], conf) != 1)
			return -1;
	} else if (!strcmp(k, "set_ipv6_src") || !strcmp(k, "set_ipv6_dst")) {
		a->type = k[9] == 's' ? DPU_HAL_ACTION_SET_IPV6_SRC : DPU_HAL_ACTION_SET_IPV6_DST;
		if (n < 2 || inet_pton(AF_INET6, tok[1], conf) != 1)
			return -1;
	} else if (!strcmp(k, "set_tp_src") || !strcmp(k, "set_tp_dst")) {
		a->type = k[7] == 's' ? DPU_HAL_ACTION_SET_TP_SRC : DPU_HAL_ACTION_SET_TP_DST;
		((struct dpu_hal_action_set_tp *)conf)->port = rte_cpu_to_be_16(v1);
	} else if (!strcmp(k, "dec_ttl")) {
		a->type = DPU_HAL_ACTION_DEC_TTL;
		a->conf = NULL;
	} else if (!strcmp(k, "meter")) {
		a->type = DPU_HAL_ACTION_METER;
		((struct dpu_hal_action_meter *)conf)->meter_id = v1;
	} else if (!strcmp(k, "age")) {
		a->type = DPU_HAL_ACTION_AGE;
		((struct dpu_hal_action_age *)conf)->timeout = v1;
	} else if (!strcmp(k, "sample") || !strcmp(k, "mirror")) {
		struct dpu_hal_action_sample *c = (void *)conf;
		bool mirror = k[0] == 'm';
		int fi = mirror ? 1 : 2;

		a->type = DPU_HAL_ACTION_SAMPLE;
		c->ratio = mirror ? 1 : v1;
		c->actions = T.subacts;
		memset(T.subacts, 0, sizeof(T.subacts));
		memset(T.subconf, 0, sizeof(T.subconf));
		if (n > fi && !strcmp(tok[fi], "sw")) {
			T.subacts[0].type = DPU_HAL_ACTION_TO_SW;
			T.subacts[0].conf = T.subconf;
			((struct dpu_hal_action_to_sw *)T.subconf)->reason =
				n > fi + 1 ? strtoul(tok[fi + 1], NULL, 0) : 0;
		} else if (n > fi) {
			T.subacts[0].type = DPU_HAL_ACTION_PORT;
			T.subacts[0].conf = T.subconf;
			((struct dpu_hal_action_port *)T.subconf)->port_id = strtoul(tok[fi], NULL, 0);
		}
		T.subacts[1].type = DPU_HAL_ACTION_END;
	} else if (!strcmp(k, "ipsec")) {
		a->type = DPU_HAL_ACTION_IPSEC_ENCRYPT;
	} else if (!strcmp(k, "ct")) {
		a->type = DPU_HAL_ACTION_CT;
	} else if (!strcmp(k, "void")) {
		a->type = DPU_HAL_ACTION_VOID;
		a->conf = NULL;
	} else {
		return -1;
	}
	return 0;
}

static int
parse_actions(char *s)
{
	char *tok[MAX_TOK];
	int n = tokenize(s, tok, MAX_TOK), na = 0, start = 0;

	memset(T.acts, 0, sizeof(T.acts));
	for (int i = 0; i <= n; i++) {
		if (i == n || !strcmp(tok[i], "/")) {
			if (i > start) {
				if (na >= DPU_HAL_MAX_ACTIONS - 1 ||
				    parse_one_action(tok + start, i - start, &T.acts[na], T.confs[na]) < 0) {
					fail("bad action '%s'", tok[start]);
					return -1;
				}
				na++;
			}
			start = i + 1;
		}
	}
	T.acts[na].type = DPU_HAL_ACTION_END;
	return 0;
}

static int
errno_of(const char *s)
{
	static const struct { const char *n; int e; } tab[] = {
		{ "EINVAL", EINVAL }, { "ENOTSUP", ENOTSUP }, { "ENOSPC", ENOSPC },
		{ "EEXIST", EEXIST }, { "ENOENT", ENOENT }, { "E2BIG", E2BIG },
		{ "EBUSY", EBUSY }, { "EAGAIN", EAGAIN },
	};

	for (size_t i = 0; i < RTE_DIM(tab); i++)
		if (!strcmp(tab[i].n, s))
			return tab[i].e;
	return 0;
}

static struct named *
find_rule(const char *name)
{
	for (int i = 0; i < T.nrules; i++)
		if (!strcmp(T.rules[i].name, name))
			return &T.rules[i];
	return NULL;
}

/* --------------------------------------------------------------- engine */

static void
check_leftovers(void)
{
	if (T.outpos < T.nouts) {
		struct outpkt *o = &T.outs[T.outpos];

		fail("unexpected output: %s %u (%u bytes)", o->sw ? "sw reason" : "port",
		     o->sw ? (unsigned)o->sw : o->port, o->len);
	}
	T.nouts = T.outpos = 0;
}

static void
test_end(void)
{
	check_leftovers();
	if (T.dev) {
		dpu_hal_close(T.dev);
		T.dev = NULL;
	}
	if (T.wk) {
		sim_esw_worker_destroy(T.wk);
		T.wk = NULL;
	}
	if (T.esw) {
		struct rte_mbuf *m;

		while (rte_ring_dequeue(sim_esw_sw_ring(T.esw), (void **)&m) == 0)
			rte_pktmbuf_free(m);
		sim_esw_destroy(T.esw);
		T.esw = NULL;
	}
	if (T.pcap) {
		fclose(T.pcap);
		T.pcap = NULL;
	}
	if (T.test[0]) {
		printf("%s %s\n", T.test_failed ? "not ok" : "ok", T.test);
		T.ntests++;
	}
	T.nrules = 0;
	T.test[0] = 0;
	T.test_failed = 0;
	T.have_meta = false;
}

static void
test_begin(char *name, char **tok, int n)
{
	struct sim_esw_conf cf = {
		.nb_ports = kvnum(tok, n, "ports", 64),
		.max_rules = kvnum(tok, n, "max_rules", 0),
		.max_group_rules = kvnum(tok, n, "max_group_rules", 0),
		.initial_table_size = kvnum(tok, n, "table_size", 16),
		.pool = T.mp,
		.clock = fake_clock,
		.sw_ring_size = 64,
	};
	struct dpu_hal_error err = { 0 };
	char ename[16];

	test_end();
	snprintf(T.test, sizeof(T.test), "%s", name);
	snprintf(ename, sizeof(ename), "t%d", ++T.tcount);
	cf.name = ename;
	T.clock = rte_get_tsc_hz() * 1000;	/* "now" well after 0 */
	if (sim_esw_create(&cf, &T.esw, &err) < 0) {
		fail("sim_esw_create: %s", err.msg);
		return;
	}
	age_events = 0;
	sim_esw_set_age_cb(T.esw, on_age, NULL);
	T.wk = sim_esw_worker_create(T.esw, 0);
	if (T.wk == NULL || sim_esw_hal_attach(T.esw, &T.dev) < 0)
		fail("worker/attach");
}

static void
write_pcap(const uint8_t *d, uint32_t len)
{
	struct { uint32_t s, us, cap, len; } rh = { 0, 0, len, len };

	if (T.pcap == NULL)
		return;
	fwrite(&rh, sizeof(rh), 1, T.pcap);
	fwrite(d, 1, len, T.pcap);
}

static void
copy_out(const struct rte_mbuf *m, struct outpkt *o)
{
	const void *p;

	if (o->len > sizeof(o->data))
		o->len = sizeof(o->data);
	p = rte_pktmbuf_read(m, 0, o->len, o->data);
	if (p != NULL && p != o->data)
		memcpy(o->data, p, o->len);
}

static void
run_packet(uint16_t port, const uint8_t *data, int len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(T.mp), *outp[MAX_OUT], *swp[MAX_OUT];
	uint16_t outport[MAX_OUT];
	struct sim_esw_out out = { outp, outport, 0, MAX_OUT };
	unsigned int nsw;

	check_leftovers();
	if (m == NULL) {
		fail("mbuf alloc");
		return;
	}
	memcpy(rte_pktmbuf_append(m, len), data, len);
	m->port = port;
	if (T.have_meta)
		sim_esw_inject_burst(T.wk, &m, &T.meta, 1, &out);
	else
		sim_esw_process_burst(T.wk, &m, 1, &out);
	T.have_meta = false;
	memset(&T.meta, 0, sizeof(T.meta));
	for (int i = 0; i < out.n; i++) {
		struct outpkt *o = &T.outs[T.nouts++];

		o->sw = 0;
		o->port = outport[i];
		o->len = rte_pktmbuf_pkt_len(outp[i]);
		o->mark = outp[i]->hash.fdir.hi;
		copy_out(outp[i], o);
		write_pcap(o->data, o->len);
		rte_pktmbuf_free(outp[i]);
	}
	nsw = rte_ring_dequeue_burst(sim_esw_sw_ring(T.esw), (void **)swp, MAX_OUT - T.nouts, NULL);
	for (unsigned int i = 0; i < nsw; i++) {
		struct outpkt *o = &T.outs[T.nouts++];
		const struct sim_swmeta *sm = sim_esw_swmeta(swp[i]);

		o->sw = sm->reason;
		o->user_reason = sm->user_reason;
		o->port = sm->in_port;
		o->mark = sm->mark;
		o->len = rte_pktmbuf_pkt_len(swp[i]);
		copy_out(swp[i], o);
		rte_pktmbuf_free(swp[i]);
	}
}

static void
dump_diff(const uint8_t *exp, int elen, const uint8_t *got, int glen)
{
	fprintf(stderr, "  expected (%d): ", elen);
	for (int i = 0; i < elen; i++)
		fprintf(stderr, "%02x", exp[i]);
	fprintf(stderr, "\n  got      (%d): ", glen);
	for (int i = 0; i < glen; i++)
		fprintf(stderr, "%02x", got[i]);
	fprintf(stderr, "\n");
}

static const char *const sw_names[] = { "", "miss", "action", "sample", "ttl", "unparsed" };

/* expect port N [hex] | expect drop | expect sw REASON [user=N] [mark=N] [hex] */
static void
do_expect(char **tok, int n)
{
	struct outpkt *o;
	const char *hex = NULL;
	uint8_t exp[2048];
	int elen;

	T.nchecks++;
	if (n < 2) {
		fail("expect what?");
		return;
	}
	if (!strcmp(tok[1], "drop")) {
		if (T.outpos < T.nouts)
			fail("expected drop, got %s %u", T.outs[T.outpos].sw ? sw_names[T.outs[T.outpos].sw] : "port",
			     T.outs[T.outpos].port);
		return;
	}
	if (T.outpos >= T.nouts) {
		fail("expected %s %s, got nothing (dropped)", tok[1], n > 2 ? tok[2] : "");
		return;
	}
	o = &T.outs[T.outpos++];
	if (!strcmp(tok[1], "port")) {
		if (o->sw) {
			fail("expected port %s, got to-sw (%s)", tok[2], sw_names[o->sw]);
			return;
		}
		if (o->port != strtoul(tok[2], NULL, 0)) {
			fail("expected port %s, got port %u", tok[2], o->port);
			return;
		}
	} else if (!strcmp(tok[1], "sw")) {
		if (!o->sw) {
			fail("expected to-sw %s, got port %u", tok[2], o->port);
			return;
		}
		if (strcmp(sw_names[o->sw], tok[2])) {
			fail("expected to-sw reason %s, got %s", tok[2], sw_names[o->sw]);
			return;
		}
	} else {
		fail("bad expect '%s'", tok[1]);
		return;
	}
	for (int i = 3; i < n; i++) {
		if (!strncmp(tok[i], "user=", 5) && o->user_reason != strtoul(tok[i] + 5, NULL, 0))
			fail("user reason %u, expected %s", o->user_reason, tok[i] + 5);
		else if (!strncmp(tok[i], "mark=", 5) && o->mark != strtoul(tok[i] + 5, NULL, 0))
			fail("mark %u, expected %s", o->mark, tok[i] + 5);
		else if (!strncmp(tok[i], "len=", 4) && o->len != strtoul(tok[i] + 4, NULL, 0))
			fail("length %u, expected %s", o->len, tok[i] + 4);
		else if (strchr(tok[i], '=') == NULL)
			hex = tok[i];
	}
	if (hex) {
		elen = hexbytes(hex, exp, sizeof(exp));
		if (elen < 0) {
			fail("bad hex");
			return;
		}
		if (elen != (int)o->len || memcmp(exp, o->data, elen)) {
			fail("output bytes differ");
			dump_diff(exp, elen, o->data, o->len);
		}
	}
}

/* rule[!ERR[@item:N|@action:N]] NAME [g=N] [p=N] [async] : items -> actions */
static void
do_rule(char *line, bool async_q)
{
	char *colon = strstr(line, " : "), *arrow = colon ? strstr(colon, "->") : NULL;
	char *tok[MAX_TOK], hdr[256];
	struct dpu_hal_attr attr = { .transfer = 1 };
	struct dpu_hal_error err = { 0 };
	struct dpu_hal_flow *flow = NULL;
	int want = 0, want_idx = -1, n, ret;
	enum dpu_hal_error_what want_what = DPU_HAL_ERR_NONE;
	const char *name;

	if (colon == NULL || arrow == NULL) {
		fail("rule needs ': items -> actions'");
		return;
	}
	snprintf(hdr, sizeof(hdr), "%.*s", (int)(colon - line), line);
	*arrow = 0;
	n = tokenize(hdr, tok, MAX_TOK);
	if (n < 2) {
		fail("rule needs a name");
		return;
	}
	if (tok[0][strlen(tok[0]) - 1] == '!' || strchr(tok[0], '!')) {
		char *e = strchr(tok[0], '!') + 1, *at = strchr(e, '@');

		if (at) {
			*at++ = 0;
			if (!strncmp(at, "item:", 5)) {
				want_what = DPU_HAL_ERR_ITEM;
				want_idx = atoi(at + 5);
			} else if (!strncmp(at, "action:", 7)) {
				want_what = DPU_HAL_ERR_ACTION;
				want_idx = atoi(at + 7);
			} else if (!strcmp(at, "attr")) {
				want_what = DPU_HAL_ERR_ATTR;
			}
		}
		want = errno_of(e);
		if (!want) {
			fail("unknown errno '%s'", e);
			return;
		}
	}
	name = tok[1];
	attr.group = kvnum(tok, n, "g", 0);
	attr.priority = kvnum(tok, n, "p", 0);
	for (int i = 2; i < n; i++) {
		if (!strcmp(tok[i], "ingress")) {
			attr.ingress = 1;
			attr.transfer = 0;
		} else if (!strcmp(tok[i], "egress")) {
			attr.egress = 1;
			attr.transfer = 0;
		}
	}
	if (parse_items(colon + 2) < 0 || parse_actions(arrow + 2) < 0)
		return;
	T.nchecks++;
	if (async_q)
		ret = dpu_hal_async_create(T.dev, 0, &attr, T.items, T.acts, NULL, &flow, &err);
	else
		ret = dpu_hal_flow_create(T.dev, &attr, T.items, T.acts, &flow, &err);
	if (want) {
		if (ret != -want)
			fail("rule %s: expected -%s, got %d (%s)", name, strerror(want), ret,
			     ret ? err.msg : "created");
		else if (want_what != DPU_HAL_ERR_NONE &&
			 (err.what != want_what || (want_idx >= 0 && err.index != want_idx)))
			fail("rule %s: error points at what=%d index=%d, expected what=%d index=%d (%s)",
			     name, err.what, err.index, want_what, want_idx, err.msg);
		else if (err.msg[0] == 0)
			fail("rule %s: error without a message", name);
		else
			printf("  # %s rejected as expected: %s\n", name, err.msg);
		if (ret == 0)
			dpu_hal_flow_destroy(T.dev, flow, NULL);
		return;
	}
	if (ret < 0) {
		fail("rule %s: create failed %d: %s", name, ret, err.msg);
		return;
	}
	/* validate must agree with create */
	if (!async_q && dpu_hal_flow_validate(T.dev, &attr, T.items, T.acts, &err) < 0)
		fail("rule %s: created but validate says %s", name, err.msg);
	if (T.nrules < MAX_RULES_NAMED) {
		snprintf(T.rules[T.nrules].name, sizeof(T.rules[0].name), "%s", name);
		T.rules[T.nrules].failed = false;
		T.rules[T.nrules++].flow = flow;
	}
}

static void
do_push(char **tok, int n)
{
	struct dpu_hal_op_result res[64];
	int want_fail = kvnum(tok, n, "fail", 0), nfail = 0, got;
	struct dpu_hal_error err = { 0 };

	T.nchecks++;
	if (dpu_hal_push(T.dev, 0, &err) < 0) {
		fail("push: %s", err.msg);
		return;
	}
	while ((got = dpu_hal_pull(T.dev, 0, res, RTE_DIM(res), &err)) > 0) {
		for (int i = 0; i < got; i++) {
			if (res[i].status < 0) {
				nfail++;
				for (int k = 0; k < T.nrules; k++)
					if (T.rules[k].flow == res[i].flow)
						T.rules[k].failed = true;
			}
		}
	}
	if (nfail != want_fail)
		fail("push: %d failed completions, expected %d", nfail, want_fail);
}

static void
do_count(char **tok, int n)
{
	struct named *r = n > 2 ? find_rule(tok[1]) : NULL;
	struct dpu_hal_count c = { 0 };
	struct dpu_hal_error err = { 0 };

	T.nchecks++;
	if (r == NULL) {
		fail("count: unknown rule");
		return;
	}
	if (dpu_hal_flow_query_count(T.dev, r->flow, false, &c, &err) < 0) {
		if (!strcmp(tok[2], "ENOTSUP") && err.code == -ENOTSUP)
			return;
		fail("count %s: %s", tok[1], err.msg);
		return;
	}
	if (c.hits != strtoull(tok[2], NULL, 0))
		fail("count %s: %lu packets, expected %s", tok[1], (unsigned long)c.hits, tok[2]);
	if (n > 3 && c.bytes != strtoull(tok[3], NULL, 0))
		fail("count %s: %lu bytes, expected %s", tok[1], (unsigned long)c.bytes, tok[3]);
}

static void
do_aged(char **tok, int n)
{
	void *ctx[64];
	int got = dpu_hal_aged_flows(T.dev, ctx, RTE_DIM(ctx), NULL), want = 0;

	T.nchecks++;
	for (int i = 1; i < n; i++) {
		struct named *r;

		if (!strcmp(tok[i], "-"))
			continue;
		want++;
		r = find_rule(tok[i]);
		bool found = false;

		for (int k = 0; r && k < got; k++)
			found |= ctx[k] == (void *)r->flow;
		if (!found)
			fail("aged: %s not reported", tok[i]);
	}
	if (got != want)
		fail("aged: %d reported, expected %d", got, want);
}

static void
do_meter(char **tok, int n)
{
	struct dpu_hal_meter_conf mc = {
		.alg = (n > 2 && !strcmp(tok[2], "trtcm")) ? DPU_HAL_METER_TRTCM : DPU_HAL_METER_SRTCM,
		.cir = kvnum(tok, n, "cir", 0), .pir = kvnum(tok, n, "pir", 0),
		.cbs = kvnum(tok, n, "cbs", 0), .ebs = kvnum(tok, n, "ebs", 0),
		.pbs = kvnum(tok, n, "pbs", 0),
		.green = DPU_HAL_METER_PASS,
		.yellow = kvnum(tok, n, "yellow_drop", 0) ? DPU_HAL_METER_DROP : DPU_HAL_METER_PASS,
		.red = DPU_HAL_METER_DROP,
	};
	struct dpu_hal_error err = { 0 };

	if (dpu_hal_meter_create(T.dev, strtoul(tok[1], NULL, 0), &mc, &err) < 0)
		fail("meter: %s", err.msg);
}

static void
do_meter_stats(char **tok, int n)
{
	struct dpu_hal_meter_stats st;
	struct dpu_hal_error err = { 0 };

	T.nchecks++;
	if (n < 5 || dpu_hal_meter_stats(T.dev, strtoul(tok[1], NULL, 0), &st, &err) < 0) {
		fail("meter_stats: %s", err.msg);
		return;
	}
	for (int c = 0; c < 3; c++)
		if (st.pkts[c] != strtoull(tok[2 + c], NULL, 0))
			fail("meter %s: color %d has %lu packets, expected %s", tok[1], c,
			     (unsigned long)st.pkts[c], tok[2 + c]);
}

static void
do_line(char *line)
{
	static char copy[16384];
	char *tok[MAX_TOK];
	int n;

	snprintf(copy, sizeof(copy), "%s", line);
	n = tokenize(copy, tok, MAX_TOK);
	if (n == 0 || tok[0][0] == '#')
		return;
	if (!strcmp(tok[0], "test")) {
		test_begin(n > 1 ? tok[1] : "?", tok, n);
		return;
	}
	if (T.esw == NULL)
		return;	/* setup failed: skip the body */
	if (!strcmp(tok[0], "rule") || !strncmp(tok[0], "rule!", 5)) {
		check_leftovers();
		do_rule(line, false);
	} else if (!strcmp(tok[0], "async") || !strncmp(tok[0], "async!", 6)) {
		do_rule(line, true);
	} else if (!strcmp(tok[0], "push")) {
		do_push(tok, n);
	} else if (!strcmp(tok[0], "del") || !strcmp(tok[0], "adel")) {
		struct named *r = n > 1 ? find_rule(tok[1]) : NULL;
		struct dpu_hal_error err = { 0 };
		int want = n > 2 ? errno_of(tok[2]) : 0, ret;

		check_leftovers();
		if (r == NULL) {
			fail("del: unknown rule");
			return;
		}
		T.nchecks++;
		ret = tok[0][0] == 'a' ? dpu_hal_async_destroy(T.dev, 0, r->flow, NULL, &err) :
					 dpu_hal_flow_destroy(T.dev, r->flow, &err);
		if (ret != -want)
			fail("del %s: got %d (%s), expected %d", tok[1], ret, err.msg, -want);
	} else if (!strcmp(tok[0], "pkt")) {
		uint8_t buf[2048];
		int len = n > 2 ? hexbytes(tok[2], buf, sizeof(buf)) : -1;

		if (len < 0) {
			fail("bad pkt");
			return;
		}
		run_packet(strtoul(tok[1], NULL, 0), buf, len);
	} else if (!strcmp(tok[0], "meta")) {
		T.have_meta = true;
		T.meta.meta = kvnum(tok, n, "meta", 0);
		T.meta.mark = kvnum(tok, n, "mark", 0);
		T.meta.tag[0] = kvnum(tok, n, "tag0", 0);
		T.meta.tag[1] = kvnum(tok, n, "tag1", 0);
		T.meta.ct_state = kvnum(tok, n, "ct", 0);
		T.meta.ct_zone = kvnum(tok, n, "zone", 0);
		T.meta.ct_mark = kvnum(tok, n, "ctmark", 0);
	} else if (!strcmp(tok[0], "expect")) {
		do_expect(tok, n);
	} else if (!strcmp(tok[0], "count")) {
		do_count(tok, n);
	} else if (!strcmp(tok[0], "miss")) {
		struct dpu_hal_error err = { 0 };

		if (dpu_hal_set_group_miss(T.dev, strtoul(tok[1], NULL, 0),
					   !strcmp(tok[2], "drop") ? DPU_HAL_MISS_DROP :
					   DPU_HAL_MISS_TO_SW, &err) < 0)
			fail("miss: %s", err.msg);
	} else if (!strcmp(tok[0], "limit")) {
		struct dpu_hal_error err = { 0 };

		if (sim_esw_set_group_limit(T.esw, strtoul(tok[1], NULL, 0),
					    strtoul(tok[2], NULL, 0), &err) < 0)
			fail("limit: %s", err.msg);
	} else if (!strcmp(tok[0], "advance")) {
		T.clock += (uint64_t)(strtod(tok[1], NULL) * rte_get_tsc_hz());
	} else if (!strcmp(tok[0], "aged")) {
		do_aged(tok, n);
	} else if (!strcmp(tok[0], "age_events")) {
		T.nchecks++;
		if (age_events != atoi(tok[1]))
			fail("age events: %d delivered to the callback, expected %s", age_events, tok[1]);
	} else if (!strcmp(tok[0], "idle")) {
		struct named *r = n > 2 ? find_rule(tok[1]) : NULL;
		struct dpu_hal_count c = { 0 };

		T.nchecks++;
		if (r == NULL || dpu_hal_flow_query_count(T.dev, r->flow, false, &c, NULL) < 0)
			fail("idle: cannot query");
		else if (c.last_hit_age_s != strtoull(tok[2], NULL, 0))
			fail("idle %s: last hit %lu s ago, expected %s", tok[1],
			     (unsigned long)c.last_hit_age_s, tok[2]);
	} else if (!strcmp(tok[0], "reset")) {
		struct named *r = n > 1 ? find_rule(tok[1]) : NULL;
		struct dpu_hal_count c = { 0 };

		T.nchecks++;
		if (r == NULL || dpu_hal_flow_query_count(T.dev, r->flow, true, &c, NULL) < 0)
			fail("reset: cannot query");
	} else if (!strcmp(tok[0], "meter")) {
		do_meter(tok, n);
	} else if (!strcmp(tok[0], "meter_stats")) {
		do_meter_stats(tok, n);
	} else if (!strcmp(tok[0], "flush")) {
		T.nchecks++;
		if (dpu_hal_flow_flush(T.dev, NULL) < 0)
			fail("flush failed");
		T.nrules = 0;
	} else if (!strcmp(tok[0], "rules")) {
		struct sim_esw_stats st;

		T.nchecks++;
		sim_esw_get_stats(T.esw, &st);
		if (st.rules != strtoul(tok[1], NULL, 0))
			fail("rules: %u in tables, expected %s", st.rules, tok[1]);
	} else if (!strcmp(tok[0], "pcap")) {
		char path[512];
		struct { uint32_t magic; uint16_t maj, min; int32_t tz; uint32_t sig, snap, link; }
			gh = { 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1 };

		snprintf(path, sizeof(path), "%s/%s", T.pcap_dir ? T.pcap_dir : ".", tok[1]);
		T.pcap = fopen(path, "wb");
		if (T.pcap == NULL)
			fail("cannot write %s", path);
		else
			fwrite(&gh, sizeof(gh), 1, T.pcap);
	} else {
		fail("unknown command '%s'", tok[0]);
	}
}

int
main(int argc, char **argv)
{
	static char line[16384];
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CASES [PCAP_DIR]\n", argv[0]);
		return 2;
	}
	T.pcap_dir = argc > 2 ? argv[2] : NULL;
	T.mp = esw_test_eal_init(argv[0], 4096, 256);
	if (T.mp == NULL)
		return 1;
	f = fopen(argv[1], "r");
	if (f == NULL) {
		perror(argv[1]);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		T.lineno++;
		line[strcspn(line, "\r\n")] = 0;
		do_line(line);
	}
	fclose(f);
	test_end();
	printf("conformance: %d tests, %d checks, %d failed\n", T.ntests, T.nchecks, T.nfailed);
	esw_test_eal_fini(T.mp);
	return T.nfailed ? 1 : 0;
}
