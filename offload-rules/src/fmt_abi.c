// SPDX-License-Identifier: BSD-3-Clause
/* The ABI rule printer: what the card is asked to do, in one line. */
#include <arpa/inet.h>

#include "dpu_rules_print.h"
#include "fmt.h"


static void port(struct fmt *f, const char *what,
		 const struct dpu_abi_act_port *p)
{
	fmt_add(f, " %s %u", what, p->port_id);
	if (p->flags & DPU_ABI_OUT_TO_REPRESENTOR)
		fmt_add(f, " rep");
	if (p->ratio > 1)
		fmt_add(f, " ratio %u", p->ratio);
}

static void action(struct fmt *f, const union dpu_rules_abi_action *a)
{
	static const char *const verdict[] = { "pass", "drop" };
	const struct dpu_abi_act_meter *m = &a->meter;

	switch (a->hdr.type) {
	case DPU_ABI_ACT_DROP: fmt_add(f, " drop"); return;
	case DPU_ABI_ACT_OUTPUT: port(f, "output", &a->port); return;
	case DPU_ABI_ACT_MIRROR: port(f, "mirror", &a->port); return;
	case DPU_ABI_ACT_JUMP: fmt_add(f, " jump %u", a->u32.value); return;
	case DPU_ABI_ACT_COUNT:
		fmt_add(f, " count");
		if (a->u32.value)
			fmt_add(f, " %u", a->u32.value);
		return;
	case DPU_ABI_ACT_MARK: fmt_add(f, " mark %u", a->u32.value); return;
	case DPU_ABI_ACT_TO_SOFTWARE: fmt_add(f, " to_sw %u", a->u32.value); return;
	case DPU_ABI_ACT_AGE: fmt_add(f, " age %u", a->u32.value); return;
	case DPU_ABI_ACT_SET_META:
		fmt_add(f, " set_meta 0x%x/0x%x", a->set_meta.data, a->set_meta.mask);
		return;
	case DPU_ABI_ACT_VLAN_PUSH:
		fmt_add(f, " vlan_push 0x%04x %u/%u", ntohs(a->vlan.tpid),
			ntohs(a->vlan.tci) & 0xfff, ntohs(a->vlan.tci) >> 13);
		return;
	case DPU_ABI_ACT_VLAN_POP: fmt_add(f, " vlan_pop"); return;
	case DPU_ABI_ACT_VLAN_SET:
		fmt_add(f, " vlan_set 0x%04x/0x%04x", ntohs(a->vlan.tci),
			ntohs(a->vlan.tci_mask));
		return;
	case DPU_ABI_ACT_TUNNEL_ENCAP:
		fmt_add(f, " encap");
		fmt_encap(f, &a->encap);
		return;
	case DPU_ABI_ACT_TUNNEL_DECAP: fmt_add(f, " decap"); return;
	case DPU_ABI_ACT_SET_FIELD: fmt_set_field(f, &a->set); return;
	case DPU_ABI_ACT_DEC_TTL: fmt_add(f, " dec_ttl"); return;
	case DPU_ABI_ACT_CT:
		fmt_add(f, " ct");
		fmt_ct(f, &a->ct);
		return;
	case DPU_ABI_ACT_METER:
		fmt_add(f, " meter %u %s%s cir %llu cbs %llu", m->meter_id,
			m->mode == DPU_ABI_METER_TRTCM ? "trtcm" : "srtcm",
			m->flags & DPU_ABI_METER_PPS ? " pps" : "",
			(unsigned long long)m->cir, (unsigned long long)m->cbs);
		if (m->eir || m->ebs)
			fmt_add(f, " eir %llu ebs %llu", (unsigned long long)m->eir,
				(unsigned long long)m->ebs);
		fmt_add(f, " yellow %s red %s", m->yellow < 2 ? verdict[m->yellow] : "?",
			m->red < 2 ? verdict[m->red] : "?");
		return;
	case DPU_ABI_ACT_IPSEC:
		fmt_add(f, " ipsec sa %u %s", a->ipsec.sa_id,
			a->ipsec.dir ? "out" : "in");
		return;
	}
	fmt_add(f, " ?%u", a->hdr.type);
}

size_t dpu_rules_format_abi(const struct dpu_rules_abi_flow *a, char *buf,
			    size_t len)
{
	struct fmt f = { .buf = buf, .cap = len };
	unsigned int i;

	if (len)
		buf[0] = 0;
	fmt_add(&f, "group %u prio %u%s:", a->group, a->priority,
		a->flags & DPU_ABI_FLOWF_TRANSFER ? " transfer" : "");
	fmt_match(&f, &a->match);
	fmt_add(&f, " /");
	for (i = 0; i < a->n_actions; i++)
		action(&f, &a->actions[i]);
	return f.len;
}
